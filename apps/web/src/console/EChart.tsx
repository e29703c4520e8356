import { BarChart, LineChart, PieChart } from 'echarts/charts';
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  DatasetComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { memo, useMemo } from 'react';
import { useEChart } from '../shell/useEChart';

// Only what the console draws: tree-shaken from echarts/core (the full build is ~1 MB).
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | AriaComponentOption
  | DatasetComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

interface EChartProps {
  readonly option: ChartOption;
  readonly height?: number;
  /** Accessible name of the chart (ECharts also describes the data for screen readers). */
  readonly label: string;
  readonly testId?: string;
}

/** A console chart: one ECharts instance (see useEChart), described for screen readers. */
export const EChart = memo(function EChart({ option, height = 260, label, testId }: EChartProps) {
  const full = useMemo(() => ({ aria: { enabled: true }, animation: false, ...option }), [option]);
  const ref = useEChart(full);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ width: '100%', height }}
    />
  );
});
