import type { Language } from '../../i18n';

const UNITS = {
  en: { d: 'd', h: 'h', min: 'min', s: 's' },
  'zh-CN': { d: '天', h: '小时', min: '分钟', s: '秒' },
} as const;

/**
 * A duration for people: the two largest units, e.g. "2 h 15 min", "3 d 4 h", "45 s"
 * ("2小时15分钟"). Null reads as "—".
 *
 * @example
 * formatDuration(8_100_000, 'en'); // '2 h 15 min'
 */
export function formatDuration(ms: number | null | undefined, language: Language): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const units = UNITS[language];
  const total = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const parts: [number, string][] = [
    [Math.floor(total / 86_400), units.d],
    [Math.floor((total % 86_400) / 3600), units.h],
    [Math.floor((total % 3600) / 60), units.min],
    [total % 60, units.s],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return language === 'en' ? `0 ${units.s}` : `0${units.s}`;
  const shown = parts.slice(first, first + 2).filter(([value]) => value > 0);
  return shown
    .map(([value, unit]) => (language === 'en' ? `${value} ${unit}` : `${value}${unit}`))
    .join(language === 'en' ? ' ' : '');
}

/** How close an SLA target is: `breached` (missed), `overdue` (due passed), `soon` (< 1 h). */
export type Urgency = 'met' | 'breached' | 'overdue' | 'soon' | 'ok';

export interface Countdown {
  readonly urgency: Urgency;
  /** ms until due (negative when overdue); null when there is no target. */
  readonly remainingMs: number | null;
}

/**
 * The state of one SLA target at `now`. `done` tickets show `met` unless the SLA was breached.
 *
 * @example
 * getCountdown('2024-05-01T10:30:00Z', Date.parse('2024-05-01T10:00:00Z'), { breached: false, done: false });
 * // { urgency: 'soon', remainingMs: 1_800_000 }
 */
export function getCountdown(
  dueAt: string | null,
  now: number,
  state: { readonly breached: boolean; readonly done: boolean },
): Countdown {
  if (dueAt === null) return { urgency: 'ok', remainingMs: null };
  const remainingMs = Date.parse(dueAt) - now;
  if (state.breached) return { urgency: 'breached', remainingMs };
  if (state.done) return { urgency: 'met', remainingMs };
  if (remainingMs < 0) return { urgency: 'overdue', remainingMs };
  if (remainingMs < 3_600_000) return { urgency: 'soon', remainingMs };
  return { urgency: 'ok', remainingMs };
}

/** A fraction as a percentage with one decimal ("87.5 %"), or "—". */
export function formatPercent(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return '—';
  const text = (Math.round(value * 1000) / 10).toLocaleString(language, {
    maximumFractionDigits: 1,
  });
  return language === 'en' ? `${text} %` : `${text}%`;
}

/** The time of day of an ISO instant in the user's language, e.g. "14:05". */
export function formatTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(Date.parse(iso));
}
