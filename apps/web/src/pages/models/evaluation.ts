/** Figures shown on the models pages, computed from what `classifier.models.get` returns. */

export interface ConfusionCell {
  /** Index of the true label (row). */
  readonly row: number;
  /** Index of the predicted label (column). */
  readonly col: number;
  readonly count: number;
  /** `count` as a share of its row (0 for an empty row): the cell's colour. */
  readonly share: number;
}

/** Every cell of a confusion matrix with its row share. */
export function getConfusionCells(matrix: readonly (readonly number[])[]): ConfusionCell[] {
  const cells: ConfusionCell[] = [];
  matrix.forEach((row, r) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, c) => {
      cells.push({ row: r, col: c, count, share: total === 0 ? 0 : count / total });
    });
  });
  return cells;
}

/** The most frequent mistakes (truth → predicted), largest first. */
export function getTopConfusions(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
  limit: number,
): { truth: string; predicted: string; count: number }[] {
  return getConfusionCells(matrix)
    .filter((cell) => cell.row !== cell.col && cell.count > 0)
    .sort((a, b) => b.count - a.count || a.row - b.row || a.col - b.col)
    .slice(0, limit)
    .map((cell) => ({
      truth: labels[cell.row] ?? '',
      predicted: labels[cell.col] ?? '',
      count: cell.count,
    }));
}

/** 0.9123 → "91.2 %" (one decimal). */
export function formatPercent(value: number, language: string): string {
  return new Intl.NumberFormat(language, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value);
}
