/**
 * Durations in flow documents are short strings an admin can type: "30m", "2h", "1h30m", "3d".
 * Units: s, m, h, d (d = 24 hours of wall-clock time; business time comes from calendars).
 */
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** Longest accepted duration: one year. Longer timers are almost certainly typos. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

/**
 * Parse a duration string into milliseconds, or `null` when it is not a valid duration.
 * "0m" is a valid (zero) duration; schemas decide whether zero is allowed.
 *
 * @example
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration('soon'); // null
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match) return null;
  const [, d, h, m, s] = match;
  const ms =
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(m ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s;
  return ms <= MAX_DURATION_MS ? ms : null;
}

/**
 * Format milliseconds the way an admin would write them.
 *
 * @example
 * formatDuration(5_400_000); // '1h30m'
 */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000)) * 1000;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * UNIT_MS[unit];
    }
  }
  return text === '' ? '0s' : text;
}
