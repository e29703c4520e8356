import { HeatmapChart } from 'echarts/charts';
import type { HeatmapSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import type {
  AriaComponentOption,
  GridComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useEChart } from '../../shell/useEChart';
import { getConfusionCells } from './evaluation';

echarts.use([
  HeatmapChart,
  AriaComponent,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

type HeatmapOption = ComposeOption<
  | HeatmapSeriesOption
  | AriaComponentOption
  | GridComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

interface ConfusionHeatmapProps {
  readonly labels: readonly string[];
  /** `matrix[truth][predicted]` counts. */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * The cross-validation confusion matrix as an ECharts heatmap: rows are the true labels (top to
 * bottom), columns what the model answered; each cell is coloured by the share of its row, so a
 * label with few examples is as readable as a big one, and shows the count.
 */
export function ConfusionHeatmap({ labels, matrix }: ConfusionHeatmapProps) {
  const { t } = useTranslation('models');
  const size = labels.length;
  // Up to 20 labels: roomy cells with counts and every column named. More (Banking77 has 77):
  // 14 px rows, smaller type, columns named in the tooltip only (their names would overlap).
  const many = size > 20;
  const fontSize = many ? 10 : 11;
  const height = many ? 60 + size * 14 : Math.max(260, 120 + size * 28);
  const labelWidth = Math.min(
    many ? 300 : 220,
    Math.max(60, ...labels.map((label) => label.length * (fontSize * 0.6))),
  );
  const bottom = many ? 32 : labelWidth * 0.7 + 40;

  const option = useMemo((): HeatmapOption => {
    const cells = getConfusionCells(matrix);
    return {
      aria: { enabled: true },
      animation: false,
      tooltip: {
        formatter: (params) => {
          const value = (params as { value?: unknown }).value;
          if (!Array.isArray(value)) return '';
          const [col, row, , count] = value as [number, number, number, number];
          return t('confusion.tooltip', {
            truth: labels[row] ?? '',
            predicted: labels[col] ?? '',
            count,
          });
        },
      },
      grid: { left: labelWidth + 16, right: 24, top: 16, bottom },
      xAxis: {
        type: 'category',
        data: [...labels],
        name: t('confusion.predicted'),
        nameLocation: 'middle',
        nameGap: many ? 12 : labelWidth * 0.7 + 20,
        axisLabel: many ? { show: false } : { rotate: 45, interval: 0, fontSize },
        axisTick: { show: !many },
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        data: [...labels],
        inverse: true,
        name: t('confusion.truth'),
        nameLocation: 'middle',
        nameGap: labelWidth + 4,
        axisLabel: { interval: 0, fontSize },
        splitArea: { show: true },
      },
      visualMap: {
        min: 0,
        max: 1,
        show: false,
        dimension: 2,
        inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] },
      },
      series: [
        {
          type: 'heatmap',
          name: t('confusion.title'),
          data: cells.map((cell) => [cell.col, cell.row, cell.share, cell.count]),
          label: {
            show: !many,
            formatter: (params) => {
              const value = (params as { value?: unknown }).value;
              const count = Array.isArray(value) ? Number(value[3]) : 0;
              return count === 0 ? '' : String(count);
            },
            fontSize: 11,
          },
          emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } },
        },
      ],
    };
  }, [labels, matrix, labelWidth, bottom, fontSize, many, t]);

  const ref = useEChart(option);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={t('confusion.title')}
      data-testid="confusion-heatmap"
      style={{ width: '100%', height }}
    />
  );
}
