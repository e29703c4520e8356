import { HistoryOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { inferOutput } from '@trpc/tanstack-react-query';
import {
  Alert,
  Button,
  Empty,
  Form,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { trpc, trpcClient } from '../api/client';
import {
  formatReplayValue,
  getReplayPercent,
  getReplayTotals,
  MAX_REPLAY,
  REPLAY_BATCH,
  REPLAY_FIELDS,
} from './replay';

type ReplayBatch = inferOutput<typeof trpc.versions.replay>;
type ReplayTicket = ReplayBatch['tickets'][number];

interface ReplayState {
  readonly status: 'running' | 'done' | 'stopped' | 'error';
  readonly version: number | null;
  readonly done: number;
  readonly total: number;
  readonly tickets: readonly ReplayTicket[];
  readonly error?: string;
}

/**
 * Replay of production: the newest N tickets of a published version re-run against the saved
 * draft on the server (`versions.replay`, in batches so progress shows), with totals and the
 * tickets that would come out differently.
 */
export function ReplayPanel({
  flowId,
  saveDraft,
}: {
  readonly flowId: string;
  /** Saves pending draft edits first (the replay runs the saved draft). */
  readonly saveDraft?: () => Promise<void>;
}) {
  const { t } = useTranslation('simulator');
  const versions = useQuery(trpc.versions.list.queryOptions({ flowId }));
  const [version, setVersion] = useState<number | null>(null);
  const [last, setLast] = useState(200);
  const [state, setState] = useState<ReplayState | null>(null);
  const stop = useRef(false);

  useEffect(
    () => () => {
      stop.current = true;
    },
    [],
  );

  const live = versions.data?.find((v) => v.isCurrent)?.version ?? null;
  const chosen = version ?? live;

  /** Read through a function: the Stop button sets it while a batch is under way. */
  const isStopped = () => stop.current;

  const run = async () => {
    stop.current = false;
    let progress: ReplayState = {
      status: 'running',
      version: chosen,
      done: 0,
      total: last,
      tickets: [],
    };
    setState(progress);
    let asOf: string | undefined;
    try {
      await saveDraft?.().catch(() => undefined); // a failed save: replay what is saved
      while (progress.done < progress.total) {
        if (isStopped()) {
          setState({ ...progress, status: 'stopped' });
          return;
        }
        const batch = await trpcClient.versions.replay.mutate({
          flowId,
          ...(chosen !== null && { version: chosen }),
          last,
          offset: progress.done,
          batch: REPLAY_BATCH,
          ...(asOf !== undefined && { asOf }),
        });
        asOf = batch.asOf;
        progress = {
          status: 'running',
          version: batch.version,
          total: batch.available,
          done: Math.min(batch.available, progress.done + REPLAY_BATCH),
          tickets: [...progress.tickets, ...batch.tickets],
        };
        if (batch.tickets.length === 0) progress = { ...progress, done: progress.total };
        setState(progress);
      }
      setState({ ...progress, status: 'done' });
    } catch (error: unknown) {
      setState({
        ...progress,
        status: 'error',
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const totals = useMemo(() => (state === null ? null : getReplayTotals(state.tickets)), [state]);
  const differing = useMemo(
    () => (state?.tickets ?? []).filter((ticket) => ticket.differences.length > 0),
    [state],
  );
  /** Statuses and priorities in the console's words; paths, teams and booleans as they are. */
  const showValue = (field: string, value: unknown): string =>
    (field === 'status' || field === 'priority') && typeof value === 'string'
      ? t(`console:${field}.${value}`)
      : formatReplayValue(value, t('yes'), t('no'));
  const running = state?.status === 'running';
  const published = (versions.data?.length ?? 0) > 0;

  return (
    <Space orientation="vertical" className="sy-sim-replay" data-testid="sim-replay">
      <Typography.Text type="secondary">{t('replay.hint')}</Typography.Text>
      {versions.isSuccess && !published && (
        <Alert type="info" showIcon title={t('replay.noVersion')} />
      )}
      <Form layout="inline" size="small" className="sy-sim-replay-form">
        <Form.Item label={t('replay.version')}>
          <Select
            data-testid="sim-replay-version"
            style={{ width: 150 }}
            disabled={!published || running}
            value={chosen ?? undefined}
            onChange={(value: number) => {
              setVersion(value);
            }}
            options={(versions.data ?? []).map((v) => ({
              value: v.version,
              label: v.isCurrent
                ? t('replay.liveVersion', { version: v.version })
                : t('replay.versionN', { version: v.version }),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('replay.last')}>
          <InputNumber
            data-testid="sim-replay-last"
            min={1}
            max={MAX_REPLAY}
            precision={0}
            style={{ width: 90 }}
            value={last}
            disabled={running}
            onChange={(value) => {
              if (value !== null) setLast(Math.max(1, Math.min(MAX_REPLAY, value)));
            }}
          />
        </Form.Item>
      </Form>
      <Space>
        <Button
          icon={<HistoryOutlined />}
          data-testid="sim-replay-run"
          disabled={!published || running}
          loading={running}
          onClick={() => {
            void run();
          }}
        >
          {t('replay.run')}
        </Button>
        {running && (
          <Button
            icon={<StopOutlined />}
            onClick={() => {
              stop.current = true;
            }}
          >
            {t('replay.stop')}
          </Button>
        )}
      </Space>
      {state !== null && (
        <Progress
          data-testid="sim-replay-progress"
          percent={getReplayPercent(state.done, state.total)}
          status={
            state.status === 'error'
              ? 'exception'
              : state.status === 'running'
                ? 'active'
                : state.status === 'done'
                  ? 'success'
                  : 'normal'
          }
          format={() => `${state.done}/${state.total}`}
        />
      )}
      {state?.status === 'error' && <Alert type="error" showIcon title={state.error} />}
      {state !== null && totals !== null && state.status !== 'running' && (
        <>
          <Alert
            data-testid="sim-replay-totals"
            type={totals.routedDifferently > 0 ? 'warning' : 'success'}
            showIcon
            title={t('replay.summary', {
              count: totals.tickets,
              routed: totals.routedDifferently,
              version: state.version ?? '—',
            })}
            description={
              <Space wrap size={[4, 4]}>
                <span>{t('replay.changed', { count: totals.changed })}</span>
                {REPLAY_FIELDS.map((field) => (
                  <Tag key={field} color={totals.byField[field] > 0 ? 'orange' : undefined}>
                    {t(`replay.fields.${field}`)}: {totals.byField[field]}
                  </Tag>
                ))}
              </Space>
            }
          />
          {differing.length === 0 ? (
            totals.tickets === 0 ? (
              <Empty description={t('replay.noTickets')} />
            ) : null
          ) : (
            <Table<ReplayTicket>
              size="small"
              data-testid="sim-replay-table"
              rowKey="number"
              dataSource={differing}
              pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
              columns={[
                {
                  key: 'number',
                  title: t('replay.ticket'),
                  width: 130,
                  render: (_, ticket) => (
                    <Link to={`/tickets/${ticket.number}`} target="_blank" rel="noreferrer">
                      {ticket.number}
                    </Link>
                  ),
                },
                {
                  key: 'differences',
                  title: t('replay.differences'),
                  render: (_, ticket) => (
                    <div className="sy-sim-replay-diffs">
                      {ticket.differences.map((d) => (
                        <div key={d.field}>
                          <b>{t(`replay.fields.${d.field}`)}</b>:{' '}
                          <span className="sy-sim-replay-old">
                            {showValue(d.field, d.production)}
                          </span>{' '}
                          → <span className="sy-sim-replay-new">{showValue(d.field, d.draft)}</span>
                        </div>
                      ))}
                      {ticket.rejectedEvents.length > 0 && (
                        <Typography.Text type="secondary">
                          {t('replay.rejected', { count: ticket.rejectedEvents.length })}
                        </Typography.Text>
                      )}
                    </div>
                  ),
                },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}
