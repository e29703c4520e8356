import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  Row,
  Segmented,
  Select,
  Skeleton,
  Statistic,
  Tooltip,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { trpc } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import { getLanguage } from '../../i18n';
import { formatDateTime } from '../../shell/format';
import { PageHeader } from '../../shell/PageHeader';
import type { Dashboard } from '../api';
import { useDirectory } from '../api';
import { EChart } from '../EChart';
import { findPreset, getPresetRange, isLocalDate, RANGE_PRESETS } from '../model/dates';
import type { RangePreset } from '../model/dates';
import { CHANNEL_VALUES } from '../model/filters';
import type { Channel } from '../model/filters';
import { formatDuration, formatPercent } from '../model/format';
import {
  getAgentLoadOption,
  getBacklogOption,
  getBarsOption,
  getCsatOption,
  getDonutOption,
  getVolumeByDayOption,
  getVolumeByHourOption,
} from './charts';

/** How often the dashboard reloads by itself. */
const REFRESH_MS = 30_000;

function ChartCard({
  title,
  extra,
  empty,
  emptyText,
  children,
  testId,
}: {
  title: string;
  extra?: ReactNode;
  empty: boolean;
  emptyText?: string;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation('console');
  return (
    <Card title={title} size="small" extra={extra} className="sy-chart-card" data-testid={testId}>
      {empty ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={emptyText ?? t('dashboard.noData')}
          style={{ height: 220, paddingTop: 48, margin: 0 }}
        />
      ) : (
        children
      )}
    </Card>
  );
}

function Kpi({
  title,
  value,
  hint,
  testId,
  tone,
}: {
  title: string;
  value: ReactNode;
  hint?: ReactNode;
  testId: string;
  tone?: 'good' | 'bad';
}) {
  return (
    <Card size="small" className="sy-kpi" data-testid={testId}>
      <Statistic
        title={title}
        value={typeof value === 'string' || typeof value === 'number' ? value : undefined}
        formatter={typeof value === 'string' || typeof value === 'number' ? undefined : () => value}
        styles={{
          content:
            tone === undefined ? undefined : { color: tone === 'good' ? '#2f9e44' : '#e03131' },
        }}
      />
      {hint !== undefined && <div className="sy-kpi-hint">{hint}</div>}
    </Card>
  );
}

/** `/dashboard`: volumes, response and resolution times, SLA, escalations, CSAT, backlog, load. */
export function DashboardPage() {
  const { t } = useTranslation('console');
  const language = getLanguage();
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  const options = useQuery({ ...trpc.dashboard.options.queryOptions(), staleTime: 60_000 });
  const today = options.data?.today;
  const fallback = today === undefined ? null : getPresetRange('7d', today);
  const from = isLocalDate(params.get('from')) ? params.get('from') : (fallback?.from ?? null);
  const to = isLocalDate(params.get('to')) ? params.get('to') : (fallback?.to ?? null);
  const channel = (CHANNEL_VALUES as readonly string[]).includes(params.get('channel') ?? '')
    ? (params.get('channel') as Channel)
    : undefined;
  const category = params.get('category') ?? undefined;

  const dashboard = useQuery({
    ...trpc.dashboard.get.queryOptions({ from: from ?? '', to: to ?? '', channel, category }),
    enabled: from !== null && to !== null,
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };
  const preset =
    from !== null && to !== null && today !== undefined ? findPreset({ from, to }, today) : null;
  const d: Dashboard | undefined = dashboard.data;

  const charts = useMemo(() => {
    if (d === undefined) return null;
    const channelLabel = (key: string) => t(`channel.${key}`, { defaultValue: key });
    const categoryLabel = (key: string) => (key === '' ? t('dashboard.uncategorised') : key);
    return {
      byDay: getVolumeByDayOption(d.byDay, t('dashboard.tickets')),
      byHour: getVolumeByHourOption(d.byHour, t('dashboard.tickets')),
      byChannel: getDonutOption(d.byChannel, channelLabel, t('dashboard.tickets')),
      byCategory: getBarsOption(d.byCategory, categoryLabel, t('dashboard.tickets')),
      escalations: getBarsOption(
        d.escalations.map((row) => ({ key: String(row.level), count: row.tickets })),
        (level) => t('dashboard.level', { level }),
        t('dashboard.tickets'),
        '#f08c00',
      ),
      csat: getCsatOption(d.csat.distribution, t('dashboard.answers')),
      backlog: getBacklogOption(
        d.backlogByTeam,
        (team) => (team === '' ? t('dashboard.noTeam') : (directory.teamName(team) ?? team)),
        {
          open: t('dashboard.withinSla'),
          breached: t('dashboard.breached'),
        },
      ),
      load: getAgentLoadOption(d.agentLoad, {
        open: t('dashboard.openTickets'),
        capacity: t('dashboard.capacity'),
      }),
    };
  }, [d, t, directory]);

  return (
    <div className="sy-page-body sy-dashboard">
      <PageHeader
        title={t('dashboard.title')}
        subtitle={
          d === undefined
            ? t('dashboard.subtitle')
            : t('dashboard.range', { from: d.from, to: d.to, zone: d.timeZone })
        }
        extra={
          <>
            {d !== undefined && (
              <Typography.Text
                type="secondary"
                className="sy-updated"
                data-testid="dashboard-updated"
              >
                {t('dashboard.updated', { time: formatDateTime(d.generatedAt, language) })}
              </Typography.Text>
            )}
            <Tooltip title={t('dashboard.autoRefresh', { seconds: REFRESH_MS / 1000 })}>
              <Button
                icon={<ReloadOutlined spin={dashboard.isFetching} />}
                onClick={() => void dashboard.refetch()}
              >
                {t('actions.refresh')}
              </Button>
            </Tooltip>
          </>
        }
      />
      <Card size="small" className="sy-dashboard-filters">
        <Flex gap={12} wrap align="center">
          <Segmented<RangePreset | 'custom'>
            value={preset ?? 'custom'}
            onChange={(value) => {
              if (value !== 'custom' && today !== undefined) set(getPresetRange(value, today));
            }}
            options={[...RANGE_PRESETS, 'custom' as const].map((value) => ({
              value,
              label: t(`dashboard.preset.${value}`),
            }))}
            data-testid="dashboard-range"
          />
          <Flex gap={6} align="center">
            <Input
              type="date"
              value={from ?? ''}
              max={to ?? undefined}
              onChange={(event) => {
                set({ from: event.target.value });
              }}
              style={{ width: 150 }}
              aria-label={t('dashboard.from')}
            />
            <span className="sy-muted">–</span>
            <Input
              type="date"
              value={to ?? ''}
              min={from ?? undefined}
              onChange={(event) => {
                set({ to: event.target.value });
              }}
              style={{ width: 150 }}
              aria-label={t('dashboard.to')}
            />
          </Flex>
          <Select
            allowClear
            placeholder={t('columns.channel')}
            value={channel}
            onChange={(value: string | undefined) => {
              set({ channel: value });
            }}
            options={CHANNEL_VALUES.map((value) => ({ value, label: t(`channel.${value}`) }))}
            style={{ minWidth: 140 }}
            data-testid="dashboard-channel"
          />
          <Select
            allowClear
            placeholder={t('columns.category')}
            value={category}
            onChange={(value: string | undefined) => {
              set({ category: value });
            }}
            options={(options.data?.categories ?? []).map((value) => ({ value, label: value }))}
            style={{ minWidth: 150 }}
          />
        </Flex>
      </Card>

      {dashboard.isError && (
        <Alert
          type="error"
          showIcon
          title={getErrorMessage(dashboard.error)}
          style={{ marginBottom: 16 }}
        />
      )}
      {d === undefined || charts === null ? (
        <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <>
          <Row gutter={[16, 16]} className="sy-kpis">
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('dashboard.kpi.created')}
                value={d.created}
                hint={t('dashboard.kpi.reopened', { count: d.reopened })}
                testId="kpi-created"
              />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('dashboard.kpi.resolved')}
                value={d.resolved}
                hint={t('dashboard.kpi.backlog', {
                  count: d.backlogByTeam.reduce((sum, row) => sum + row.open, 0),
                })}
                testId="kpi-resolved"
              />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('dashboard.kpi.firstResponse')}
                value={formatDuration(d.firstResponse.averageMs, language)}
                hint={t('dashboard.kpi.p90', {
                  value: formatDuration(d.firstResponse.p90Ms, language),
                  count: d.firstResponse.count,
                })}
                testId="kpi-first-response"
              />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('dashboard.kpi.resolution')}
                value={formatDuration(d.resolution.averageMs, language)}
                hint={t('dashboard.kpi.p90', {
                  value: formatDuration(d.resolution.p90Ms, language),
                  count: d.resolution.count,
                })}
                testId="kpi-resolution"
              />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('dashboard.kpi.sla')}
                value={formatPercent(d.sla.attainment, language)}
                tone={
                  d.sla.attainment === null ? undefined : d.sla.attainment >= 0.9 ? 'good' : 'bad'
                }
                hint={t('dashboard.kpi.slaHint', { met: d.sla.met, breached: d.sla.breached })}
                testId="kpi-sla"
              />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('dashboard.kpi.csat')}
                value={d.csat.average === null ? '—' : `${d.csat.average.toFixed(1)} / 5`}
                tone={
                  d.csat.average === null
                    ? undefined
                    : d.csat.average >= 4
                      ? 'good'
                      : d.csat.average < 3
                        ? 'bad'
                        : undefined
                }
                hint={t('dashboard.kpi.answers', { count: d.csat.count })}
                testId="kpi-csat"
              />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <ChartCard
                title={t('dashboard.chart.byDay')}
                empty={d.created === 0}
                testId="chart-by-day"
              >
                <EChart option={charts.byDay} label={t('dashboard.chart.byDay')} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={8}>
              <ChartCard
                title={t('dashboard.chart.byChannel')}
                empty={d.byChannel.length === 0}
                testId="chart-by-channel"
              >
                <EChart option={charts.byChannel} label={t('dashboard.chart.byChannel')} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard
                title={t('dashboard.chart.byHour', { zone: d.timeZone })}
                empty={d.created === 0}
                testId="chart-by-hour"
              >
                <EChart
                  option={charts.byHour}
                  label={t('dashboard.chart.byHour', { zone: d.timeZone })}
                />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard
                title={t('dashboard.chart.byCategory')}
                empty={d.byCategory.length === 0}
                testId="chart-by-category"
              >
                <EChart option={charts.byCategory} label={t('dashboard.chart.byCategory')} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={8}>
              <ChartCard
                title={t('dashboard.chart.csat')}
                empty={d.csat.count === 0}
                emptyText={t('dashboard.noAnswers')}
                testId="chart-csat"
              >
                <EChart option={charts.csat} label={t('dashboard.chart.csat')} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={8}>
              <ChartCard
                title={t('dashboard.chart.escalations')}
                empty={d.escalations.length === 0}
                emptyText={t('dashboard.noEscalations')}
                testId="chart-escalations"
              >
                <EChart option={charts.escalations} label={t('dashboard.chart.escalations')} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={8}>
              <ChartCard
                title={t('dashboard.chart.backlog')}
                empty={d.backlogByTeam.length === 0}
                emptyText={t('dashboard.noBacklog')}
                testId="chart-backlog"
              >
                <EChart option={charts.backlog} label={t('dashboard.chart.backlog')} />
              </ChartCard>
            </Col>
            <Col xs={24}>
              <ChartCard
                title={t('dashboard.chart.load')}
                empty={d.agentLoad.length === 0}
                testId="chart-load"
              >
                <EChart option={charts.load} height={320} label={t('dashboard.chart.load')} />
              </ChartCard>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
