import fc from 'fast-check';
import type { Calendar } from '@switchyard/flow';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  compileCalendar,
  getBusinessTimeBetween,
  getNextBusinessInstant,
  isBusinessTime,
} from '../src/calendar';
import type { BusinessCalendar } from '../src/calendar';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const QUARTER = 15 * MINUTE;

type Week = Calendar['week'];
type Interval = [string, string];

function weekdays(...intervals: Interval[]): Week {
  return { mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals };
}

function calendar(timeZone: string, week: Week, holidays: string[] = [], id = 'test'): Calendar {
  return { id, name: id, timeZone, week, holidays };
}

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO in test: ${iso}`);
  return ms;
};

const shanghai = compileCalendar(calendar('Asia/Shanghai', weekdays(['09:00', '18:00'])));
const shanghaiHoliday = compileCalendar(
  calendar('Asia/Shanghai', weekdays(['09:00', '18:00']), ['2023-10-30']),
);
const shanghaiLunch = compileCalendar(
  calendar('Asia/Shanghai', weekdays(['09:00', '12:00'], ['13:00', '18:00'])),
);
const newYork = compileCalendar(calendar('America/New_York', weekdays(['09:00', '17:00'])));

describe('addBusinessTime', () => {
  // 2023-10-27 is a Friday, 2023-10-30 a Monday.
  it.each([
    [
      'Friday 17:30 + 2h → Monday 10:30',
      shanghai,
      '2023-10-27T17:30+08:00',
      2 * HOUR,
      '2023-10-30T10:30+08:00',
    ],
    [
      'Saturday counts from Monday 09:00',
      shanghai,
      '2023-10-28T11:00+08:00',
      HOUR,
      '2023-10-30T10:00+08:00',
    ],
    [
      'before opening counts from 09:00',
      shanghai,
      '2023-10-25T07:00+08:00',
      30 * MINUTE,
      '2023-10-25T09:30+08:00',
    ],
    [
      'using up the day ends at closing time',
      shanghai,
      '2023-10-27T16:00+08:00',
      2 * HOUR,
      '2023-10-27T18:00+08:00',
    ],
    [
      '0 inside hours is the start itself',
      shanghai,
      '2023-10-25T10:15+08:00',
      0,
      '2023-10-25T10:15+08:00',
    ],
    [
      '0 outside hours is the next opening',
      shanghai,
      '2023-10-27T18:00+08:00',
      0,
      '2023-10-30T09:00+08:00',
    ],
    [
      'holiday Monday → Tuesday',
      shanghaiHoliday,
      '2023-10-27T17:30+08:00',
      2 * HOUR,
      '2023-10-31T10:30+08:00',
    ],
    [
      'lunch break is skipped',
      shanghaiLunch,
      '2023-10-25T11:30+08:00',
      HOUR,
      '2023-10-25T13:30+08:00',
    ],
    [
      'lunch start + 0 → 13:00',
      shanghaiLunch,
      '2023-10-25T12:00+08:00',
      0,
      '2023-10-25T13:00+08:00',
    ],
    [
      'one full week of 45h',
      shanghai,
      '2023-10-23T09:00+08:00',
      45 * HOUR,
      '2023-10-27T18:00+08:00',
    ],
    [
      'a week and a minute',
      shanghai,
      '2023-10-23T09:00+08:00',
      45 * HOUR + MINUTE,
      '2023-10-30T09:01+08:00',
    ],
    // 2024-03-10: clocks go from 02:00 EST to 03:00 EDT; 2024-11-03: from 02:00 EDT to 01:00 EST.
    [
      'New York across spring forward',
      newYork,
      '2024-03-08T16:00-05:00',
      2 * HOUR,
      '2024-03-11T10:00-04:00',
    ],
    [
      'New York across fall back',
      newYork,
      '2024-11-01T16:00-04:00',
      2 * HOUR,
      '2024-11-04T10:00-05:00',
    ],
  ])('%s', (_name, hours, start, ms, expected) => {
    expect(new Date(addBusinessTime(hours, at(start), ms)).toISOString()).toBe(
      new Date(at(expected)).toISOString(),
    );
  });

  it('treats null as 24×7', () => {
    expect(addBusinessTime(null, 1_000, 5_000)).toBe(6_000);
    expect(getNextBusinessInstant(null, 1_234)).toBe(1_234);
    expect(isBusinessTime(null, 0)).toBe(true);
    expect(getBusinessTimeBetween(null, 1_000, 4_000)).toBe(3_000);
    expect(getBusinessTimeBetween(null, 4_000, 1_000)).toBe(0);
  });

  it('rejects negative or non-finite amounts and instants', () => {
    expect(() => addBusinessTime(shanghai, 0, -1)).toThrow(RangeError);
    expect(() => addBusinessTime(null, 0, Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessTime(shanghai, Number.POSITIVE_INFINITY, 1)).toThrow(RangeError);
    expect(() => isBusinessTime(shanghai, Number.NaN)).toThrow(RangeError);
  });

  it('spans long periods (speed is measured by the benchmark, not asserted here)', () => {
    // 30 days of business time at 9h a day, 5 days a week = 16 weeks of calendar time.
    expect(addBusinessTime(shanghai, at('2023-10-23T09:00+08:00'), 30 * DAY)).toBe(
      at('2023-10-23T09:00+08:00') + (15 * 7 + 4) * DAY + 9 * HOUR,
    );
    // Ten years of business time in a DST zone still answers (and round-trips).
    const tenYears = 10 * 52 * 40 * HOUR;
    const due = addBusinessTime(newYork, at('2024-01-02T09:00-05:00'), tenYears);
    expect(getBusinessTimeBetween(newYork, at('2024-01-02T09:00-05:00'), due)).toBe(tenYears);
  });
});

describe('getBusinessTimeBetween', () => {
  it.each([
    [
      'Friday 17:00 → Monday 10:00',
      shanghai,
      '2023-10-27T17:00+08:00',
      '2023-10-30T10:00+08:00',
      2 * HOUR,
    ],
    ['a weekend is worth nothing', shanghai, '2023-10-28T00:00+08:00', '2023-10-30T00:00+08:00', 0],
    ['across lunch', shanghaiLunch, '2023-10-25T11:00+08:00', '2023-10-25T14:00+08:00', 2 * HOUR],
    [
      'a holiday is worth nothing',
      shanghaiHoliday,
      '2023-10-30T00:00+08:00',
      '2023-10-31T00:00+08:00',
      0,
    ],
    ['end before start', shanghai, '2023-10-25T12:00+08:00', '2023-10-25T10:00+08:00', 0],
    ['four weeks', shanghai, '2023-10-02T00:00+08:00', '2023-10-30T00:00+08:00', 4 * 45 * HOUR],
  ])('%s', (_name, hours, start, end, expected) => {
    expect(getBusinessTimeBetween(hours, at(start), at(end))).toBe(expected);
  });

  it('counts the hours a DST day really has', () => {
    const sundays = (timeZone: string) =>
      compileCalendar(calendar(timeZone, { sun: [['00:00', '24:00']] }));
    const ny = sundays('America/New_York');
    expect(getBusinessTimeBetween(ny, at('2024-03-09T12:00Z'), at('2024-03-12T00:00Z'))).toBe(
      23 * HOUR,
    );
    expect(getBusinessTimeBetween(ny, at('2024-11-02T12:00Z'), at('2024-11-05T00:00Z'))).toBe(
      25 * HOUR,
    );
    // Europe/Berlin: 2024-03-31 02:00 CET → 03:00 CEST, 2024-10-27 03:00 CEST → 02:00 CET.
    const berlin = sundays('Europe/Berlin');
    expect(getBusinessTimeBetween(berlin, at('2024-03-30T00:00Z'), at('2024-04-02T00:00Z'))).toBe(
      23 * HOUR,
    );
    expect(getBusinessTimeBetween(berlin, at('2024-10-26T00:00Z'), at('2024-10-29T00:00Z'))).toBe(
      25 * HOUR,
    );
  });

  it('handles intervals inside the skipped and the repeated hour', () => {
    const night = compileCalendar(calendar('America/New_York', { sun: [['01:00', '03:00']] }));
    // Spring forward: 02:00–03:00 never happens, so only 01:00–02:00 EST counts.
    expect(
      getBusinessTimeBetween(night, at('2024-03-10T00:00-05:00'), at('2024-03-10T12:00-04:00')),
    ).toBe(HOUR);
    // Fall back: 01:00–02:00 happens twice (EDT, then EST), then 02:00–03:00 EST.
    expect(
      getBusinessTimeBetween(night, at('2024-11-03T00:00-04:00'), at('2024-11-03T12:00-05:00')),
    ).toBe(3 * HOUR);
    expect(addBusinessTime(night, at('2024-11-03T00:00-04:00'), 90 * MINUTE)).toBe(
      at('2024-11-03T01:30-05:00'),
    );
    expect(isBusinessTime(night, at('2024-11-03T01:30-04:00'))).toBe(true);
    expect(isBusinessTime(night, at('2024-11-03T01:30-05:00'))).toBe(true);

    const gap = compileCalendar(calendar('America/New_York', { sun: [['02:00', '03:00']] }));
    expect(getNextBusinessInstant(gap, at('2024-03-10T00:00-05:00'))).toBe(
      at('2024-03-17T02:00-04:00'),
    );
    expect(getNextBusinessInstant(gap, at('2024-11-03T00:00-04:00'))).toBe(
      at('2024-11-03T02:00-05:00'),
    );
  });

  it('handles zones that change offset at midnight (America/Santiago)', () => {
    // 2024-04-06 24:00 -03 → 23:00 -04 (Saturday has 25 hours);
    // 2024-09-08 00:00 -04 → 01:00 -03 (Sunday has 23 hours).
    const weekend = compileCalendar(
      calendar('America/Santiago', { sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] }),
    );
    expect(
      getBusinessTimeBetween(weekend, at('2024-04-05T12:00-03:00'), at('2024-04-08T12:00-04:00')),
    ).toBe(49 * HOUR);
    expect(
      getBusinessTimeBetween(weekend, at('2024-09-06T12:00-04:00'), at('2024-09-09T12:00-03:00')),
    ).toBe(47 * HOUR);
  });
});

describe('isBusinessTime and getNextBusinessInstant', () => {
  it.each([
    ['09:00 opens', shanghai, '2023-10-25T09:00+08:00', true],
    ['18:00 is already closed', shanghai, '2023-10-25T18:00+08:00', false],
    ['17:59:59.999 is open', shanghai, '2023-10-25T17:59:59.999+08:00', true],
    ['Saturday', shanghai, '2023-10-28T10:00+08:00', false],
    ['holiday', shanghaiHoliday, '2023-10-30T10:00+08:00', false],
    ['lunch', shanghaiLunch, '2023-10-25T12:30+08:00', false],
    ['afternoon', shanghaiLunch, '2023-10-25T13:00+08:00', true],
    ['Monday 09:00 Shanghai is Monday 01:00 UTC', shanghai, '2023-10-30T01:00Z', true],
  ])('%s', (_name, hours, instant, expected) => {
    expect(isBusinessTime(hours, at(instant))).toBe(expected);
  });

  it('finds the next opening', () => {
    expect(getNextBusinessInstant(shanghai, at('2023-10-28T10:00+08:00'))).toBe(
      at('2023-10-30T09:00+08:00'),
    );
    expect(getNextBusinessInstant(shanghaiLunch, at('2023-10-25T12:10+08:00'))).toBe(
      at('2023-10-25T13:00+08:00'),
    );
  });
});

describe('compileCalendar', () => {
  it('merges overlapping and touching intervals and accepts 24:00', () => {
    const merged = compileCalendar(
      calendar('UTC', {
        mon: [
          ['11:00', '13:00'],
          ['09:00', '12:00'],
          ['13:00', '14:00'],
        ],
        tue: [['22:00', '24:00']],
      }),
    );
    expect(merged.week[0]).toEqual([{ from: 9 * HOUR, to: 14 * HOUR }]);
    expect(merged.week[1]).toEqual([{ from: 22 * HOUR, to: 24 * HOUR }]);
    expect(merged.weeklyMs).toBe(7 * HOUR);
    // Tuesday 22:00–24:00 is followed by nothing on Wednesday.
    expect(addBusinessTime(merged, at('2024-01-02T23:00Z'), 2 * HOUR)).toBe(
      at('2024-01-08T10:00Z'),
    );
  });

  it.each([
    [
      'an unknown time zone',
      calendar('Mars/Olympus', weekdays(['09:00', '18:00'])),
      /Mars\/Olympus/,
    ],
    ['a time past 24:00', calendar('UTC', { mon: [['09:00', '24:30']] }), /"24:30" on mon/],
    ['an empty interval', calendar('UTC', { mon: [['10:00', '09:00']] }), /must end after/],
    [
      'an impossible holiday',
      calendar('UTC', weekdays(['09:00', '18:00']), ['2023-02-30']),
      /2023-02-30/,
    ],
  ])('rejects %s, naming the calendar', (_name, input, message) => {
    expect(() => compileCalendar({ ...input, id: 'broken' })).toThrow(/Calendar "broken"/);
    expect(() => compileCalendar(input)).toThrow(message);
  });

  it('refuses to search a calendar without working time, naming it', () => {
    const closed = compileCalendar(calendar('Europe/Berlin', {}, [], 'closed-forever'));
    expect(() => addBusinessTime(closed, 0, HOUR)).toThrow(/Calendar "closed-forever"/);
    expect(() => getNextBusinessInstant(closed, 0)).toThrow(/no working hours/);
    expect(isBusinessTime(closed, 0)).toBe(false);
    expect(getBusinessTimeBetween(closed, 0, 400 * DAY)).toBe(0);
  });

  it('searches past long runs of holidays', () => {
    const mondays = Array.from({ length: 100 }, (_, week) =>
      new Date(at('2024-01-01T00:00Z') + week * 7 * DAY).toISOString().slice(0, 10),
    );
    const rare = compileCalendar(calendar('UTC', { mon: [['09:00', '10:00']] }, mondays));
    expect(getNextBusinessInstant(rare, at('2023-12-31T00:00Z'))).toBe(
      at('2024-01-01T09:00Z') + 100 * 7 * DAY,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, checked against a reference that reads each instant's wall clock from Intl directly.

/** Zones with DST at different hours, half- and quarter-hour offsets, and midnight changes. */
const ZONES = [
  'UTC',
  'Asia/Shanghai',
  'America/New_York',
  'Europe/Berlin',
  'America/Santiago',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
  'Asia/Kathmandu',
] as const;

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const FIRST = Date.UTC(2020, 0, 1);
const LAST = Date.UTC(2030, 0, 1);

const clock = (quarters: number): string =>
  `${String(Math.floor(quarters / 4)).padStart(2, '0')}:${String((quarters % 4) * 15).padStart(2, '0')}`;

/** Quarter-hour intervals, possibly overlapping, 0–3 per day. */
const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 }))
  .filter(([from, to]) => from < to)
  .map(([from, to]): Interval => [clock(from), clock(to)]);

const weekArb = fc
  .array(fc.array(intervalArb, { maxLength: 3 }), { minLength: 7, maxLength: 7 })
  .map((days): Week => {
    const week: Week = {};
    WEEKDAY_KEYS.forEach((key, index) => {
      const intervals = days[index];
      if (intervals && intervals.length > 0) week[key] = intervals;
    });
    return week;
  });

const instantArb = fc.integer({ min: FIRST, max: LAST });
const quarterArb = fc
  .integer({ min: FIRST / QUARTER, max: LAST / QUARTER })
  .map((q) => q * QUARTER);

/** A random calendar with holidays near `start`, so that they actually get in the way. */
function calendarArb(start: fc.Arbitrary<number>) {
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      week: weekArb,
      holidayOffsets: fc.array(fc.integer({ min: -2, max: 60 }), { maxLength: 6 }),
      start,
    })
    .map(({ timeZone, week, holidayOffsets, start: startAt }) => {
      const holidays = holidayOffsets.map((offset) =>
        new Date(startAt + offset * DAY).toISOString().slice(0, 10),
      );
      const source = calendar(timeZone, week, holidays, 'random');
      return { source, compiled: compileCalendar(source), start: startAt };
    });
}

const referenceFormats = new Map<string, Intl.DateTimeFormat>();

/** Business time by definition: wall-clock date and time of `instant` in the zone, from Intl. */
function isBusinessReference(source: Calendar, instant: number): boolean {
  let format = referenceFormats.get(source.timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: source.timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    referenceFormats.set(source.timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const date = `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`;
  if (source.holidays.includes(date)) return false;
  const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3) as (typeof WEEKDAY_KEYS)[number];
  const time = `${parts.hour ?? ''}:${parts.minute ?? ''}:${parts.second ?? ''}`;
  return (source.week[weekday] ?? []).some(
    ([from, to]) => `${from}:00` <= time && time < `${to}:00`,
  );
}

const hasWorkingTime = ({ compiled }: { compiled: BusinessCalendar }) => compiled.weeklyMs > 0;

describe('calendar properties', () => {
  it('isBusinessTime matches the wall-clock definition', () => {
    fc.assert(
      fc.property(calendarArb(instantArb), fc.integer({ min: 0, max: 40 * DAY }), (c, delta) => {
        const instant = c.start + delta;
        expect(isBusinessTime(c.compiled, instant)).toBe(isBusinessReference(c.source, instant));
      }),
      { numRuns: 300 },
    );
  });

  it('getBusinessTimeBetween matches counting quarter hours one by one', () => {
    fc.assert(
      fc.property(
        calendarArb(quarterArb),
        fc.integer({ min: 0, max: 4 * 96 }),
        ({ source, compiled, start }, quarters) => {
          let expected = 0;
          for (let q = 0; q < quarters; q += 1) {
            if (isBusinessReference(source, start + q * QUARTER)) expected += QUARTER;
          }
          expect(getBusinessTimeBetween(compiled, start, start + quarters * QUARTER)).toBe(
            expected,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('getBusinessTimeBetween inverts addBusinessTime', () => {
    fc.assert(
      fc.property(
        calendarArb(instantArb).filter(hasWorkingTime),
        fc.integer({ min: 0, max: 60 * DAY }),
        ({ compiled, start }, ms) => {
          const due = addBusinessTime(compiled, start, ms);
          expect(due).toBeGreaterThanOrEqual(start + ms);
          expect(getBusinessTimeBetween(compiled, start, due)).toBe(ms);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('addBusinessTime is monotonic in the amount', () => {
    fc.assert(
      fc.property(
        calendarArb(instantArb).filter(hasWorkingTime),
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.integer({ min: 0, max: 20 * DAY }),
        ({ compiled, start }, a, b) => {
          const [less, more] = a <= b ? [a, b] : [b, a];
          expect(addBusinessTime(compiled, start, less)).toBeLessThanOrEqual(
            addBusinessTime(compiled, start, more),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('addBusinessTime lands on business time or at the end of an interval', () => {
    fc.assert(
      fc.property(
        calendarArb(instantArb).filter(hasWorkingTime),
        fc.integer({ min: 0, max: 20 * DAY }),
        ({ compiled, start }, ms) => {
          const due = addBusinessTime(compiled, start, ms);
          if (ms === 0) {
            expect(isBusinessTime(compiled, due)).toBe(true);
            expect(getNextBusinessInstant(compiled, start)).toBe(due);
            expect(getBusinessTimeBetween(compiled, start, due)).toBe(0);
          } else {
            expect(isBusinessTime(compiled, due) || isBusinessTime(compiled, due - 1)).toBe(true);
            expect(getBusinessTimeBetween(compiled, due - 1, due)).toBe(1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('getBusinessTimeBetween is additive over a split point', () => {
    fc.assert(
      fc.property(
        calendarArb(instantArb),
        fc.integer({ min: 0, max: 30 * DAY }),
        fc.integer({ min: 0, max: 30 * DAY }),
        ({ compiled, start }, a, b) => {
          const middle = start + Math.min(a, b);
          const end = start + Math.max(a, b);
          expect(
            getBusinessTimeBetween(compiled, start, middle) +
              getBusinessTimeBetween(compiled, middle, end),
          ).toBe(getBusinessTimeBetween(compiled, start, end));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a calendar open around the clock behaves like 24×7 in every zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        instantArb,
        fc.integer({ min: 0, max: 90 * DAY }),
        (timeZone, start, ms) => {
          const always = compileCalendar(
            calendar(
              timeZone,
              Object.fromEntries(WEEKDAY_KEYS.map((key) => [key, [['00:00', '24:00']]])),
            ),
          );
          expect(addBusinessTime(always, start, ms)).toBe(start + ms);
          expect(getBusinessTimeBetween(always, start, start + ms)).toBe(ms);
        },
      ),
      { numRuns: 200 },
    );
  });
});
