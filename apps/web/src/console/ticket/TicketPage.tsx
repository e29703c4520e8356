import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Card,
  Col,
  Descriptions,
  Result,
  Row,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorCode, getErrorMessage } from '../../api/errors';
import { useSession } from '../../api/session';
import { getLanguage } from '../../i18n';
import { formatDateTime } from '../../shell/format';
import { PageHeader } from '../../shell/PageHeader';
import { useDirectory, useNow, useThrottledInvalidate, useTicketChanges } from '../api';
import { getActionStates } from '../model/actions';
import type { TicketAction } from '../model/actions';
import { getConversation, getNotes } from '../model/conversation';
import { LiveIndicator, PriorityTag, SlaBadge, StatusTag } from '../tags';
import { ActionsBar } from './ActionsBar';
import { Composer, MessageList } from './Conversation';
import { CustomerPanel } from './CustomerPanel';
import { FlowMiniCanvas } from './FlowMiniCanvas';
import { TimelineList } from './TimelineList';

/** `/tickets/:number`: the ticket, its conversation, timeline, SLA, customer and flow. */
export function TicketPage() {
  const { number = '' } = useParams();
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const client = useQueryClient();
  const language = getLanguage();
  const now = useNow(1000);
  const session = useSession();
  const directory = useDirectory();
  const detail = useQuery(trpc.tickets.get.queryOptions({ number }));
  const timeline = useQuery(trpc.timeline.get.queryOptions({ number }));

  const invalidate = useThrottledInvalidate(300);
  const live = useTicketChanges(
    useCallback(() => {
      invalidate([
        trpc.tickets.get.queryFilter({ number }),
        trpc.timeline.get.queryFilter({ number }),
        trpc.customers.get.pathFilter(),
      ]);
    }, [invalidate, number]),
    number,
  );

  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries(trpc.tickets.get.queryFilter({ number })),
      client.invalidateQueries(trpc.timeline.get.queryFilter({ number })),
    ]);
  };
  const reply = useMutation({
    mutationFn: (text: string) => trpcClient.tickets.reply.mutate({ number, message: text }),
    onSuccess: async () => {
      void message.success(t('actions.done.reply'));
      await refresh();
    },
    onError: (error) => void message.error(getErrorMessage(error)),
  });
  const comment = useMutation({
    mutationFn: (text: string) => trpcClient.tickets.comment.mutate({ number, text }),
    onSuccess: refresh,
    onError: (error) => void message.error(getErrorMessage(error)),
  });

  const nodeLabels = useMemo(
    () => new Map((timeline.data?.flow?.nodes ?? []).map((node) => [node.id, node.label])),
    [timeline.data?.flow],
  );
  const nodeLabel = useCallback((id: string) => nodeLabels.get(id) ?? id, [nodeLabels]);

  if (detail.isError) {
    const notFound = getErrorCode(detail.error) === 'NOT_FOUND';
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('ticket.notFound', { number }) : t('ticket.loadFailed')}
        subTitle={notFound ? undefined : getErrorMessage(detail.error)}
        extra={<Link to="/tickets">{t('ticket.backToInbox')}</Link>}
      />
    );
  }
  const ticket = detail.data;
  if (ticket === undefined) return <Skeleton active paragraph={{ rows: 10 }} />;

  const role = session.data?.role ?? 'viewer';
  const finished = ticket.done || ticket.status === 'closed' || ticket.status === 'cancelled';
  const states = getActionStates(role, ticket.actions, finished, ticket.approval);
  const step = ticket.currentNode?.label ?? '—';
  const reasonOf = (action: TicketAction): string | null => {
    const state = states[action];
    if (state.enabled || state.reason === null) return null;
    if (state.reason === 'notAccepted') return t(`actions.reason.notAccepted.${action}`, { step });
    if (state.reason === 'notApprover') {
      const approvers = ticket.approval?.approvers ?? [];
      if (approvers.length === 0) return t('actions.reason.notApproverNobody');
      return t('actions.reason.notApprover', {
        names: approvers
          .map((a) => (a.name === a.email ? a.email : `${a.name} (${a.email})`))
          .join(', '),
      });
    }
    return t(`actions.reason.${state.reason}`);
  };
  const entries = timeline.data?.entries ?? [];
  const conversation = getConversation(entries, {
    description: ticket.description,
    customer: ticket.customer.name === '' ? ticket.customer.email : ticket.customer.name,
    at: ticket.createdAt,
  });
  const notes = getNotes(entries);
  const responded = entries.some((entry) => entry.type === 'AGENT.REPLIED');
  const slaDone = finished || ticket.status === 'resolved';

  return (
    <div className="sy-page-body sy-ticket-page">
      <PageHeader
        breadcrumb={[{ title: t('inbox.title'), to: '/tickets' }, { title: ticket.number }]}
        title={ticket.subject}
        documentTitle={`${ticket.number} · ${ticket.subject}`}
        subtitle={
          <Space size={8} wrap>
            <StatusTag status={ticket.status} />
            <PriorityTag priority={ticket.priority} />
            <span className="sy-muted">
              {ticket.number} ·{' '}
              {t('ticket.openedAt', { time: formatDateTime(ticket.createdAt, language) })}
            </span>
            <LiveIndicator state={live} />
          </Space>
        }
        extra={
          <ActionsBar
            number={ticket.number}
            priority={ticket.priority}
            team={ticket.team}
            states={states}
            reasonOf={reasonOf}
          />
        }
      />
      {ticket.failure !== null && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('ticket.failure')}
          description={ticket.failure.error}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card styles={{ body: { paddingTop: 4 } }}>
            <Tabs
              defaultActiveKey="conversation"
              items={[
                {
                  key: 'conversation',
                  label: (
                    <span data-testid="tab-conversation">
                      {t('ticket.conversation')}{' '}
                      <Badge count={conversation.length} color="#98a2b3" size="small" />
                    </span>
                  ),
                  children: (
                    <>
                      <MessageList
                        messages={conversation}
                        emptyText={t('ticket.noMessages')}
                        agentName={(author) => author}
                      />
                      <Composer
                        placeholder={t('ticket.replyPlaceholder', {
                          email: ticket.customer.email || '—',
                        })}
                        submitLabel={t('actions.reply')}
                        disabledReason={reasonOf('reply')}
                        pending={reply.isPending}
                        onSubmit={(text) => reply.mutateAsync(text)}
                        testId="reply"
                      />
                    </>
                  ),
                },
                {
                  key: 'notes',
                  label: (
                    <span data-testid="tab-notes">
                      {t('ticket.notes')}{' '}
                      <Badge count={notes.length} color="#f59f00" size="small" />
                    </span>
                  ),
                  children: (
                    <>
                      <MessageList
                        messages={notes}
                        emptyText={t('ticket.noNotes')}
                        agentName={(author) => author}
                      />
                      <Composer
                        placeholder={t('ticket.commentPlaceholder')}
                        submitLabel={t('actions.comment')}
                        disabledReason={reasonOf('comment')}
                        pending={comment.isPending}
                        onSubmit={(text) => comment.mutateAsync(text)}
                        testId="comment"
                        tone="note"
                      />
                    </>
                  ),
                },
                {
                  key: 'timeline',
                  label: <span data-testid="tab-timeline">{t('ticket.timeline')}</span>,
                  children: timeline.isPending ? (
                    <Skeleton active />
                  ) : (
                    <TimelineList entries={entries} nodeLabel={nodeLabel} />
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('ticket.details')} size="small" data-testid="ticket-details">
              <Descriptions
                column={1}
                size="small"
                items={[
                  {
                    key: 'step',
                    label: t('ticket.step'),
                    children: (
                      <Tag color="processing" variant="outlined">
                        {step}
                      </Tag>
                    ),
                  },
                  {
                    key: 'team',
                    label: t('columns.team'),
                    children: directory.teamName(ticket.team) ?? '—',
                  },
                  {
                    key: 'assignee',
                    label: t('columns.assignee'),
                    children: (
                      <span data-testid="ticket-assignee">
                        {directory.agentName(ticket.assignee) ?? t('inbox.unassigned')}
                      </span>
                    ),
                  },
                  {
                    key: 'category',
                    label: t('columns.category'),
                    children:
                      ticket.category === null
                        ? '—'
                        : `${ticket.category}${ticket.subcategory === null ? '' : ` / ${ticket.subcategory}`}`,
                  },
                  {
                    key: 'channel',
                    label: t('columns.channel'),
                    children: t(`channel.${ticket.channel}`, { defaultValue: ticket.channel }),
                  },
                  {
                    key: 'impact',
                    label: t('ticket.impact'),
                    children: t(`impact.${ticket.impact}`, { defaultValue: ticket.impact }),
                  },
                  {
                    key: 'escalation',
                    label: t('ticket.escalation'),
                    children:
                      ticket.escalationLevel === 0
                        ? t('ticket.notEscalated')
                        : t('ticket.level', { level: ticket.escalationLevel }),
                  },
                  ...(ticket.csat.score === null
                    ? []
                    : [
                        {
                          key: 'csat',
                          label: t('ticket.csat'),
                          children: `${ticket.csat.score} / 5`,
                        },
                      ]),
                  ...(ticket.tags.length === 0
                    ? []
                    : [
                        {
                          key: 'tags',
                          label: t('ticket.tags'),
                          children: (
                            <Space size={[4, 4]} wrap>
                              {ticket.tags.map((tag) => (
                                <Tag key={tag}>{tag}</Tag>
                              ))}
                            </Space>
                          ),
                        },
                      ]),
                ]}
              />
            </Card>
            <Card title={t('ticket.sla')} size="small" data-testid="ticket-sla">
              <Descriptions
                column={1}
                size="small"
                items={[
                  {
                    key: 'response',
                    label: t('ticket.firstResponse'),
                    children: (
                      <SlaBadge
                        dueAt={ticket.sla.responseDueAt}
                        breached={ticket.sla.breached && !responded}
                        done={responded || slaDone}
                        now={now}
                      />
                    ),
                  },
                  {
                    key: 'resolution',
                    label: t('ticket.resolution'),
                    children: (
                      <SlaBadge
                        dueAt={ticket.sla.resolutionDueAt}
                        breached={ticket.sla.breached}
                        done={slaDone}
                        now={now}
                      />
                    ),
                  },
                ]}
              />
            </Card>
            <CustomerPanel email={ticket.customer.email} current={ticket.number} />
            <Card
              title={t('ticket.flow')}
              size="small"
              extra={
                timeline.data?.flow != null && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {timeline.data.flow.name} · v{timeline.data.flow.version}
                  </Typography.Text>
                )
              }
              styles={{ body: { padding: 0 } }}
            >
              {timeline.data?.flow != null ? (
                <FlowMiniCanvas
                  flow={timeline.data.flow}
                  currentNodes={timeline.data.currentNodes}
                  visitedNodes={timeline.data.visitedNodes}
                  takenEdges={timeline.data.takenEdges}
                />
              ) : (
                <Skeleton active style={{ padding: 16 }} />
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
