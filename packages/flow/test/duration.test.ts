import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 366 * DAY; // the longest duration accepted

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MINUTE],
    ['2h', 2 * HOUR],
    ['1h30m', HOUR + 30 * MINUTE],
    ['3d', 3 * DAY],
    ['10s', 10 * SECOND],
    ['1d2h3m4s', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    ['90m', 90 * MINUTE],
    ['0m', 0],
    ['0s', 0],
    [' 2h ', 2 * HOUR],
    ['366d', YEAR],
    ['8784h', YEAR],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['soon', 'a word'],
    ['30', 'no unit'],
    ['1m1h', 'units out of order'],
    ['1.5h', 'a fraction'],
    ['-1h', 'negative'],
    ['2H', 'upper-case unit'],
    ['1 h', 'space inside'],
    ['1w', 'weeks'],
    ['367d', 'over a year'],
    ['8785h', 'over a year in hours'],
  ])('%j is not a duration (%s)', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [HOUR + 30 * MINUTE, '1h30m'],
    [DAY, '1d'],
    [25 * HOUR, '1d1h'],
    [DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND, '1d2h3m4s'],
    [0, '0s'],
    [1499, '1s'],
    [499, '0s'],
    [59_999, '1m'],
    [-MINUTE, '0s'],
  ])('%d ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('duration round trips', () => {
  it('parse(format(ms)) gives back any whole-second duration up to a year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: YEAR / SECOND }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * SECOND))).toBe(seconds * SECOND);
      }),
    );
  });

  it('format(parse(text)) is a canonical text for the same duration', () => {
    const part = (unit: string) =>
      fc.option(
        fc.integer({ min: 0, max: 400 }).map((count) => `${count}${unit}`),
        {
          nil: '',
        },
      );
    const text = fc
      .tuple(part('d'), part('h'), part('m'), part('s'))
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (written) => {
        const ms = parseDuration(written);
        fc.pre(ms !== null);
        const canonical = formatDuration(ms);
        expect(parseDuration(canonical)).toBe(ms);
        expect(formatDuration(parseDuration(canonical) ?? -1)).toBe(canonical);
      }),
    );
  });
});
