// Local calendar dates (`YYYY-MM-DD`) for the dashboard and reports: the server says what
// "today" is in its time zone; ranges count back from it.

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isLocalDate(value: string | null | undefined): value is string {
  if (value == null || !DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export const RANGE_PRESETS = ['today', '7d', '30d', '90d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The local days a preset covers, ending today (inclusive). */
export function getPresetRange(preset: RangePreset, today: string): { from: string; to: string } {
  const days = { today: 1, '7d': 7, '30d': 30, '90d': 90 }[preset];
  return { from: addDays(today, 1 - days), to: today };
}

/** The preset a range is, if any. */
export function findPreset(range: { from: string; to: string }, today: string): RangePreset | null {
  return (
    RANGE_PRESETS.find((preset) => {
      const candidate = getPresetRange(preset, today);
      return candidate.from === range.from && candidate.to === range.to;
    }) ?? null
  );
}
