// ECharts options for the dashboard, built from the dashboard.get reply: plain functions (no
// React, no ECharts instance), so what each chart shows is tested without a browser.
import type { ChartOption } from '../EChart';

export const PALETTE = [
  '#3b5bdb',
  '#12b886',
  '#f59f00',
  '#e64980',
  '#7048e8',
  '#15aabf',
  '#fd7e14',
  '#82c91e',
];
const AXIS = { axisLine: { lineStyle: { color: '#d0d5dd' } }, axisLabel: { color: '#667085' } };
const SPLIT = { splitLine: { lineStyle: { color: '#f2f4f7' } } };
const GRID = { left: 8, right: 16, top: 24, bottom: 8, containLabel: true };
const TOOLTIP = { trigger: 'axis', axisPointer: { type: 'shadow' } } as const;

interface Labelled {
  readonly key: string;
  readonly count: number;
}

/** Tickets per local day: bars, the day as "MM-DD". */
export function getVolumeByDayOption(
  days: readonly { date: string; count: number }[],
  name: string,
): ChartOption {
  return {
    color: PALETTE,
    grid: GRID,
    tooltip: TOOLTIP,
    xAxis: { type: 'category', data: days.map((day) => day.date.slice(5)), ...AXIS },
    yAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
    series: [
      {
        name,
        type: 'bar',
        data: days.map((day) => day.count),
        barMaxWidth: 28,
        itemStyle: { borderRadius: [4, 4, 0, 0] },
      },
    ],
  };
}

/** Tickets per local hour of day (00–23). */
export function getVolumeByHourOption(byHour: readonly number[], name: string): ChartOption {
  return {
    color: ['#15aabf'],
    grid: GRID,
    tooltip: TOOLTIP,
    xAxis: {
      type: 'category',
      data: byHour.map((_, hour) => String(hour).padStart(2, '0')),
      ...AXIS,
    },
    yAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
    series: [
      {
        name,
        type: 'bar',
        data: [...byHour],
        barMaxWidth: 18,
        itemStyle: { borderRadius: [3, 3, 0, 0] },
      },
    ],
  };
}

/** A share as a donut (channels), largest first. */
export function getDonutOption(
  items: readonly Labelled[],
  label: (key: string) => string,
  name: string,
): ChartOption {
  return {
    color: PALETTE,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { orient: 'vertical', right: 0, top: 'middle', textStyle: { color: '#475467' } },
    series: [
      {
        name,
        type: 'pie',
        radius: ['48%', '72%'],
        center: ['36%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data: items.map((item) => ({ name: label(item.key), value: item.count })),
      },
    ],
  };
}

/** Horizontal bars, largest on top (categories, escalation levels). */
export function getBarsOption(
  items: readonly Labelled[],
  label: (key: string) => string,
  name: string,
  color = '#7048e8',
): ChartOption {
  const ordered = [...items].reverse();
  return {
    color: [color],
    grid: { ...GRID, right: 32 },
    tooltip: TOOLTIP,
    xAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
    yAxis: { type: 'category', data: ordered.map((item) => label(item.key)), ...AXIS },
    series: [
      {
        name,
        type: 'bar',
        data: ordered.map((item) => item.count),
        barMaxWidth: 22,
        label: { show: true, position: 'right', color: '#475467' },
        itemStyle: { borderRadius: [0, 4, 4, 0] },
      },
    ],
  };
}

/** CSAT answers per score 1–5, red to green. */
export function getCsatOption(distribution: readonly number[], name: string): ChartOption {
  const colors = ['#e03131', '#f76707', '#fab005', '#82c91e', '#2f9e44'];
  return {
    grid: GRID,
    tooltip: TOOLTIP,
    xAxis: { type: 'category', data: ['1', '2', '3', '4', '5'], ...AXIS },
    yAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
    series: [
      {
        name,
        type: 'bar',
        barMaxWidth: 36,
        data: distribution.map((value, index) => ({
          value,
          itemStyle: { color: colors[index], borderRadius: [4, 4, 0, 0] },
        })),
      },
    ],
  };
}

/** Open tickets per team, the breached part stacked in red. */
export function getBacklogOption(
  teams: readonly { team: string; open: number; breached: number }[],
  label: (team: string) => string,
  names: { readonly open: string; readonly breached: string },
): ChartOption {
  const ordered = [...teams].reverse();
  return {
    color: ['#3b5bdb', '#e03131'],
    grid: GRID,
    tooltip: TOOLTIP,
    legend: { top: 0, right: 0, textStyle: { color: '#475467' } },
    xAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
    yAxis: { type: 'category', data: ordered.map((row) => label(row.team)), ...AXIS },
    series: [
      {
        name: names.open,
        type: 'bar',
        stack: 'backlog',
        barMaxWidth: 22,
        data: ordered.map((row) => row.open - row.breached),
      },
      {
        name: names.breached,
        type: 'bar',
        stack: 'backlog',
        barMaxWidth: 22,
        data: ordered.map((row) => row.breached),
      },
    ],
  };
}

/**
 * Each active agent's open tickets against capacity: the load bar turns orange from 80 % and red
 * over capacity; capacity is the grey bar behind it. At most `limit` agents, busiest first.
 */
export function getAgentLoadOption(
  agents: readonly { name: string; open: number; capacity: number; active: boolean }[],
  names: { readonly open: string; readonly capacity: string },
  limit = 12,
): ChartOption {
  const shown = agents
    .filter((agent) => agent.active)
    .sort(
      (a, b) =>
        b.open / Math.max(b.capacity, 1) - a.open / Math.max(a.capacity, 1) ||
        a.name.localeCompare(b.name),
    )
    .slice(0, limit)
    .reverse();
  return {
    grid: GRID,
    tooltip: TOOLTIP,
    legend: { top: 0, right: 0, textStyle: { color: '#475467' } },
    xAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
    yAxis: { type: 'category', data: shown.map((agent) => agent.name), ...AXIS },
    series: [
      {
        name: names.capacity,
        type: 'bar',
        barGap: '-100%',
        barMaxWidth: 18,
        itemStyle: { color: '#eaecf0', borderRadius: [0, 4, 4, 0] },
        data: shown.map((agent) => agent.capacity),
        z: 1,
      },
      {
        name: names.open,
        type: 'bar',
        barMaxWidth: 18,
        z: 2,
        data: shown.map((agent) => ({
          value: agent.open,
          itemStyle: {
            borderRadius: [0, 4, 4, 0],
            color:
              agent.open > agent.capacity
                ? '#e03131'
                : agent.open >= 0.8 * agent.capacity
                  ? '#f59f00'
                  : '#3b5bdb',
          },
        })),
      },
    ],
  };
}
