import { ExperimentOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Progress, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { trpc } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import { useCanEditFlows } from '../../api/session';
import { getLanguage } from '../../i18n';
import { PageHeader } from '../../shell/PageHeader';
import { formatDateTime } from '../../shell/format';
import { formatPercent } from './evaluation';
import { TrainModelDialog, useJobPhaseText } from './TrainModelDialog';
import type { ModelSummary } from './types';

const MAX_LABEL_TAGS = 6;

/** `/models`: trained intent models for classify steps, recent training jobs, "Train a model". */
export default function ModelsPage() {
  const { t } = useTranslation('models');
  const language = getLanguage();
  const isAdmin = useCanEditFlows();
  const [training, setTraining] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const phaseText = useJobPhaseText();
  const models = useQuery(
    trpc.classifier.models.list.queryOptions({ includeArchived: showArchived }),
  );
  const jobs = useQuery({
    ...trpc.classifier.jobs.list.queryOptions({ limit: 5 }),
    enabled: isAdmin,
    refetchInterval: (query) =>
      (query.state.data ?? []).some((job) => job.status === 'queued' || job.status === 'running')
        ? 1000
        : false,
  });
  const active = (jobs.data ?? []).filter(
    (job) => job.status === 'queued' || job.status === 'running',
  );
  // A job that finished while this page is open brings its model into the list.
  const activeIds = active.map((job) => job.id).join(',');
  const previous = useRef(activeIds);
  const { refetch } = models;
  useEffect(() => {
    if (previous.current !== '' && previous.current !== activeIds) void refetch();
    previous.current = activeIds;
  }, [activeIds, refetch]);

  return (
    <div className="sy-page-body">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          isAdmin && (
            <Button
              type="primary"
              icon={<ExperimentOutlined />}
              onClick={() => {
                setTraining(true);
              }}
            >
              {t('train.button')}
            </Button>
          )
        }
      />
      {active.length > 0 && (
        <Card size="small" title={t('jobs.title')} style={{ marginBottom: 16 }}>
          {active.map((job) => (
            <Flex key={job.id} gap={12} align="center" data-testid="job-row">
              <Typography.Text strong style={{ minWidth: 160 }}>
                {job.name}
              </Typography.Text>
              <Progress
                percent={Math.round(job.progress * 100)}
                status="active"
                style={{ flex: 1 }}
              />
              <Typography.Text type="secondary">{phaseText(job)}</Typography.Text>
            </Flex>
          ))}
        </Card>
      )}
      {models.error !== null && (
        <Alert type="error" showIcon title={getErrorMessage(models.error)} />
      )}
      <Flex justify="flex-end" gap={8} align="center" style={{ marginBottom: 8 }}>
        <Switch size="small" checked={showArchived} onChange={setShowArchived} />
        <Typography.Text type="secondary">{t('list.showArchived')}</Typography.Text>
      </Flex>
      <Table<ModelSummary>
        rowKey="id"
        loading={models.isLoading}
        dataSource={models.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('list.empty') }}
        columns={[
          {
            key: 'name',
            title: t('list.name'),
            render: (_, model) => (
              <Flex vertical>
                <Link to={`/models/${encodeURIComponent(model.id)}`}>{model.name}</Link>
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 12 }}
                  copyable={{ text: model.id }}
                >
                  {model.id}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'labels',
            title: t('list.labels'),
            render: (_, model) => (
              <Flex wrap gap={4}>
                {model.labels.slice(0, MAX_LABEL_TAGS).map((label) => (
                  <Tag key={label}>{label}</Tag>
                ))}
                {model.labels.length > MAX_LABEL_TAGS && (
                  <Tag>{t('list.moreLabels', { count: model.labels.length - MAX_LABEL_TAGS })}</Tag>
                )}
              </Flex>
            ),
          },
          {
            key: 'accuracy',
            title: t('list.accuracy'),
            align: 'right',
            sorter: (a, b) => a.accuracy - b.accuracy,
            render: (_, model) => (
              <Typography.Text strong>{formatPercent(model.accuracy, language)}</Typography.Text>
            ),
          },
          {
            key: 'macroF1',
            title: t('list.macroF1'),
            align: 'right',
            render: (_, model) => formatPercent(model.macroF1, language),
          },
          {
            key: 'examples',
            title: t('list.examples'),
            align: 'right',
            render: (_, model) =>
              t(model.source.kind === 'csv' ? 'list.fromCsv' : 'list.fromTickets', {
                count: model.examples,
              }),
          },
          {
            key: 'created',
            title: t('list.created'),
            render: (_, model) => (
              <Flex vertical>
                <span>{formatDateTime(model.createdAt, language)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {model.createdBy?.email ?? ''}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'status',
            title: '',
            render: (_, model) =>
              model.archivedAt !== null && <Tag color="default">{t('list.archived')}</Tag>,
          },
        ]}
      />
      {isAdmin && (
        <TrainModelDialog
          open={training}
          onClose={() => {
            setTraining(false);
          }}
        />
      )}
    </div>
  );
}
