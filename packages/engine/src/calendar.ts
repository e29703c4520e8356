import type { Calendar } from '@switchyard/flow';

/**
 * Business-hours arithmetic in a calendar's own time zone.
 *
 * An instant is business time when its wall-clock date in the calendar's zone is a working,
 * non-holiday day and its wall-clock time lies inside one of that weekday's intervals. This
 * definition settles daylight-saving edge cases without special rules: on a spring-forward day
 * the skipped wall-clock hour simply never happens (an interval inside it is empty), and on a
 * fall-back day the repeated hour counts twice when it lies inside an interval, because real time
 * passes twice.
 *
 * Conversions between instants and wall-clock time go through `Intl.DateTimeFormat`; the zone's
 * UTC offset transitions are found once per 64-day chunk and cached, so repeated calls do plain
 * arithmetic. Walking a long span skips whole regular weeks (no holiday, no offset change).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Offsets are sampled once a day over chunks of this many days, then cached. */
const CHUNK_DAYS = 64;
const CHUNK = CHUNK_DAYS * DAY;

/**
 * Searching for the next working interval gives up after this many consecutive days without one
 * (past the last holiday), instead of looping forever on a calendar whose every interval falls in a
 * daylight-saving gap.
 */
const MAX_IDLE_DAYS = 32;

/** Monday first, like the flow document's `week` keys. */
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One working interval of a day: milliseconds after local midnight, `from < to <= 24h`. */
export interface BusinessInterval {
  readonly from: number;
  readonly to: number;
}

/** A {@link Calendar} compiled for fast repeated use; build it with {@link compileCalendar}. */
export interface BusinessCalendar {
  readonly id: string;
  readonly timeZone: string;
  /** Sorted, merged working intervals per weekday, Monday first. */
  readonly week: readonly (readonly BusinessInterval[])[];
  /** Business milliseconds in a week without holidays or UTC-offset changes. */
  readonly weeklyMs: number;
  /** Holidays as local day numbers (days since 1970-01-01), ascending, without duplicates. */
  readonly holidays: readonly number[];
  readonly holidaySet: ReadonlySet<number>;
}

/**
 * Compiles a calendar from a flow document: parses and merges its intervals, parses its holidays
 * and checks its time zone.
 *
 * @throws Error naming the calendar when a time, a holiday or the time zone is invalid.
 * @example
 * const hours = compileCalendar({
 *   id: 'cn-office',
 *   name: 'Shanghai office',
 *   timeZone: 'Asia/Shanghai',
 *   week: { mon: [['09:00', '18:00']], tue: [['09:00', '12:00'], ['13:00', '18:00']] },
 *   holidays: ['2023-10-02'],
 * });
 */
export function compileCalendar(calendar: Calendar): BusinessCalendar {
  try {
    getZone(calendar.timeZone);
  } catch {
    throw new Error(
      `Calendar "${calendar.id}": unknown time zone "${calendar.timeZone}"; use an IANA zone such as "Asia/Shanghai"`,
    );
  }

  const week = WEEKDAYS.map((weekday) =>
    mergeIntervals(
      (calendar.week[weekday] ?? []).map(([from, to]) => {
        const start = parseClockTime(calendar.id, weekday, from);
        const end = parseClockTime(calendar.id, weekday, to);
        if (start >= end) {
          throw new Error(
            `Calendar "${calendar.id}": interval ${from}–${to} on ${weekday} must end after it starts`,
          );
        }
        return { from: start, to: end };
      }),
    ),
  );
  const weeklyMs = week.reduce(
    (total, intervals) =>
      total + intervals.reduce((sum, interval) => sum + interval.to - interval.from, 0),
    0,
  );
  const holidaySet = new Set(calendar.holidays.map((text) => parseHoliday(calendar.id, text)));
  const holidays = [...holidaySet].sort((a, b) => a - b);
  return { id: calendar.id, timeZone: calendar.timeZone, week, weeklyMs, holidays, holidaySet };
}

/**
 * The instant `ms` milliseconds of business time after `start`. With `ms = 0` this is `start`
 * itself when it is business time, else the next opening. A result that exactly uses up an
 * interval is that interval's end (closing time), not the next opening.
 *
 * @param calendar `null` means 24×7: the result is `start + ms`.
 * @throws RangeError when `start` or `ms` is not finite or `ms` is negative; Error naming the
 *   calendar when it has no working time.
 * @example
 * // Mon–Fri 09:00–18:00 in Asia/Shanghai; Friday 17:30 + 2h → Monday 10:30
 * addBusinessTime(hours, Date.parse('2023-10-27T17:30:00+08:00'), 2 * 3_600_000);
 * // → Date.parse('2023-10-30T10:30:00+08:00')
 */
export function addBusinessTime(
  calendar: BusinessCalendar | null,
  start: number,
  ms: number,
): number {
  assertInstant(start, 'start');
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Business time to add must be a finite, non-negative number of ms: ${ms}`);
  }
  if (calendar === null) return start + ms;
  assertHasWorkingTime(calendar);

  let remaining = ms;
  let result = start;
  walk(calendar, start, Infinity, {
    week() {
      if (remaining <= calendar.weeklyMs) return false;
      remaining -= calendar.weeklyMs;
      return true;
    },
    interval(from, to) {
      if (remaining <= to - from) {
        result = from + remaining;
        return true;
      }
      remaining -= to - from;
      return false;
    },
  });
  return result;
}

/**
 * Business time (ms) between two instants; 0 when `end <= start`. The inverse of
 * {@link addBusinessTime}: `getBusinessTimeBetween(c, s, addBusinessTime(c, s, ms)) === ms`.
 *
 * @param calendar `null` means 24×7: the result is `end - start`.
 * @example
 * // SLA pause: business time still left on a 2h target
 * const remaining = 2 * 3_600_000 - getBusinessTimeBetween(hours, startedAt, pausedAt);
 */
export function getBusinessTimeBetween(
  calendar: BusinessCalendar | null,
  start: number,
  end: number,
): number {
  assertInstant(start, 'start');
  assertInstant(end, 'end');
  if (end <= start) return 0;
  if (calendar === null) return end - start;

  let total = 0;
  walk(calendar, start, end, {
    week(from) {
      if (from + WEEK > end) return false;
      total += calendar.weeklyMs;
      return true;
    },
    interval(from, to) {
      if (from >= end) return true;
      total += Math.min(to, end) - from;
      return to >= end;
    },
  });
  return total;
}

/**
 * Whether the instant `at` is inside business hours (interval start inclusive, end exclusive).
 *
 * @param calendar `null` means 24×7: always `true`.
 * @example
 * isBusinessTime(hours, Date.parse('2023-10-28T10:00:00+08:00')); // false: a Saturday
 */
export function isBusinessTime(calendar: BusinessCalendar | null, at: number): boolean {
  assertInstant(at, 'at');
  if (calendar === null) return true;
  const { offset } = getZone(calendar.timeZone).segmentAt(at);
  const local = at + offset;
  const day = Math.floor(local / DAY);
  if (calendar.holidaySet.has(day)) return false;
  const time = local - day * DAY;
  return getIntervals(calendar, day).some(
    (interval) => interval.from <= time && time < interval.to,
  );
}

/**
 * The first instant `>= at` inside business hours: `at` itself when it is business time.
 *
 * @param calendar `null` means 24×7: the result is `at`.
 * @throws Error naming the calendar when it has no working time.
 * @example
 * // Saturday → Monday 09:00
 * getNextBusinessInstant(hours, Date.parse('2023-10-28T10:00:00+08:00'));
 * // → Date.parse('2023-10-30T09:00:00+08:00')
 */
export function getNextBusinessInstant(calendar: BusinessCalendar | null, at: number): number {
  return addBusinessTime(calendar, at, 0);
}

interface Walker {
  /**
   * Offered a whole regular week starting at `from` (local midnight, no holiday, no offset
   * change), worth `weeklyMs`. Return `true` to consume it as one block.
   */
  week(from: number): boolean;
  /** Called with each business interval `[from, to)` in order; return `true` to stop. */
  interval(from: number, to: number): boolean;
}

/**
 * Visits the business intervals at or after `start`, in order, until the walker stops or `until`
 * is reached. Runs in local days inside segments of constant UTC offset, so the wall-clock time
 * of an instant is `instant + offset` throughout a segment.
 */
function walk(calendar: BusinessCalendar, start: number, until: number, walker: Walker): void {
  const zone = getZone(calendar.timeZone);
  const lastHoliday = calendar.holidays.at(-1) ?? -Infinity;
  let t = start;
  let lastWorkingDay = Math.floor((start + zone.segmentAt(start).offset) / DAY);

  while (t < until) {
    const segment = zone.segmentAt(t);
    const local = t + segment.offset;
    const day = Math.floor(local / DAY);
    const midnight = day * DAY - segment.offset;

    if (
      t === midnight &&
      t + WEEK <= segment.end &&
      !hasHolidayIn(calendar, day, day + 7) &&
      walker.week(t)
    ) {
      t += WEEK;
      lastWorkingDay = day + 6;
      continue;
    }

    if (!calendar.holidaySet.has(day)) {
      for (const interval of getIntervals(calendar, day)) {
        const from = Math.max(t, midnight + interval.from);
        const to = Math.min(segment.end, midnight + interval.to);
        if (from < to) {
          lastWorkingDay = day;
          if (walker.interval(from, to)) return;
        }
      }
    }

    if (until === Infinity && day > Math.max(lastWorkingDay, lastHoliday) + MAX_IDLE_DAYS) {
      throw new Error(
        `Calendar "${calendar.id}" has no working time in the ${MAX_IDLE_DAYS} days after ${formatDay(lastWorkingDay)}: every interval falls on a holiday or in a daylight-saving gap`,
      );
    }
    t = Math.min(midnight + DAY, segment.end);
  }
}

function getIntervals(calendar: BusinessCalendar, day: number): readonly BusinessInterval[] {
  // Day 0 (1970-01-01) was a Thursday, index 3 when Monday is 0.
  return calendar.week[(((day + 3) % 7) + 7) % 7] ?? [];
}

/** Whether a holiday falls on a local day in `[from, to)`. */
function hasHolidayIn(calendar: BusinessCalendar, from: number, to: number): boolean {
  const { holidays } = calendar;
  let low = 0;
  let high = holidays.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((holidays[mid] ?? Infinity) < from) low = mid + 1;
    else high = mid;
  }
  return (holidays[low] ?? Infinity) < to;
}

function assertHasWorkingTime(calendar: BusinessCalendar): void {
  if (calendar.weeklyMs === 0) {
    throw new Error(
      `Calendar "${calendar.id}" has no working hours in its week; add an interval such as mon: [["09:00", "18:00"]]`,
    );
  }
}

function assertInstant(value: number, name: string): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite instant in ms since the epoch: ${value}`);
  }
}

function parseClockTime(calendarId: string, weekday: string, text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new Error(
      `Calendar "${calendarId}": "${text}" on ${weekday} is not a time; use HH:MM from 00:00 to 24:00`,
    );
  }
  return hours * HOUR + minutes * MINUTE;
}

function parseHoliday(calendarId: string, text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const utc = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(utc) || formatDay(utc / DAY) !== text) {
    throw new Error(
      `Calendar "${calendarId}": holiday "${text}" is not a date; use YYYY-MM-DD such as 2023-10-02`,
    );
  }
  return utc / DAY;
}

function formatDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function mergeIntervals(intervals: readonly BusinessInterval[]): BusinessInterval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: BusinessInterval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.from <= last.to) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, interval.to) };
    } else {
      merged.push(interval);
    }
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------
// UTC offsets of a time zone

interface OffsetSegment {
  /** Wall-clock time minus UTC, in ms, from the queried instant until `end`. */
  readonly offset: number;
  /** The next offset change (or an arbitrary cache boundary) after the queried instant. */
  readonly end: number;
}

interface ZoneOffsets {
  segmentAt(at: number): OffsetSegment;
}

interface OffsetChunk {
  readonly end: number;
  /** Instants where the offset changes inside the chunk, ascending. */
  readonly transitions: readonly number[];
  /** `offsets[0]` holds at the chunk start, `offsets[i + 1]` from `transitions[i]` on. */
  readonly offsets: readonly number[];
}

/** Offsets depend only on the zone name, so the cache is shared by every calendar in that zone. */
const zones = new Map<string, ZoneOffsets>();

function getZone(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = createZoneOffsets(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

function createZoneOffsets(timeZone: string): ZoneOffsets {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const chunks = new Map<number, OffsetChunk>();

  /** Offset at a whole second (transitions happen on whole seconds). */
  function offsetAt(second: number): number {
    return wallClockOf(format, second) - second;
  }

  /** The first whole second in `(low, high]` whose offset differs from `low`'s. */
  function findTransition(low: number, high: number, lowOffset: number): number {
    let before = low;
    let after = high;
    while (after - before > SECOND) {
      const mid = before + Math.floor((after - before) / (2 * SECOND)) * SECOND;
      if (offsetAt(mid) === lowOffset) before = mid;
      else after = mid;
    }
    return after;
  }

  function computeChunk(index: number): OffsetChunk {
    const start = index * CHUNK;
    const transitions: number[] = [];
    const offsets = [offsetAt(start)];
    let previous = start;
    for (let probe = start + DAY; probe <= start + CHUNK; probe += DAY) {
      const probeOffset = offsetAt(probe);
      // More than one change between two probes is found one after the other.
      while ((offsets.at(-1) ?? probeOffset) !== probeOffset) {
        const at = findTransition(previous, probe, offsets.at(-1) ?? probeOffset);
        transitions.push(at);
        offsets.push(offsetAt(at));
        previous = at;
      }
      previous = probe;
    }
    return { end: start + CHUNK, transitions, offsets };
  }

  return {
    segmentAt(at) {
      const index = Math.floor(at / CHUNK);
      let chunk = chunks.get(index);
      if (!chunk) {
        chunk = computeChunk(index);
        chunks.set(index, chunk);
      }
      const { transitions, offsets } = chunk;
      let next = 0;
      while (next < transitions.length && (transitions[next] ?? Infinity) <= at) next += 1;
      return {
        offset: offsets[next] ?? 0,
        end: Math.min(transitions[next] ?? Infinity, chunk.end),
      };
    },
  };
}

const WALL_CLOCK = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/** The zone's wall-clock reading at a whole-second instant, as ms since a UTC-like epoch. */
function wallClockOf(format: Intl.DateTimeFormat, instant: number): number {
  const match = WALL_CLOCK.exec(format.format(instant));
  if (match) {
    const [, month, day, year, hour, minute, secondOfMinute] = match.map(Number);
    return toUtc(instant, year, month, day, hour, minute, secondOfMinute);
  }
  // Fallback for an unexpected ICU layout: slower but layout-independent.
  const parts = new Map(
    format.formatToParts(instant).map((part) => [part.type, Number(part.value)]),
  );
  return toUtc(
    instant,
    parts.get('year'),
    parts.get('month'),
    parts.get('day'),
    parts.get('hour'),
    parts.get('minute'),
    parts.get('second'),
  );
}

function toUtc(
  instant: number,
  year = NaN,
  month = NaN,
  day = NaN,
  hour = NaN,
  minute = NaN,
  second = NaN,
): number {
  const date = new Date(0);
  // setUTCFullYear keeps years 0–99 literal, unlike Date.UTC.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const value = date.getTime();
  if (Number.isNaN(value)) throw new Error(`Cannot read the wall-clock time at ${instant} ms`);
  return value;
}
