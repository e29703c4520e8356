import {
  CloudUploadOutlined,
  DiffOutlined,
  DownloadOutlined,
  EditOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Dropdown,
  Empty,
  Result,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { trpcClient } from '../../api/client';
import type { VersionSummary } from '../../api/types';
import { getErrorCode, getErrorMessage } from '../../api/errors';
import { useCanEditFlows } from '../../api/session';
import { getLanguage } from '../../i18n';
import { PageSpinner } from '../../shell/AppShell';
import { downloadJson, formatDateTime, formatRelativeTime, toFileName } from '../../shell/format';
import { PageHeader } from '../../shell/PageHeader';
import { ComparePanel } from './ComparePanel';
import { PublishDialog } from './PublishDialog';
import { RollbackDialog } from './RollbackDialog';
import {
  flowQuery,
  getDefaultComparison,
  parseVersionRef,
  versionQuery,
  versionsQuery,
} from './queries';
import type { VersionRef } from './queries';

/** `/flows/:id/versions`: history, visual comparison of any two versions, rollback, exports. */
export default function VersionsPage() {
  const { id: flowId = '' } = useParams();
  const { t } = useTranslation(['versions', 'flows', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const language = getLanguage();
  const now = Date.now();
  const [params, setParams] = useSearchParams();
  const [publishing, setPublishing] = useState(false);
  const [rollbackTo, setRollbackTo] = useState<number | null>(null);
  const canEdit = useCanEditFlows();
  // Bumped when the user asks for a comparison, to bring the compare panel into view.
  const [reveal, setReveal] = useState(0);
  const comparePanel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reveal > 0) comparePanel.current?.scrollIntoView({ block: 'start' });
  }, [reveal]);

  const flow = useQuery(flowQuery(flowId));
  const versions = useQuery(versionsQuery(flowId));

  if (flow.isPending || versions.isPending) return <PageSpinner />;
  if (flow.isError || versions.isError) {
    const error = flow.error ?? versions.error;
    if (getErrorCode(error) === 'NOT_FOUND') {
      return (
        <Result
          status="404"
          title={t('notFound', { id: flowId })}
          extra={
            <Link to="/flows">
              <Button type="primary">{t('backToFlows')}</Button>
            </Link>
          }
        />
      );
    }
    return (
      <Alert type="error" showIcon title={t('loadFailed')} description={getErrorMessage(error)} />
    );
  }

  const list = [...versions.data].sort((a, b) => b.version - a.version);
  const latest = list[0]?.version ?? 0;
  const fallback = getDefaultComparison(list.map((version) => version.version));
  const known = (ref: VersionRef | null): ref is VersionRef =>
    ref === 'draft' || (ref !== null && list.some((version) => version.version === ref));
  const fromParam = parseVersionRef(params.get('from'));
  const toParam = parseVersionRef(params.get('to'));
  const from = known(fromParam) ? fromParam : fallback?.from;
  const to = known(toParam) ? toParam : fallback?.to;

  const setComparison = (nextFrom: VersionRef, nextTo: VersionRef, show = false) => {
    setParams({ from: String(nextFrom), to: String(nextTo) }, { replace: true });
    if (show) setReveal((count) => count + 1);
  };

  const exportDocument = async (version: VersionRef) => {
    try {
      const document =
        version === 'draft'
          ? flow.data.draft
          : (await client.query(versionQuery(flowId, version))).document;
      downloadJson(toFileName(flowId, version === 'draft' ? 'draft' : `v${version}`), document);
    } catch (error: unknown) {
      void message.error(t('export.failed', { reason: getErrorMessage(error) }));
    }
  };
  const exportMachine = async (version: VersionRef) => {
    try {
      const { machine } = await trpcClient.flows.exportMachine.query({
        id: flowId,
        ...(version !== 'draft' && { version }),
      });
      downloadJson(
        toFileName(flowId, version === 'draft' ? 'draft' : `v${version}`, 'machine'),
        machine,
      );
    } catch (error: unknown) {
      void message.error(t('export.failed', { reason: getErrorMessage(error) }));
    }
  };
  const exportMenu = (version: VersionRef) => ({
    items: [
      { key: 'flow', label: t('export.flow'), onClick: () => void exportDocument(version) },
      { key: 'machine', label: t('export.machine'), onClick: () => void exportMachine(version) },
    ],
  });

  const columns: TableColumnsType<VersionSummary> = [
    {
      title: t('columns.version'),
      dataIndex: 'version',
      width: 140,
      render: (_, version) => (
        <Space size={6}>
          <Typography.Text strong>v{version.version}</Typography.Text>
          {version.isCurrent && (
            <Tag color="success" variant="filled">
              {t('live')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('columns.note'),
      dataIndex: 'note',
      ellipsis: true,
      render: (_, version) =>
        version.note === null || version.note === '' ? (
          <Typography.Text type="secondary">{t('noNote')}</Typography.Text>
        ) : (
          version.note
        ),
    },
    { title: t('columns.by'), dataIndex: 'publishedBy', width: 200, ellipsis: true },
    {
      title: t('columns.at'),
      dataIndex: 'publishedAt',
      width: 190,
      render: (_, version) => (
        <Tooltip title={formatDateTime(version.publishedAt, language)}>
          {formatRelativeTime(version.publishedAt, now, language)}
        </Tooltip>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 300,
      align: 'right',
      render: (_, version) => {
        const previous = list.find((item) => item.version < version.version)?.version;
        return (
          <Space size={4}>
            <Button
              size="small"
              type="text"
              icon={<DiffOutlined />}
              disabled={previous === undefined}
              onClick={() => {
                if (previous !== undefined) setComparison(previous, version.version, true);
              }}
              data-testid={`compare-previous-${version.version}`}
            >
              {t('actions.comparePrevious')}
            </Button>
            <Dropdown menu={exportMenu(version.version)} trigger={['click']}>
              <Button size="small" type="text" icon={<DownloadOutlined />}>
                {t('actions.export')}
              </Button>
            </Dropdown>
            {canEdit && !version.isCurrent && (
              <Button
                size="small"
                type="text"
                icon={<RollbackOutlined />}
                onClick={() => {
                  setRollbackTo(version.version);
                }}
                data-testid={`rollback-${version.version}`}
              >
                {t('actions.rollback')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  const current = list.find((version) => version.isCurrent);
  return (
    <div className="sy-page-body">
      <PageHeader
        breadcrumb={[
          { title: t('flows:title'), to: '/flows' },
          { title: flow.data.name, to: `/flows/${encodeURIComponent(flowId)}` },
          { title: t('title') },
        ]}
        title={
          <Space size={12}>
            {flow.data.name}
            {current === undefined ? (
              <Tag variant="filled">{t('flows:status.draft')}</Tag>
            ) : (
              <Tag color="success" variant="filled">
                {t('liveVersion', { version: current.version })}
              </Tag>
            )}
          </Space>
        }
        documentTitle={`${flow.data.name} · ${t('title')}`}
        subtitle={t('subtitle')}
        extra={
          <>
            <Dropdown menu={exportMenu('draft')} trigger={['click']}>
              <Button icon={<DownloadOutlined />}>{t('export.draft')}</Button>
            </Dropdown>
            <Link to={`/flows/${encodeURIComponent(flowId)}`}>
              <Button icon={<EditOutlined />}>{t('flows:actions.design')}</Button>
            </Link>
            {canEdit && (
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                onClick={() => {
                  setPublishing(true);
                }}
                data-testid="publish-draft"
              >
                {t('publish.open')}
              </Button>
            )}
          </>
        }
      />
      <Card
        title={t('history')}
        style={{ marginBottom: 20 }}
        styles={{ body: { padding: list.length === 0 ? 24 : 0 } }}
      >
        {list.length === 0 ? (
          <Empty description={t('neverPublished')}>
            {canEdit && (
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                onClick={() => {
                  setPublishing(true);
                }}
              >
                {t('publish.first')}
              </Button>
            )}
          </Empty>
        ) : (
          <Table<VersionSummary>
            rowKey="version"
            columns={columns}
            dataSource={list}
            pagination={list.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            size="middle"
          />
        )}
      </Card>
      <div ref={comparePanel} style={{ scrollMarginTop: 72 }}>
        {from !== undefined && to !== undefined && (
          <ComparePanel
            flowId={flowId}
            draft={flow.data.draft}
            versions={list}
            from={from}
            to={to}
            onChange={setComparison}
          />
        )}
      </div>
      <PublishDialog
        flowId={flowId}
        open={publishing}
        onClose={() => {
          setPublishing(false);
        }}
        onPublished={(version) => {
          setPublishing(false);
          const previous = list[0]?.version;
          setComparison(previous ?? version, previous === undefined ? 'draft' : version, true);
        }}
      />
      <RollbackDialog
        flowId={flowId}
        version={rollbackTo}
        latest={latest}
        onClose={() => {
          setRollbackTo(null);
        }}
        onDone={(version) => {
          setRollbackTo(null);
          setComparison(latest, version, true);
        }}
      />
    </div>
  );
}
