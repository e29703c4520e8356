// Calendar arithmetic in an IANA time zone for dashboards and reports: local dates to UTC
// instants (DST-correct), the local date/hour of an instant, and report periods. Only Intl: no
// time-zone database of our own.

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone (`Asia/Shanghai`, `UTC`, …). */
export function isTimeZone(timeZone: string): boolean {
  try {
    getFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall-clock reading in `timeZone` at the instant `ms`. */
export function getLocalParts(ms: number, timeZone: string): LocalParts {
  const values: Record<string, number> = {};
  for (const part of getFormatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? 1970,
    month: values.month ?? 1,
    day: values.day ?? 1,
    hour: values.hour ?? 0,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

/** Offset of `timeZone` from UTC at the instant `ms`, in ms (Shanghai: +8 h). */
function getOffset(ms: number, timeZone: string): number {
  const p = getLocalParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (ms - (ms % 1000));
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** The local date in `timeZone` at the instant `ms`. */
export function getLocalDate(ms: number, timeZone: string): LocalDate {
  const p = getLocalParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = LOCAL_DATE.exec(date);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (
    match === null ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return { year, month, day };
}

/** `date` plus `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (0 when equal; negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/**
 * The instant local midnight starts `date` in `timeZone`. On a day whose midnight is skipped by
 * a DST change, the first existing local time after it.
 *
 * @example
 * getDayStart('2024-05-01', 'Asia/Shanghai'); // Date.parse('2024-04-30T16:00:00Z')
 */
export function getDayStart(date: LocalDate, timeZone: string): number {
  const { year, month, day } = parseLocalDate(date);
  const wall = Date.UTC(year, month - 1, day);
  // Two rounds settle the offset (the first guess may sit on the other side of a change).
  let guess = wall - getOffset(wall, timeZone);
  guess = wall - getOffset(guess, timeZone);
  if (getLocalDate(guess, timeZone) !== date) {
    // Midnight did not exist (a spring-forward at 00:00): step to the day's first hour.
    guess += 3_600_000;
  }
  return guess;
}

/** `[start, end)` instants of the local days `from` … `to` (inclusive) in `timeZone`. */
export function getRange(from: LocalDate, to: LocalDate, timeZone: string): Range {
  return { start: getDayStart(from, timeZone), end: getDayStart(addDays(to, 1), timeZone) };
}

export interface Range {
  /** Inclusive, ms since the epoch. */
  readonly start: number;
  /** Exclusive, ms since the epoch. */
  readonly end: number;
}

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * The report period containing `date`: the day; the ISO week (Monday to Sunday); the calendar
 * month. Both ends are local dates, inclusive.
 */
export function getPeriod(kind: ReportKind, date: LocalDate): { start: LocalDate; end: LocalDate } {
  const { year, month, day } = parseLocalDate(date);
  switch (kind) {
    case 'daily':
      return { start: date, end: date };
    case 'weekly': {
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay(); // 0 = Sunday
      const start = addDays(date, -((weekday + 6) % 7));
      return { start, end: addDays(start, 6) };
    }
    case 'monthly': {
      const start = `${pad(year, 4)}-${pad(month)}-01`;
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      return { start, end: `${pad(year, 4)}-${pad(month)}-${pad(last)}` };
    }
  }
}

/** The last period of `kind` that has fully ended by the instant `ms` in `timeZone`. */
export function getLastCompletePeriod(
  kind: ReportKind,
  ms: number,
  timeZone: string,
): { start: LocalDate; end: LocalDate } {
  const today = getLocalDate(ms, timeZone);
  const current = getPeriod(kind, today);
  return getPeriod(kind, addDays(current.start, -1));
}
