import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTicketNumber, getTicketDay, parseTicketNumber } from '../src/ticket-number';

describe('getTicketDay', () => {
  it.each([
    [
      '23:30 UTC is already the next day in Shanghai',
      '2023-10-27T23:30:00Z',
      'Asia/Shanghai',
      '20231028',
    ],
    ['and still the same day in UTC', '2023-10-27T23:30:00Z', 'UTC', '20231027'],
    [
      '15:59:59.999 UTC is the last Shanghai instant of the day',
      '2023-10-27T15:59:59.999Z',
      'Asia/Shanghai',
      '20231027',
    ],
    ['16:00 UTC is Shanghai midnight', '2023-10-27T16:00:00Z', 'Asia/Shanghai', '20231028'],
    [
      '03:00 UTC is the evening before in Los Angeles',
      '2023-10-28T03:00:00Z',
      'America/Los_Angeles',
      '20231027',
    ],
    ['New Year in Kiribati comes first', '2023-12-31T10:00:00Z', 'Pacific/Kiritimati', '20240101'],
    ['leap day', '2024-02-29T12:00:00Z', 'Europe/Berlin', '20240229'],
  ])('%s', (_name, iso, timeZone, expected) => {
    expect(getTicketDay(Date.parse(iso), timeZone)).toBe(expected);
  });

  it('rejects unknown zones and instants it cannot write as YYYYMMDD', () => {
    expect(() => getTicketDay(0, 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => getTicketDay(Number.NaN, 'UTC')).toThrow(RangeError);
    expect(() => getTicketDay(Date.UTC(999, 0, 1), 'UTC')).toThrow(RangeError);
    expect(() => getTicketDay(Date.UTC(-1000, 5, 1), 'UTC')).toThrow(RangeError);
    expect(() => getTicketDay(Date.UTC(10000, 0, 1), 'UTC')).toThrow(RangeError);
  });
});

describe('formatTicketNumber', () => {
  const at = Date.parse('2023-10-28T02:00:00Z');

  it.each([
    [1, 'CS20231028001'],
    [42, 'CS20231028042'],
    [999, 'CS20231028999'],
    [1000, 'CS202310281000'],
    [123456, 'CS20231028123456'],
  ])('pads sequence %i', (sequence, expected) => {
    expect(formatTicketNumber(at, 'Asia/Shanghai', sequence)).toBe(expected);
  });

  it('uses the day in the given zone', () => {
    const lateUtc = Date.parse('2023-10-27T23:30:00Z');
    expect(formatTicketNumber(lateUtc, 'Asia/Shanghai', 7)).toBe('CS20231028007');
    expect(formatTicketNumber(lateUtc, 'UTC', 7)).toBe('CS20231027007');
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])('rejects sequence %d', (sequence) => {
    expect(() => formatTicketNumber(at, 'UTC', sequence)).toThrow(RangeError);
  });
});

describe('parseTicketNumber', () => {
  it.each([
    ['CS20231028001', { day: '20231028', sequence: 1 }],
    ['CS202310281000', { day: '20231028', sequence: 1000 }],
    ['  cs20240229010 ', { day: '20240229', sequence: 10 }],
    ['CS20231028', null],
    ['CS2023102801', null],
    ['CS20231028000', null],
    ['CS202310280001', null],
    ['CS20230229001', null],
    ['CS20231301001', null],
    ['CS20231000001', null],
    ['CS09991231001', null],
    ['XX20231028001', null],
    ['CS2023-10-28-001', null],
    ['CS20231028001x', null],
    ['', null],
  ])('%j', (text, expected) => {
    expect(parseTicketNumber(text)).toEqual(expected);
  });

  it('inverts formatTicketNumber', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati'),
        fc.oneof(fc.integer({ min: 1, max: 1_200 }), fc.integer({ min: 1, max: 2 ** 40 })),
        (at, timeZone, sequence) => {
          const number = formatTicketNumber(at, timeZone, sequence);
          expect(number).toMatch(/^CS\d{8}\d{3,}$/);
          expect(parseTicketNumber(number)).toEqual({ day: getTicketDay(at, timeZone), sequence });
        },
      ),
    );
  });

  it('accepts only canonical numbers (parse then format gives the same text)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.stringMatching(/^\d{3,7}$/),
        (date, digits) => {
          const text = `CS${date.toISOString().slice(0, 10).replaceAll('-', '')}${digits}`;
          const parsed = parseTicketNumber(text);
          const zeroOrPadded = /^0+$/.test(digits) || (digits.length > 3 && digits.startsWith('0'));
          expect(parsed === null).toBe(zeroOrPadded);
          if (parsed) {
            expect(`CS${parsed.day}${String(parsed.sequence).padStart(3, '0')}`).toBe(text);
          }
        },
      ),
    );
  });
});
