import { describe, expect, it } from 'vitest';
import { formatPercent, getConfusionCells, getTopConfusions } from './evaluation';

describe('confusion figures', () => {
  const labels = ['a', 'b', 'c'];
  const matrix = [
    [8, 2, 0],
    [3, 4, 1],
    [0, 0, 0],
  ];

  it('colours each cell by its share of the row (0 for a label never seen)', () => {
    const cells = getConfusionCells(matrix);
    expect(cells).toHaveLength(9);
    expect(cells.find((c) => c.row === 0 && c.col === 1)).toMatchObject({ count: 2, share: 0.2 });
    expect(cells.find((c) => c.row === 1 && c.col === 0)?.share).toBeCloseTo(3 / 8);
    expect(cells.filter((c) => c.row === 2).every((c) => c.share === 0)).toBe(true);
  });

  it('lists the off-diagonal mix-ups, largest first', () => {
    expect(getTopConfusions(labels, matrix, 2)).toEqual([
      { truth: 'b', predicted: 'a', count: 3 },
      { truth: 'a', predicted: 'b', count: 2 },
    ]);
    expect(
      getTopConfusions(
        labels,
        [
          [5, 0],
          [0, 5],
        ],
        5,
      ),
    ).toEqual([]);
  });

  it('formats shares as percentages with one decimal', () => {
    expect(formatPercent(0.91234, 'en')).toBe('91.2%');
    expect(formatPercent(1, 'zh-CN')).toBe('100.0%');
  });
});
