import { FileTextOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import { useSession } from '../../api/session';
import { getLanguage } from '../../i18n';
import { formatDateTime } from '../../shell/format';
import { PageHeader } from '../../shell/PageHeader';
import type { ReportListItem } from '../api';
import { isLocalDate } from '../model/dates';

const KINDS = ['daily', 'weekly', 'monthly'] as const;
type Kind = (typeof KINDS)[number];

/** `/reports`: stored reports (scheduled and on demand) and a form to generate one now. */
export function ReportsPage() {
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const language = getLanguage();
  const session = useSession();
  const [kind, setKind] = useState<Kind | 'all'>('all');
  const options = useQuery({ ...trpc.dashboard.options.queryOptions(), staleTime: 60_000 });
  const reports = useQuery(
    trpc.reports.list.queryOptions(kind === 'all' ? { limit: 100 } : { kind, limit: 100 }),
  );
  const [form] = Form.useForm<{ kind: Kind; date: string }>();
  const canGenerate = session.data?.role === 'admin' || session.data?.role === 'agent';

  const generate = useMutation({
    mutationFn: (values: { kind: Kind; date: string }) =>
      trpcClient.reports.generate.mutate(values),
    onSuccess: (report) => void navigate(`/reports/${report.id}`),
    onError: (error) => void message.error(getErrorMessage(error)),
  });

  const columns: TableColumnsType<ReportListItem> = [
    {
      title: t('reports.columns.report'),
      key: 'report',
      render: (_, report) => (
        <Flex gap={10} align="center">
          <FileTextOutlined className="sy-report-icon" />
          <div>
            <Typography.Text strong>{t(`reports.kind.${report.kind}`)}</Typography.Text>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {report.periodStart === report.periodEnd
                  ? report.periodStart
                  : `${report.periodStart} – ${report.periodEnd}`}{' '}
                · {report.timeZone}
              </Typography.Text>
            </div>
          </div>
        </Flex>
      ),
    },
    {
      title: t('reports.columns.trigger'),
      key: 'trigger',
      width: 160,
      render: (_, report) => (
        <Flex gap={4} wrap>
          <Tag color={report.trigger === 'schedule' ? 'blue' : 'default'} variant="filled">
            {t(`reports.trigger.${report.trigger}`)}
          </Tag>
          {report.partial && (
            <Tag color="warning" variant="outlined">
              {t('reports.partial')}
            </Tag>
          )}
        </Flex>
      ),
    },
    { title: t('reports.columns.created'), dataIndex: 'created', width: 100, align: 'right' },
    { title: t('reports.columns.resolved'), dataIndex: 'resolved', width: 100, align: 'right' },
    {
      title: t('reports.columns.csat'),
      key: 'csat',
      width: 100,
      align: 'right',
      render: (_, report) => (report.csatAverage === null ? '—' : report.csatAverage.toFixed(1)),
    },
    {
      title: t('reports.columns.generated'),
      key: 'generated',
      width: 220,
      render: (_, report) => (
        <div>
          <div>{formatDateTime(report.generatedAt, language)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {report.generatedBy ?? t('reports.byScheduler')}
          </Typography.Text>
        </div>
      ),
    },
  ];

  return (
    <div className="sy-page-body">
      <PageHeader title={t('reports.title')} subtitle={t('reports.subtitle')} />
      {canGenerate && (
        <Card size="small" title={t('reports.generateTitle')} style={{ marginBottom: 16 }}>
          <Form
            form={form}
            layout="inline"
            initialValues={{ kind: 'daily', date: options.data?.today ?? '' }}
            key={options.data?.today ?? 'loading'}
            onFinish={(values) => {
              generate.mutate(values);
            }}
          >
            <Form.Item name="kind" label={t('reports.kindLabel')}>
              <Select
                style={{ width: 140 }}
                options={KINDS.map((value) => ({ value, label: t(`reports.kind.${value}`) }))}
                data-testid="report-kind"
              />
            </Form.Item>
            <Form.Item
              name="date"
              label={t('reports.dateLabel')}
              rules={[
                {
                  validator: (_, value: string) =>
                    isLocalDate(value)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('reports.dateRequired'))),
                },
              ]}
              extra={t('reports.dateHint')}
            >
              <Input type="date" style={{ width: 160 }} data-testid="report-date" />
            </Form.Item>
            <Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={generate.isPending}
                data-testid="report-generate"
              >
                {t('reports.generate')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Flex justify="space-between" align="center" className="sy-filter-bar">
          <Segmented<Kind | 'all'>
            value={kind}
            onChange={setKind}
            options={(['all', ...KINDS] as const).map((value) => ({
              value,
              label: t(`reports.kind.${value}`),
            }))}
          />
          <Typography.Text type="secondary">
            {t('reports.scheduleNote', { zone: options.data?.timeZone ?? '' })}
          </Typography.Text>
        </Flex>
        <Table<ReportListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={reports.data ?? []}
          loading={reports.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(report) => ({
            onClick: () => void navigate(`/reports/${report.id}`),
            style: { cursor: 'pointer' },
            'data-testid': `report-row-${report.kind}-${report.periodStart}`,
          })}
          locale={{ emptyText: t('reports.empty') }}
        />
      </Card>
    </div>
  );
}
