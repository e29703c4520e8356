import {
  CloseOutlined,
  LeftOutlined,
  ReloadOutlined,
  RightOutlined,
  SaveOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import { getLanguage } from '../../i18n';
import { formatDateTime, formatRelativeTime } from '../../shell/format';
import { PageHeader } from '../../shell/PageHeader';
import type { TicketRow } from '../api';
import { useDirectory, useNow, useThrottledInvalidate, useTicketChanges } from '../api';
import type { InboxFilters } from '../model/filters';
import {
  CHANNEL_VALUES,
  isSameFilters,
  parseFilters,
  PRIORITY_VALUES,
  SLA_VALUES,
  SORT_VALUES,
  STATUS_VALUES,
  toListInput,
  toSearchParams,
} from '../model/filters';
import { LiveIndicator, PriorityTag, SlaBadge, StatusTag } from '../tags';

const PAGE_SIZE = 25;
/** How long a row changed by another user stays highlighted. */
const HIGHLIGHT_MS = 6000;

/** `/tickets`: the agent inbox — views, filters, search, sort, pages, live updates. */
export function InboxPage() {
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const language = getLanguage();
  const now = useNow(15_000);
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([undefined]);
  const [searchText, setSearchText] = useState(filters.search ?? '');
  const [saving, setSaving] = useState(false);
  const [changed, setChanged] = useState<ReadonlyMap<string, number>>(new Map());
  const [form] = Form.useForm<{ name: string }>();

  const views = useQuery(trpc.views.list.queryOptions());
  const options = useQuery({ ...trpc.dashboard.options.queryOptions(), staleTime: 300_000 });
  const me = views.data?.me?.id ?? null;
  const input = { ...toListInput(filters, me), limit: PAGE_SIZE, cursor: cursors.at(-1) };
  const page = useQuery({
    ...trpc.tickets.list.queryOptions(input),
    placeholderData: keepPreviousData,
    enabled: filters.mine !== true || views.isSuccess,
  });

  // A new filter starts again at the first page.
  const filterKey = toSearchParams(filters).toString();
  const previousKey = useRef(filterKey);
  useEffect(() => {
    if (previousKey.current !== filterKey) {
      previousKey.current = filterKey;
      setCursors([undefined]);
      setSearchText(filters.search ?? '');
    }
  }, [filterKey, filters.search]);

  const invalidate = useThrottledInvalidate();
  const live = useTicketChanges(
    useCallback(
      (change: { number: string }) => {
        setChanged((current) => new Map(current).set(change.number, Date.now()));
        invalidate([trpc.tickets.list.pathFilter()]);
      },
      [invalidate],
    ),
  );

  const setFilters = (next: InboxFilters) => {
    setParams(toSearchParams(next), { replace: false });
  };
  const update = (patch: Partial<Record<keyof InboxFilters, unknown>>) => {
    const next = Object.fromEntries(
      Object.entries({ ...filters, ...patch }).filter(([, value]) => value !== undefined),
    );
    setFilters(parseFilters(toSearchParams(next)));
  };

  const save = useMutation({
    mutationFn: (name: string) => trpcClient.views.save.mutate({ name, filters }),
    onSuccess: async (view) => {
      await client.invalidateQueries(trpc.views.list.pathFilter());
      setSaving(false);
      void message.success(t('inbox.viewSaved', { name: view.name }));
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => trpcClient.views.delete.mutate({ id }),
    onSuccess: () => client.invalidateQueries(trpc.views.list.pathFilter()),
    onError: (error) => void message.error(getErrorMessage(error)),
  });

  const builtIn = [
    { id: 'all', filters: {} as InboxFilters },
    ...(views.data?.builtIn ?? []).map((view) => ({
      id: view.id,
      filters: view.filters,
    })),
  ];
  const saved = views.data?.saved ?? [];
  const activeView =
    builtIn.find((view) => isSameFilters(view.filters, filters))?.id ??
    saved.find((view) => isSameFilters(view.filters as InboxFilters, filters))?.id ??
    null;

  const rows = page.data?.items ?? [];
  const columns: TableColumnsType<TicketRow> = [
    {
      title: t('columns.ticket'),
      key: 'ticket',
      render: (_, row) => (
        <div className="sy-ticket-cell">
          <Link
            to={`/tickets/${row.number}`}
            className="sy-ticket-subject"
            data-testid={`ticket-link-${row.number}`}
          >
            {row.subject}
          </Link>
          <Typography.Text type="secondary" className="sy-ticket-meta">
            {row.number} · {row.customer.name === '' ? row.customer.email : row.customer.name}
            {row.customer.tier === 'vip' && <span className="sy-vip">VIP</span>}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('columns.status'),
      dataIndex: 'status',
      width: 120,
      render: (_, row) => <StatusTag status={row.status} />,
    },
    {
      title: t('columns.priority'),
      dataIndex: 'priority',
      width: 110,
      render: (_, row) => <PriorityTag priority={row.priority} />,
    },
    {
      title: t('columns.assignee'),
      key: 'assignee',
      width: 170,
      render: (_, row) => (
        <div>
          <div>
            {directory.agentName(row.assignee) ?? (
              <span className="sy-muted">{t('inbox.unassigned')}</span>
            )}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {directory.teamName(row.team) ?? '—'}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('columns.category'),
      key: 'category',
      width: 130,
      render: (_, row) => (
        <div>
          <div>{row.category ?? <span className="sy-muted">—</span>}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`channel.${row.channel}`, { defaultValue: row.channel })}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('columns.sla'),
      key: 'sla',
      width: 170,
      render: (_, row) => (
        <SlaBadge
          dueAt={row.sla.resolutionDueAt}
          breached={row.sla.breached}
          done={row.done || row.status === 'resolved' || row.status === 'closed'}
          now={now}
          compact
        />
      ),
    },
    {
      title: t('columns.updated'),
      dataIndex: 'updatedAt',
      width: 140,
      render: (_, row) => (
        <Tooltip title={formatDateTime(row.updatedAt, language)}>
          <span>{formatRelativeTime(row.updatedAt, now, language)}</span>
        </Tooltip>
      ),
    },
  ];

  const selectProps = {
    allowClear: true,
    style: { minWidth: 140 },
    popupMatchSelectWidth: false,
  } as const;
  const pageNumber = cursors.length;

  return (
    <div className="sy-page-body">
      <PageHeader
        title={t('inbox.title')}
        subtitle={t('inbox.subtitle')}
        extra={
          <>
            <LiveIndicator state={live} />
            <Button
              icon={<ReloadOutlined />}
              onClick={() => void page.refetch()}
              aria-label={t('actions.refresh')}
            />
            <Button
              icon={<SaveOutlined />}
              onClick={() => {
                setSaving(true);
              }}
              data-testid="save-view"
            >
              {t('inbox.saveView')}
            </Button>
          </>
        }
      />

      <Flex gap={8} wrap className="sy-views" data-testid="views">
        {builtIn.map((view) => {
          const unavailable = view.id === 'my-open' && views.isSuccess && me === null;
          return (
            <Tooltip key={view.id} title={unavailable ? t('views.noAgent') : undefined}>
              <Button
                type={activeView === view.id ? 'primary' : 'default'}
                ghost={activeView === view.id}
                disabled={unavailable}
                onClick={() => {
                  setFilters(view.filters);
                }}
                data-testid={`view-${view.id}`}
              >
                {t(`views.${view.id}`)}
              </Button>
            </Tooltip>
          );
        })}
        {saved.map((view) => (
          <Space.Compact key={view.id}>
            <Button
              type={activeView === view.id ? 'primary' : 'default'}
              ghost={activeView === view.id}
              onClick={() => {
                setFilters(view.filters);
              }}
              data-testid={`saved-view-${view.name}`}
            >
              {view.name}
            </Button>
            <Popconfirm
              title={t('inbox.deleteView', { name: view.name })}
              onConfirm={() => {
                remove.mutate(view.id);
              }}
            >
              <Button
                icon={<CloseOutlined />}
                aria-label={t('inbox.deleteView', { name: view.name })}
              />
            </Popconfirm>
          </Space.Compact>
        ))}
      </Flex>

      <Card className="sy-inbox-card" styles={{ body: { padding: 0 } }}>
        <Flex gap={8} wrap className="sy-filter-bar">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('inbox.searchPlaceholder')}
            value={searchText}
            onChange={(event) => {
              setSearchText(event.target.value);
              if (event.target.value === '') update({ search: undefined });
            }}
            onPressEnter={() => {
              update({ search: searchText.trim() === '' ? undefined : searchText.trim() });
            }}
            style={{ width: 260 }}
            data-testid="inbox-search"
          />
          <Select
            {...selectProps}
            placeholder={t('columns.status')}
            value={filters.open === true ? 'open-any' : filters.status}
            onChange={(value: string | undefined) => {
              update(
                value === 'open-any'
                  ? { open: true, status: undefined }
                  : { status: value, open: undefined },
              );
            }}
            options={[
              { value: 'open-any', label: t('inbox.anyOpen') },
              ...STATUS_VALUES.map((value) => ({ value, label: t(`status.${value}`) })),
            ]}
            data-testid="filter-status"
          />
          <Select
            {...selectProps}
            placeholder={t('columns.priority')}
            value={filters.priority}
            onChange={(value) => {
              update({ priority: value });
            }}
            options={PRIORITY_VALUES.map((value) => ({ value, label: t(`priority.${value}`) }))}
          />
          <Select
            {...selectProps}
            placeholder={t('columns.team')}
            value={filters.team}
            onChange={(value) => {
              update({ team: value });
            }}
            options={directory.teams.map((team) => ({ value: team.id, label: team.name }))}
          />
          <Select
            {...selectProps}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('columns.assignee')}
            value={
              filters.mine === true ? 'mine' : filters.assignee === null ? '-' : filters.assignee
            }
            onChange={(value: string | undefined) => {
              update(
                value === 'mine'
                  ? { mine: true, assignee: undefined }
                  : { mine: undefined, assignee: value === '-' ? null : value },
              );
            }}
            options={[
              ...(me === null ? [] : [{ value: 'mine', label: t('inbox.assignedToMe') }]),
              { value: '-', label: t('inbox.unassigned') },
              ...directory.agents.map((agent) => ({ value: agent.id, label: agent.name })),
            ]}
          />
          <Select
            {...selectProps}
            placeholder={t('columns.channel')}
            value={filters.channel}
            onChange={(value) => {
              update({ channel: value });
            }}
            options={CHANNEL_VALUES.map((value) => ({ value, label: t(`channel.${value}`) }))}
          />
          <Select
            {...selectProps}
            placeholder={t('columns.category')}
            value={filters.category}
            onChange={(value) => {
              update({ category: value });
            }}
            options={(options.data?.categories ?? []).map((value) => ({ value, label: value }))}
          />
          <Select
            {...selectProps}
            placeholder={t('columns.sla')}
            value={filters.sla}
            onChange={(value) => {
              update({ sla: value });
            }}
            options={SLA_VALUES.map((value) => ({ value, label: t(`inbox.sla.${value}`) }))}
          />
          <Select
            style={{ minWidth: 170 }}
            value={filters.sort ?? 'newest'}
            onChange={(value) => {
              update({ sort: value === 'newest' ? undefined : value });
            }}
            options={SORT_VALUES.map((value) => ({ value, label: t(`inbox.sort.${value}`) }))}
            prefix={<span className="sy-muted">{t('inbox.sortBy')}</span>}
            data-testid="inbox-sort"
          />
          {params.size > 0 && (
            <Button
              type="link"
              onClick={() => {
                setFilters({});
              }}
            >
              {t('inbox.clear')}
            </Button>
          )}
        </Flex>
        <Table<TicketRow>
          rowKey="number"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={page.isFetching && page.data === undefined}
          pagination={false}
          rowClassName={(row) => {
            const at = changed.get(row.number);
            return at !== undefined && now - at < HIGHLIGHT_MS ? 'sy-row-changed' : '';
          }}
          onRow={(row) => ({
            onClick: (event) => {
              if ((event.target as HTMLElement).closest('a') !== null) return;
              void navigate(`/tickets/${row.number}`);
            },
            style: { cursor: 'pointer' },
            'data-testid': `ticket-row-${row.number}`,
          })}
          locale={{
            emptyText: page.isError ? (
              <Empty description={getErrorMessage(page.error)} />
            ) : (
              <Empty description={t('inbox.empty')} />
            ),
          }}
          data-testid="inbox-table"
        />
        <Flex justify="space-between" align="center" className="sy-pager">
          <Typography.Text type="secondary">
            {t('inbox.page', { page: pageNumber })}
          </Typography.Text>
          <Space>
            <Button
              icon={<LeftOutlined />}
              disabled={pageNumber === 1}
              onClick={() => {
                setCursors((stack) => stack.slice(0, -1));
              }}
            >
              {t('inbox.previous')}
            </Button>
            <Button
              disabled={page.data?.nextCursor == null}
              onClick={() => {
                const next = page.data?.nextCursor;
                if (next != null) setCursors((stack) => [...stack, next]);
              }}
              data-testid="next-page"
            >
              {t('inbox.next')} <RightOutlined />
            </Button>
          </Space>
        </Flex>
      </Card>

      <Modal
        open={saving}
        title={t('inbox.saveViewTitle')}
        okText={t('inbox.saveView')}
        onCancel={() => {
          setSaving(false);
        }}
        onOk={() => {
          form.submit();
        }}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={({ name }) => {
            save.mutate(name.trim());
          }}
          preserve={false}
        >
          <Form.Item
            name="name"
            label={t('inbox.viewName')}
            rules={[
              { required: true, whitespace: true, message: t('inbox.viewNameRequired') },
              { max: 80 },
            ]}
            validateStatus={save.isError ? 'error' : undefined}
            help={save.isError ? getErrorMessage(save.error) : undefined}
          >
            <Input autoFocus maxLength={80} data-testid="view-name" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
