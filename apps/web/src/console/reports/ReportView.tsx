import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Result,
  Row,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorCode, getErrorMessage } from '../../api/errors';
import { getLanguage } from '../../i18n';
import { formatDateTime } from '../../shell/format';
import type { ReportData } from '../api';
import { EChart } from '../EChart';
import { getBarsOption, getCsatOption } from '../dashboard/charts';
import { formatDuration, formatPercent } from '../model/format';

/** Starts a download of `text` as a UTF-8 CSV file (with a BOM, so spreadsheets read 中文). */
function downloadCsv(fileName: string, text: string): void {
  const blob = new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 0);
}

type Day = ReportData['days'][number];

/** `/reports/:id`: one report as a printable page, with CSV export. */
export function ReportView() {
  const { id = '' } = useParams();
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const language = getLanguage();
  const report = useQuery(trpc.reports.get.queryOptions({ id }));
  const documentTitle =
    report.data === undefined
      ? t('reports.title')
      : t('reports.viewTitle', {
          kind: t(`reports.kind.${report.data.kind}`),
          period: report.data.periodStart,
        });
  useEffect(() => {
    document.title = `${documentTitle} · Switchyard`;
  }, [documentTitle]);
  const csv = useMutation({
    mutationFn: () => trpcClient.reports.csv.query({ id }),
    onSuccess: ({ fileName, csv: text }) => {
      downloadCsv(fileName, text);
    },
    onError: (error) => void message.error(getErrorMessage(error)),
  });

  if (report.isError) {
    const notFound = getErrorCode(report.error) === 'NOT_FOUND';
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('reports.notFound') : getErrorMessage(report.error)}
        extra={<Link to="/reports">{t('reports.back')}</Link>}
      />
    );
  }
  const r = report.data;
  if (r === undefined) return <Skeleton active paragraph={{ rows: 12 }} />;
  const s = r.summary;
  const period =
    r.periodStart === r.periodEnd ? r.periodStart : `${r.periodStart} – ${r.periodEnd}`;
  const title = t('reports.viewTitle', { kind: t(`reports.kind.${r.kind}`), period });

  return (
    <div className="sy-page-body sy-report" data-testid="report-view">
      <Flex
        justify="space-between"
        align="center"
        gap={16}
        wrap
        className="sy-no-print sy-report-toolbar"
      >
        <Breadcrumb
          items={[{ title: <Link to="/reports">{t('reports.title')}</Link> }, { title: period }]}
        />
        <Flex gap={8}>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => {
              csv.mutate();
            }}
            loading={csv.isPending}
            data-testid="report-csv"
          >
            {t('reports.csv')}
          </Button>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => {
              window.print();
            }}
            data-testid="report-print"
          >
            {t('reports.print')}
          </Button>
        </Flex>
      </Flex>
      <div className="sy-report-sheet">
        <div className="sy-report-heading">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {title}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t('reports.meta', {
                zone: r.timeZone,
                time: formatDateTime(r.generatedAt, language),
                by: r.generatedBy ?? t('reports.byScheduler'),
              })}
            </Typography.Text>
          </div>
          {r.partial && (
            <Tag color="warning" variant="filled">
              {t('reports.partialHint')}
            </Tag>
          )}
        </div>
        <Row gutter={[12, 12]} className="sy-report-kpis">
          {[
            ['created', s.created],
            ['resolved', s.resolved],
            ['reopened', s.reopened],
            ['resolutionAvg', formatDuration(s.resolution.averageMs, language)],
            ['firstResponseAvg', formatDuration(s.firstResponse.averageMs, language)],
            ['sla', formatPercent(s.sla.attainment, language)],
            ['csat', s.csat.average === null ? '—' : `${s.csat.average.toFixed(1)} / 5`],
            ['answers', s.csat.count],
          ].map(([key, value]) => (
            <Col xs={12} md={6} key={key}>
              <div className="sy-report-kpi" data-testid={`report-kpi-${String(key)}`}>
                <div className="sy-report-kpi-label">{t(`reports.kpi.${String(key)}`)}</div>
                <div className="sy-report-kpi-value">{value}</div>
              </div>
            </Col>
          ))}
        </Row>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('reports.categoryShare')} className="sy-report-card">
              <Table
                size="small"
                rowKey="category"
                pagination={false}
                dataSource={[...r.categories]}
                locale={{ emptyText: t('dashboard.noData') }}
                columns={[
                  {
                    title: t('columns.category'),
                    dataIndex: 'category',
                    render: (value: string) =>
                      value === '' ? t('dashboard.uncategorised') : value,
                  },
                  {
                    title: t('reports.columns.tickets'),
                    dataIndex: 'count',
                    align: 'right',
                    width: 90,
                  },
                  {
                    title: t('reports.columns.share'),
                    dataIndex: 'share',
                    align: 'right',
                    width: 90,
                    render: (value: number) => formatPercent(value, language),
                  },
                ]}
              />
              {r.categories.length > 0 && (
                <EChart
                  height={Math.max(120, r.categories.length * 34)}
                  option={getBarsOption(
                    r.categories.map((row) => ({ key: row.category, count: row.count })),
                    (key) => (key === '' ? t('dashboard.uncategorised') : key),
                    t('dashboard.tickets'),
                  )}
                  label={t('reports.categoryShare')}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('reports.satisfaction')} className="sy-report-card">
              <Descriptions
                size="small"
                column={1}
                items={[
                  {
                    key: 'avg',
                    label: t('reports.kpi.csat'),
                    children: s.csat.average === null ? '—' : `${s.csat.average.toFixed(2)} / 5`,
                  },
                  { key: 'n', label: t('reports.kpi.answers'), children: s.csat.count },
                  {
                    key: 'frt',
                    label: t('reports.firstResponseP90'),
                    children: formatDuration(s.firstResponse.p90Ms, language),
                  },
                  {
                    key: 'res',
                    label: t('reports.resolutionP90'),
                    children: formatDuration(s.resolution.p90Ms, language),
                  },
                  {
                    key: 'sla',
                    label: t('reports.slaDetail'),
                    children: t('dashboard.kpi.slaHint', {
                      met: s.sla.met,
                      breached: s.sla.breached,
                    }),
                  },
                ]}
              />
              {s.csat.count > 0 && (
                <EChart
                  height={160}
                  option={getCsatOption(s.csat.distribution, t('dashboard.answers'))}
                  label={t('reports.satisfaction')}
                />
              )}
            </Card>
          </Col>
          {r.days.length > 1 && (
            <Col xs={24}>
              <Card size="small" title={t('reports.byDay')} className="sy-report-card">
                <Table<Day>
                  size="small"
                  rowKey="date"
                  pagination={false}
                  dataSource={[...r.days]}
                  columns={[
                    { title: t('reports.columns.date'), dataIndex: 'date' },
                    { title: t('reports.columns.created'), dataIndex: 'created', align: 'right' },
                    { title: t('reports.columns.resolved'), dataIndex: 'resolved', align: 'right' },
                    {
                      title: t('reports.columns.avgResolution'),
                      dataIndex: 'averageResolutionMs',
                      align: 'right',
                      render: (value: number | null) => formatDuration(value, language),
                    },
                    { title: t('reports.columns.answers'), dataIndex: 'csatCount', align: 'right' },
                    {
                      title: t('reports.columns.csat'),
                      dataIndex: 'csatAverage',
                      align: 'right',
                      render: (value: number | null) => (value === null ? '—' : value.toFixed(2)),
                    },
                  ]}
                  data-testid="report-days"
                />
              </Card>
            </Col>
          )}
        </Row>
      </div>
    </div>
  );
}
