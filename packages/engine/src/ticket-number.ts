/**
 * Ticket numbers: `CS` + the day in the help desk's time zone + that day's sequence, e.g.
 * `CS20231028001`. The store hands out the sequence per {@link getTicketDay} key, atomically, so
 * numbers stay unique under concurrency; this module only formats and parses.
 */

const PREFIX = 'CS';
const MIN_SEQUENCE_DIGITS = 3;
const TICKET_NUMBER = /^CS(\d{4})(\d{2})(\d{2})(\d{3,})$/i;

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The last day computed per time zone: Intl formatting is slow, and tickets come in bursts. */
const lastDays = new Map<string, { at: number; key: string }>();

/**
 * The calendar day of `at` in `timeZone` as `YYYYMMDD`: the key of the per-day sequence.
 *
 * @throws RangeError for an unknown time zone, or an instant outside the years 1000–9999.
 * @example
 * getTicketDay(Date.parse('2023-10-27T23:30:00Z'), 'Asia/Shanghai'); // '20231028'
 * getTicketDay(Date.parse('2023-10-27T23:30:00Z'), 'UTC'); // '20231027'
 */
export function getTicketDay(at: number, timeZone: string): string {
  if (!Number.isFinite(at)) {
    throw new RangeError(`A ticket's time must be a finite instant in ms: ${at}`);
  }
  const last = lastDays.get(timeZone);
  if (last?.at === at) return last.key;
  const parts = new Map(
    getDayFormat(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const year = parts.get('year') ?? '';
  const month = parts.get('month') ?? '';
  const day = parts.get('day') ?? '';
  const key = `${year}${month}${day}`;
  // The UTC year rules out BC years, which en-US prints without an era.
  const utcYear = new Date(at).getUTCFullYear();
  if (!/^\d{8}$/.test(key) || utcYear < 1000 || utcYear > 9999) {
    throw new RangeError(`Cannot number a ticket dated ${key} (${at} ms): years 1000–9999 only`);
  }
  lastDays.set(timeZone, { at, key });
  return key;
}

/**
 * `CS` + the day of `at` in `timeZone` + `sequence`, zero-padded to at least 3 digits.
 *
 * @param sequence the day's counter, starting at 1.
 * @throws RangeError when `sequence` is not a positive safe integer, or as {@link getTicketDay}.
 * @example
 * formatTicketNumber(Date.parse('2023-10-28T02:00:00Z'), 'Asia/Shanghai', 1); // 'CS20231028001'
 * formatTicketNumber(Date.parse('2023-10-28T02:00:00Z'), 'Asia/Shanghai', 1000); // 'CS202310281000'
 */
export function formatTicketNumber(at: number, timeZone: string, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`A ticket sequence must be a whole number from 1: ${sequence}`);
  }
  return `${PREFIX}${getTicketDay(at, timeZone)}${String(sequence).padStart(MIN_SEQUENCE_DIGITS, '0')}`;
}

/**
 * Splits a ticket number into its day key and sequence; `null` when it is not one that
 * {@link formatTicketNumber} would produce (bad date, sequence 0, extra leading zeros). Surrounding
 * whitespace and a lower-case `cs` are accepted, since people type these into search boxes.
 *
 * @example
 * parseTicketNumber('CS20231028001'); // { day: '20231028', sequence: 1 }
 * parseTicketNumber('CS20231028'); // null
 */
export function parseTicketNumber(number: string): { day: string; sequence: number } | null {
  const match = TICKET_NUMBER.exec(number.trim());
  if (!match) return null;
  const [, year = '', month = '', day = '', digits = ''] = match;
  const sequence = Number(digits);
  const padded = digits.length > MIN_SEQUENCE_DIGITS && digits.startsWith('0');
  if (padded || !Number.isSafeInteger(sequence) || sequence < 1) return null;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  return { day: `${year}${month}${day}`, sequence };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function getDayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      throw new RangeError(
        `Unknown time zone "${timeZone}"; use an IANA zone such as "Asia/Shanghai"`,
      );
    }
    dayFormats.set(timeZone, format);
  }
  return format;
}
