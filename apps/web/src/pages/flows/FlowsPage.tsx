import {
  BranchesOutlined,
  EditOutlined,
  HistoryOutlined,
  ImportOutlined,
  PlusOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useDeferredValue, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Diagnostic } from '@switchyard/flow';
import { trpc, trpcClient } from '../../api/client';
import type { FlowSummary } from '../../api/types';
import { getErrorMessage } from '../../api/errors';
import { useCanEditFlows } from '../../api/session';
import { getLanguage } from '../../i18n';
import { DiagnosticsList } from '../../shell/DiagnosticsList';
import { formatDateTime, formatRelativeTime } from '../../shell/format';
import { PageHeader } from '../../shell/PageHeader';

/** Largest Flow JSON file the import accepts (the server enforces its own limit too). */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

type StatusFilter = 'all' | 'draft' | 'published';

type ImportOutcome =
  | { readonly kind: 'imported'; readonly id: string; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'failed'; readonly fileName: string; readonly message: string };

/** `/flows`: every flow with its status, version and channels; create and import. */
export function FlowsPage() {
  const { t } = useTranslation(['flows', 'common']);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const [status, setStatus] = useState<StatusFilter>('all');
  const [creating, setCreating] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [createForm] = Form.useForm<{ name: string }>();
  const canEdit = useCanEditFlows();
  const language = getLanguage();
  const now = Date.now();

  const flows = useQuery({
    ...trpc.flows.list.queryOptions(deferredSearch === '' ? undefined : { search: deferredSearch }),
    placeholderData: keepPreviousData,
  });

  const create = useMutation({
    mutationFn: (name: string) => trpcClient.flows.create.mutate({ name }),
    onSuccess: async ({ id }) => {
      await client.invalidateQueries(trpc.flows.list.pathFilter());
      setCreating(false);
      void navigate(`/flows/${encodeURIComponent(id)}`);
    },
  });

  const importFile = useMutation({
    mutationFn: async (file: File) => {
      if (file.size > MAX_IMPORT_BYTES) {
        throw new Error(t('import.tooLarge', { size: Math.round(MAX_IMPORT_BYTES / 1048576) }));
      }
      return trpcClient.flows.import.mutate({ json: await file.text() });
    },
    onSuccess: async ({ id, diagnostics }) => {
      await client.invalidateQueries(trpc.flows.list.pathFilter());
      setOutcome({ kind: 'imported', id, diagnostics });
    },
    onError: (error, file) => {
      setOutcome({ kind: 'failed', fileName: file.name, message: getErrorMessage(error) });
    },
  });

  const rows = (flows.data ?? []).filter((flow) => status === 'all' || flow.status === status);

  const columns: TableColumnsType<FlowSummary> = [
    {
      title: t('columns.name'),
      dataIndex: 'name',
      render: (_, flow) => (
        <div style={{ minWidth: 0 }}>
          <Tooltip title={flow.description} placement="topLeft" mouseEnterDelay={0.6}>
            <Link
              to={`/flows/${encodeURIComponent(flow.id)}`}
              className="sy-flow-name"
              onClick={(event) => {
                event.stopPropagation();
              }}
            >
              {flow.name}
            </Link>
          </Tooltip>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {flow.id}
            </Typography.Text>
          </div>
        </div>
      ),
      sorter: (a, b) => a.name.localeCompare(b.name, language),
    },
    {
      title: t('columns.status'),
      dataIndex: 'status',
      width: 150,
      render: (_, flow) =>
        flow.status === 'published' ? (
          <Space size={4} wrap>
            <Tag color="success" variant="filled">
              {t('status.published')}
            </Tag>
            {flow.draftChanged && (
              <Tooltip title={t('status.draftChangedHint')}>
                <Tag color="warning" variant="outlined">
                  {t('status.draftChanged')}
                </Tag>
              </Tooltip>
            )}
          </Space>
        ) : (
          <Tag variant="filled">{t('status.draft')}</Tag>
        ),
    },
    {
      title: t('columns.version'),
      dataIndex: 'publishedVersion',
      width: 90,
      render: (_, flow) =>
        flow.publishedVersion === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Typography.Text strong>v{flow.publishedVersion}</Typography.Text>
        ),
    },
    {
      title: t('columns.channels'),
      dataIndex: 'channels',
      width: 200,
      render: (_, flow) =>
        flow.channels.length === 0 ? (
          <Typography.Text type="secondary">{t('channels.none')}</Typography.Text>
        ) : (
          <Space size={[4, 4]} wrap>
            {flow.channels.map((channel) => (
              <Tag key={channel} color="geekblue" variant="outlined">
                {t(`channels.${channel}`, { defaultValue: channel })}
              </Tag>
            ))}
          </Space>
        ),
    },
    {
      title: t('columns.nodes'),
      dataIndex: 'nodeCount',
      width: 80,
      align: 'right',
      render: (_, flow) => flow.nodeCount,
    },
    {
      title: t('columns.updated'),
      dataIndex: 'draftUpdatedAt',
      width: 170,
      sorter: (a, b) => a.draftUpdatedAt.localeCompare(b.draftUpdatedAt),
      render: (_, flow) => (
        <Tooltip title={formatDateTime(flow.draftUpdatedAt, language)}>
          <div>
            <div>{formatRelativeTime(flow.draftUpdatedAt, now, language)}</div>
            {flow.draftUpdatedBy !== null && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('updatedBy', { name: flow.draftUpdatedBy })}
              </Typography.Text>
            )}
          </div>
        </Tooltip>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 96,
      align: 'right',
      render: (_, flow) => (
        <Space
          size={0}
          onClick={(event) => {
            event.stopPropagation();
          }}
        >
          <Tooltip title={t('actions.design')}>
            <Link to={`/flows/${encodeURIComponent(flow.id)}`}>
              <Button type="text" icon={<EditOutlined />} aria-label={t('actions.design')} />
            </Link>
          </Tooltip>
          <Tooltip title={t('actions.versions')}>
            <Link to={`/flows/${encodeURIComponent(flow.id)}/versions`}>
              <Button type="text" icon={<HistoryOutlined />} aria-label={t('actions.versions')} />
            </Link>
          </Tooltip>
        </Space>
      ),
    },
  ];

  return (
    <div className="sy-page-body">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          canEdit && (
            <>
              <Button
                icon={<ImportOutlined />}
                loading={importFile.isPending}
                onClick={() => fileInput.current?.click()}
                data-testid="import-flow"
              >
                {t('actions.import')}
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => {
                  create.reset();
                  setCreating(true);
                }}
                data-testid="new-flow"
              >
                {t('actions.new')}
              </Button>
            </>
          )
        }
      />
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file !== undefined) importFile.mutate(file);
        }}
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} wrap style={{ padding: 16 }} justify="space-between">
          <Input
            allowClear
            prefix={<SearchOutlined style={{ color: '#98a2b3' }} />}
            placeholder={t('searchPlaceholder')}
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
            }}
            style={{ maxWidth: 360 }}
            data-testid="flow-search"
          />
          <Segmented<StatusFilter>
            value={status}
            onChange={setStatus}
            options={[
              { value: 'all', label: t('filter.all') },
              { value: 'draft', label: t('status.draft') },
              { value: 'published', label: t('status.published') },
            ]}
          />
        </Flex>
        {flows.isError ? (
          <Alert
            type="error"
            showIcon
            style={{ margin: 16 }}
            title={t('loadFailed')}
            description={getErrorMessage(flows.error)}
            action={
              <Button onClick={() => void flows.refetch()}>{t('common:actions.retry')}</Button>
            }
          />
        ) : (
          <Table<FlowSummary>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={flows.isPending || (flows.isFetching && flows.isPlaceholderData)}
            pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            onRow={(flow) => ({
              onClick: () => void navigate(`/flows/${encodeURIComponent(flow.id)}`),
              style: { cursor: 'pointer' },
            })}
            locale={{
              emptyText: (
                <Empty
                  image={<BranchesOutlined style={{ fontSize: 40, color: '#c0c6d4' }} />}
                  description={search === '' ? t('empty') : t('noMatches', { search })}
                >
                  {search === '' && canEdit && (
                    <Link to="/templates">
                      <Button>{t('startFromTemplate')}</Button>
                    </Link>
                  )}
                </Empty>
              ),
            }}
          />
        )}
      </Card>

      <Modal
        open={creating}
        title={t('create.title')}
        okText={t('create.submit')}
        cancelText={t('common:actions.cancel')}
        confirmLoading={create.isPending}
        destroyOnHidden
        onCancel={() => {
          setCreating(false);
        }}
        onOk={() => {
          createForm.submit();
        }}
      >
        <Form<{ name: string }>
          form={createForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => {
            create.mutate(values.name.trim());
          }}
        >
          <Form.Item
            name="name"
            label={t('create.name')}
            rules={[
              { required: true, whitespace: true, message: t('create.nameRequired') },
              { max: 200 },
            ]}
            extra={t('create.hint')}
          >
            <Input autoFocus placeholder={t('create.placeholder')} data-testid="new-flow-name" />
          </Form.Item>
        </Form>
        {create.isError && <Alert type="error" showIcon title={getErrorMessage(create.error)} />}
      </Modal>

      <ImportResultDialog
        outcome={outcome}
        onClose={() => {
          setOutcome(null);
        }}
        onOpen={(id) => {
          setOutcome(null);
          void navigate(`/flows/${encodeURIComponent(id)}`);
        }}
      />
    </div>
  );
}

interface ImportResultDialogProps {
  readonly outcome: ImportOutcome | null;
  readonly onClose: () => void;
  readonly onOpen: (id: string) => void;
}

/** After a file import: the new flow and its lint problems, or why the file was refused. */
function ImportResultDialog({ outcome, onClose, onOpen }: ImportResultDialogProps) {
  const { t } = useTranslation(['flows', 'common']);
  if (outcome === null) return null;
  if (outcome.kind === 'failed') {
    return (
      <Modal
        open
        title={t('import.failedTitle')}
        onCancel={onClose}
        footer={<Button onClick={onClose}>{t('common:actions.close')}</Button>}
        data-testid="import-result"
      >
        <Alert
          type="error"
          showIcon
          title={t('import.failed', { file: outcome.fileName })}
          description={outcome.message}
        />
      </Modal>
    );
  }
  const errors = outcome.diagnostics.filter((item) => item.severity === 'error').length;
  const warnings = outcome.diagnostics.length - errors;
  return (
    <Modal
      open
      width={640}
      title={t('import.doneTitle')}
      onCancel={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common:actions.close')}</Button>
          <Button
            type="primary"
            onClick={() => {
              onOpen(outcome.id);
            }}
            data-testid="import-open"
          >
            {t('import.open')}
          </Button>
        </>
      }
    >
      <Alert
        type={errors > 0 ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 12 }}
        title={t('import.done', { id: outcome.id })}
        description={
          errors > 0
            ? t('import.errors', { count: errors })
            : warnings > 0
              ? t('import.warnings', { count: warnings })
              : t('import.clean')
        }
      />
      {outcome.diagnostics.length > 0 && <DiagnosticsList items={outcome.diagnostics} />}
    </Modal>
  );
}
