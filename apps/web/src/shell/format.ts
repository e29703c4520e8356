import type { Language } from '../i18n';

const UNITS: readonly { readonly unit: Intl.RelativeTimeFormatUnit; readonly ms: number }[] = [
  { unit: 'year', ms: 365 * 86_400_000 },
  { unit: 'month', ms: 30 * 86_400_000 },
  { unit: 'week', ms: 7 * 86_400_000 },
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
];

/**
 * "3 hours ago" / "3小时前" for an ISO time, relative to `now` (ms). Under a minute reads as
 * "now"; a time in the future reads "in …". Null for a missing or unparsable time.
 *
 * @example
 * formatRelativeTime('2024-05-01T10:00:00Z', Date.parse('2024-05-01T13:00:00Z'), 'en'); // '3 hours ago'
 */
export function formatRelativeTime(
  iso: string | null | undefined,
  now: number,
  language: Language,
): string | null {
  if (iso === null || iso === undefined) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const delta = at - now;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const { unit, ms } of UNITS) {
    if (Math.abs(delta) >= ms) return format.format(Math.trunc(delta / ms), unit);
  }
  return format.format(0, 'second');
}

/** Date and time in the user's language, e.g. "May 1, 2024, 10:00" / "2024年5月1日 10:00". */
export function formatDateTime(iso: string | null | undefined, language: Language): string {
  if (iso === null || iso === undefined) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** A file name safe on every OS: letters, digits, `-`, `_` and `.` only. */
export function toFileName(...parts: readonly (string | number)[]): string {
  return parts
    .map((part) => String(part).replace(/[^A-Za-z0-9._-]+/g, '-'))
    .filter((part) => part !== '')
    .join('-');
}

/** Starts a download of `value` as pretty-printed JSON. */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName.endsWith('.json') ? fileName : `${fileName}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled; the download keeps its own reference.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 0);
}
