/** Count, mean and 90th percentile of durations in ms; null figures when there are none. */
export interface DurationStats {
  readonly count: number;
  readonly averageMs: number | null;
  readonly p90Ms: number | null;
}

/**
 * Mean (rounded to the ms) and nearest-rank 90th percentile: the smallest value that at least
 * 90 % of the values do not exceed (`sorted[ceil(0.9 n) - 1]`), so it is always a real value.
 *
 * @example
 * getDurationStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // { count: 10, averageMs: 6, p90Ms: 9 }
 */
export function getDurationStats(values: ArrayLike<number>): DurationStats {
  const count = values.length;
  if (count === 0) return { count: 0, averageMs: null, p90Ms: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count,
    averageMs: Math.round(sum / count),
    p90Ms: sorted[Math.ceil(0.9 * count) - 1] ?? null,
  };
}

/** CSAT answers: how many, their mean (2 decimals) and how many gave each score 1…5. */
export interface CsatStats {
  readonly count: number;
  readonly average: number | null;
  /** Index 0 is score 1. */
  readonly distribution: readonly [number, number, number, number, number];
}

export function getCsatStats(byScore: Readonly<Record<number, number>>): CsatStats {
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let count = 0;
  let sum = 0;
  for (let score = 1; score <= 5; score++) {
    const n = byScore[score] ?? 0;
    distribution[score - 1] = n;
    count += n;
    sum += n * score;
  }
  return {
    count,
    average: count === 0 ? null : Math.round((sum / count) * 100) / 100,
    distribution,
  };
}

/** `part / whole` as a fraction rounded to 4 decimals, or null when `whole` is 0. */
export function getRatio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}
