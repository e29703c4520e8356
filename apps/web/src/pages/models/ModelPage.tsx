import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Popconfirm,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import { useCanEditFlows } from '../../api/session';
import { getLanguage } from '../../i18n';
import { PageHeader } from '../../shell/PageHeader';
import { downloadJson, formatDateTime, toFileName } from '../../shell/format';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { formatPercent, getTopConfusions } from './evaluation';
import type { ModelDetails } from './types';

type LabelRow = ModelDetails['evaluation']['perLabel'][number];

/** `/models/:id`: a trained model's cross-validation evaluation, before it is used in a flow. */
export default function ModelPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('models');
  const language = getLanguage();
  const isAdmin = useCanEditFlows();
  const { message } = App.useApp();
  const client = useQueryClient();
  const model = useQuery(trpc.classifier.models.get.queryOptions({ id }));
  const archive = useMutation({
    mutationFn: (archived: boolean) =>
      trpcClient.classifier.models.archive.mutate({ id, archived }),
    onSuccess: async () => {
      await client.invalidateQueries(trpc.classifier.models.pathFilter());
    },
    onError: (error) => {
      void message.error(getErrorMessage(error));
    },
  });
  const download = useMutation({
    mutationFn: () => trpcClient.classifier.models.download.query({ id }),
    onSuccess: ({ json }) => {
      downloadJson(toFileName(id, 'model'), JSON.parse(json) as unknown);
    },
    onError: (error) => {
      void message.error(getErrorMessage(error));
    },
  });

  const crumbs = [{ title: t('title'), to: '/models' }];
  if (model.isLoading) {
    return (
      <div className="sy-page-body">
        <PageHeader title={id} breadcrumb={crumbs} />
        <Skeleton active />
      </div>
    );
  }
  if (model.data === undefined) {
    return (
      <div className="sy-page-body">
        <PageHeader title={id} breadcrumb={crumbs} />
        <Alert type="error" showIcon title={getErrorMessage(model.error)} />
      </div>
    );
  }
  const data = model.data;
  const { evaluation } = data;
  const pct = (value: number) => formatPercent(value, language);
  // Many labels: the table and the heatmap each take the whole width.
  const wide = data.labels.length > 12;
  const mistakes = getTopConfusions(evaluation.confusion.labels, evaluation.confusion.matrix, 5);
  const source =
    data.source.kind === 'csv'
      ? t('detail.sourceCsv', { file: data.source.fileName, count: data.examples })
      : t('detail.sourceTickets', {
          count: data.examples,
          flow: data.source.flowId ?? t('detail.anyFlow'),
          from: data.source.from ?? '…',
          to: data.source.to ?? '…',
          level: t(`train.level${data.source.level === 'category' ? 'Category' : 'Subcategory'}`),
        });

  return (
    <div className="sy-page-body">
      <PageHeader
        title={data.name}
        breadcrumb={crumbs}
        subtitle={
          <Typography.Text type="secondary" copyable={{ text: data.id }}>
            {data.id}
          </Typography.Text>
        }
        extra={
          <Flex gap={8}>
            <Button
              icon={<DownloadOutlined />}
              loading={download.isPending}
              onClick={() => {
                download.mutate();
              }}
            >
              {t('detail.download')}
            </Button>
            {isAdmin &&
              (data.archivedAt === null ? (
                <Popconfirm
                  title={t('detail.archiveConfirm')}
                  onConfirm={() => {
                    archive.mutate(true);
                  }}
                >
                  <Button loading={archive.isPending}>{t('detail.archive')}</Button>
                </Popconfirm>
              ) : (
                <Button
                  loading={archive.isPending}
                  onClick={() => {
                    archive.mutate(false);
                  }}
                >
                  {t('detail.restore')}
                </Button>
              ))}
          </Flex>
        }
      />
      {data.archivedAt !== null && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('detail.archivedNote', { at: formatDateTime(data.archivedAt, language) })}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('detail.accuracy', { folds: evaluation.folds })}
              value={pct(evaluation.accuracy)}
              styles={{ content: { color: '#1d4ed8' } }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('detail.macroF1')} value={pct(evaluation.macroF1)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('detail.balancedAccuracy')}
              value={pct(evaluation.balancedAccuracy)}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('detail.unknownRate')} value={pct(evaluation.unknownRate)} />
          </Card>
        </Col>
      </Row>
      <Card size="small" style={{ marginTop: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'source', label: t('detail.source'), children: source },
            {
              key: 'labels',
              label: t('detail.labels'),
              children: data.labels.length,
            },
            {
              key: 'created',
              label: t('detail.created'),
              children: `${formatDateTime(data.createdAt, language)} · ${data.createdBy?.email ?? '—'}`,
            },
            {
              key: 'folds',
              label: t('detail.perFold'),
              children: evaluation.perFold.map((fold) => pct(fold.accuracy)).join(' · '),
            },
            {
              key: 'hash',
              label: t('detail.contentHash'),
              children: <Typography.Text code>{data.contentHash.slice(0, 16)}</Typography.Text>,
            },
            {
              key: 'calibration',
              label: t('detail.calibrationError'),
              children: pct(evaluation.calibrationError),
            },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={wide ? 24 : 10}>
          <Card size="small" title={t('detail.perLabel')}>
            <Table<LabelRow>
              size="small"
              rowKey="label"
              dataSource={[...evaluation.perLabel]}
              pagination={{ pageSize: 25, hideOnSinglePage: true }}
              data-testid="per-label-table"
              columns={[
                {
                  key: 'label',
                  title: t('detail.label'),
                  dataIndex: 'label',
                  sorter: (a, b) => a.label.localeCompare(b.label),
                },
                {
                  key: 'precision',
                  title: t('detail.precision'),
                  align: 'right',
                  sorter: (a, b) => a.precision - b.precision,
                  render: (_, row) => pct(row.precision),
                },
                {
                  key: 'recall',
                  title: t('detail.recall'),
                  align: 'right',
                  sorter: (a, b) => a.recall - b.recall,
                  render: (_, row) => pct(row.recall),
                },
                {
                  key: 'f1',
                  title: 'F1',
                  align: 'right',
                  sorter: (a, b) => a.f1 - b.f1,
                  render: (_, row) => (
                    <Tag color={row.f1 >= 0.9 ? 'green' : row.f1 >= 0.75 ? 'gold' : 'red'}>
                      {pct(row.f1)}
                    </Tag>
                  ),
                },
                {
                  key: 'support',
                  title: t('detail.support'),
                  align: 'right',
                  dataIndex: 'support',
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={wide ? 24 : 14}>
          <Card size="small" title={t('confusion.title')}>
            <Typography.Paragraph type="secondary">{t('confusion.help')}</Typography.Paragraph>
            <ConfusionHeatmap
              labels={evaluation.confusion.labels}
              matrix={evaluation.confusion.matrix}
            />
            {mistakes.length > 0 && (
              <>
                <Typography.Title level={5}>{t('confusion.topMistakes')}</Typography.Title>
                <ul data-testid="top-mistakes">
                  {mistakes.map((m) => (
                    <li key={`${m.truth}>${m.predicted}`}>
                      {t('confusion.mistake', {
                        truth: m.truth,
                        predicted: m.predicted,
                        count: m.count,
                      })}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
