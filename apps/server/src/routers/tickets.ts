import type { EventRecord, PublicEventInput, TicketRecord } from '@switchyard/engine';
import { TicketNotFoundError } from '@switchyard/engine';
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from '@switchyard/flow';
import { z } from 'zod';
import { NotPermittedError } from '../errors';
import { TICKET_SORTS } from '../sql/tickets';
import type { Repository, UserRow } from '../repository';
import type { TicketChange } from '../ticket-hooks';
import type { Services, TrpcContext } from '../trpc/core';
import { procedure, t } from '../trpc/core';

const numberSchema = z.string().min(1).max(50);
const reason = z.string().trim().max(2000).optional();

interface NodeInfo {
  readonly label: string;
  readonly kind: string;
}

/** Node labels and kinds of a published version, by node id (read from its document once per server). */
const nodeCaches = new WeakMap<Repository, Map<string, Map<string, NodeInfo>>>();
function getNodes(repository: Repository, versionId: string): Map<string, NodeInfo> {
  let cache = nodeCaches.get(repository);
  if (cache === undefined) {
    cache = new Map();
    nodeCaches.set(repository, cache);
  }
  let nodes = cache.get(versionId);
  if (nodes === undefined) {
    nodes = new Map();
    const text = repository.getVersionDocument(versionId);
    const parsed = z
      .object({
        nodes: z.array(
          z.object({ id: z.string(), kind: z.string(), label: z.string().optional() }).loose(),
        ),
      })
      .loose()
      .safeParse(text === null ? null : JSON.parse(text));
    if (parsed.success)
      for (const node of parsed.data.nodes)
        nodes.set(node.id, { label: node.label ?? node.id, kind: node.kind });
    cache.set(versionId, nodes);
  }
  return nodes;
}

function getNodeLabel(repository: Repository, versionId: string, nodeId: string): string {
  return getNodes(repository, versionId).get(nodeId)?.label ?? nodeId;
}

/** An approval the ticket waits for and who the engine asked to decide it. */
export interface PendingApproval {
  readonly nodeId: string;
  readonly label: string;
  /**
   * Whom the approval request went to (the engine's e-mail to the node's approver role, see the
   * engine README "Who is asked"); empty when nobody holds the role or has an e-mail address.
   */
  readonly approvers: readonly { readonly name: string; readonly email: string }[];
}

const requestPayload = z.object({ nodeId: z.string(), to: z.array(z.string()) }).loose();

/**
 * The approval waiting at the ticket's current step, or null when its step is no approval. The
 * approver is the one the engine recorded: the e-mail request effect of the step that last
 * entered the approval node.
 */
export async function getPendingApproval(
  services: Pick<Services, 'store' | 'repository'>,
  record: TicketRecord,
  /** The ticket's events, when the caller has read them already. */
  known?: readonly EventRecord[],
): Promise<PendingApproval | null> {
  const { store, repository } = services;
  if (record.done) return null;
  const nodes = getNodes(repository, record.flowVersionId);
  const nodeId = record.currentNodes.find((id) => nodes.get(id)?.kind === 'approval');
  if (nodeId === undefined) return null;
  const events = known ?? (await store.listEvents(record.id));
  const entering = events.findLast((entry) => entry.trace.entered.includes(nodeId));
  const keys = new Set(entering?.trace.effects.map((effect) => effect.idempotencyKey) ?? []);
  const emails = new Set<string>();
  if (keys.size > 0) {
    for (const effect of await store.listEffects(record.id)) {
      if (effect.kind !== 'email' || !keys.has(effect.idempotencyKey)) continue;
      const payload = requestPayload.safeParse(effect.payload);
      if (payload.success && payload.data.nodeId === nodeId)
        for (const email of payload.data.to) emails.add(email.toLowerCase());
    }
  }
  const agents = repository.listAgents();
  const approvers = [...emails].sort().map((email) => ({
    email,
    name: agents.find((agent) => agent.email.toLowerCase() === email)?.name ?? email,
  }));
  return { nodeId, label: nodes.get(nodeId)?.label ?? nodeId, approvers };
}

/** Admins, and the user the approval was asked of (by their e-mail or their agent's). */
export function mayDecide(
  repository: Repository,
  user: Pick<UserRow, 'id' | 'email' | 'role'>,
  approval: PendingApproval,
): boolean {
  if (user.role === 'admin') return true;
  const own = new Set([user.email.toLowerCase()]);
  for (const agent of repository.listAgents())
    if (agent.userId === user.id && agent.active) own.add(agent.email.toLowerCase());
  return approval.approvers.some((approver) => own.has(approver.email));
}

/** Who may decide, for messages: "Feng Yu (lead@example.com) or an admin". */
export function describeDeciders(approval: PendingApproval): string {
  if (approval.approvers.length === 0) return 'an admin (nobody was asked for this approval)';
  const names = approval.approvers.map((a) =>
    a.name === a.email ? a.email : `${a.name} (${a.email})`,
  );
  return `${names.join(', ')} or an admin`;
}

/** One probe event per public event type: does the ticket's current state take it now? */
const EVENT_PROBES: Readonly<Record<string, PublicEventInput>> = {
  'AGENT.REPLIED': { type: 'AGENT.REPLIED' },
  'CUSTOMER.REPLIED': { type: 'CUSTOMER.REPLIED' },
  'COMMENT.ADDED': { type: 'COMMENT.ADDED', by: 'probe', text: 'probe' },
  'AGENT.RESOLVED': { type: 'AGENT.RESOLVED' },
  'APPROVAL.DECIDED': { type: 'APPROVAL.DECIDED', approved: true, by: 'probe' },
  'TICKET.TRANSFERRED': { type: 'TICKET.TRANSFERRED', team: 'probe' },
  'TICKET.UPDATED': { type: 'TICKET.UPDATED', changes: { priority: 'medium' } },
  'TICKET.REOPENED': { type: 'TICKET.REOPENED' },
  'TICKET.CLOSED': { type: 'TICKET.CLOSED' },
  'SURVEY.ANSWERED': { type: 'SURVEY.ANSWERED', score: 5, resolved: true },
};

/** The console's actions and the event each sends (approve and reject differ in `approved`). */
const ACTION_PROBES = {
  reply: { type: 'AGENT.REPLIED' },
  comment: { type: 'COMMENT.ADDED', by: 'probe', text: 'probe' },
  resolve: { type: 'AGENT.RESOLVED' },
  approve: { type: 'APPROVAL.DECIDED', approved: true, by: 'probe' },
  reject: { type: 'APPROVAL.DECIDED', approved: false, by: 'probe' },
  transfer: { type: 'TICKET.TRANSFERRED', team: 'probe' },
  setPriority: { type: 'TICKET.UPDATED', changes: { priority: 'medium' } },
  reopen: { type: 'TICKET.REOPENED' },
} as const satisfies Record<string, PublicEventInput>;

async function probe<TKey extends string>(
  services: Services,
  number: string,
  probes: Readonly<Record<TKey, PublicEventInput>>,
): Promise<Record<TKey, boolean>> {
  const entries = await Promise.all(
    (Object.entries(probes) as [TKey, PublicEventInput][]).map(
      async ([key, event]) => [key, await services.engine.accepts(number, event)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<TKey, boolean>;
}

/** Sends one public event through the engine (409 when the state does not take it). */
async function act(ctx: TrpcContext, number: string, event: PublicEventInput) {
  const { engine, views } = ctx.services;
  const { ticket } = await engine.send(number, event);
  return views.toSummary(ticket);
}

function actor(ctx: { user: { email: string } }): string {
  return ctx.user.email;
}

/**
 * Approve or reject: FORBIDDEN unless the signed-in user is the approver the engine asked for the
 * pending approval or an admin; audited. A ticket with no approval waiting goes to the engine as
 * before, which answers CONFLICT.
 */
async function decide(
  ctx: TrpcContext & { user: UserRow },
  number: string,
  approved: boolean,
  reason: string | undefined,
) {
  const { store, repository } = ctx.services;
  const record = await store.getTicketByNumber(number);
  if (record === null) throw new TicketNotFoundError(`Ticket ${number} does not exist`);
  const approval = await getPendingApproval(ctx.services, record);
  if (approval !== null && !mayDecide(repository, ctx.user, approval)) {
    throw new NotPermittedError(
      `Only ${describeDeciders(approval)} may decide the approval "${approval.label}" of ticket ${number}`,
    );
  }
  const summary = await act(ctx, number, {
    type: 'APPROVAL.DECIDED',
    approved,
    by: actor(ctx),
    ...(reason !== undefined && { reason }),
  });
  repository.audit.write(ctx.user.id, approved ? 'approval.approve' : 'approval.reject', number, {
    via: 'console',
    by: ctx.user.email,
    nodeId: approval?.nodeId ?? null,
    ...(reason !== undefined && { reason }),
  });
  return summary;
}

export const ticketsRouter = t.router({
  list: procedure('tickets.list')
    .input(
      z
        .object({
          status: z.enum(TICKET_STATUSES).optional(),
          /** Only tickets waiting for the team (new, open, pending, escalated). */
          open: z.boolean().optional(),
          priority: z.enum(PRIORITIES).optional(),
          team: z.string().min(1).max(100).optional(),
          /** An assignee id; null lists unassigned tickets. */
          assignee: z.string().min(1).max(200).nullable().optional(),
          channel: z.enum(CHANNELS).optional(),
          category: z.string().min(1).max(100).optional(),
          sla: z.enum(['breached', 'due-1h']).optional(),
          search: z.string().max(200).optional(),
          sort: z.enum(TICKET_SORTS).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.number().int().min(1).max(100).default(20),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      const { repository } = ctx.services;
      const page = repository.searchTickets(input);
      return {
        items: page.items.map(({ currentNodeId, flowVersionId, ...item }) => ({
          ...item,
          currentNode:
            currentNodeId === null
              ? null
              : {
                  id: currentNodeId,
                  label: getNodeLabel(repository, flowVersionId, currentNodeId),
                },
        })),
        nextCursor: page.nextCursor,
      };
    }),

  /** The ticket with its history, current node, SLA due times and what it accepts now. */
  get: procedure('tickets.get')
    .input(z.object({ number: numberSchema }).strict())
    .query(async ({ ctx, input }) => {
      const { store, views, repository } = ctx.services;
      const record = await store.getTicketByNumber(input.number);
      if (record === null) throw new TicketNotFoundError(`Ticket ${input.number} does not exist`);
      const events = await store.listEvents(record.id);
      const detail = views.toDetail(record, events);
      const currentNodeId = record.currentNodes[0];
      const [accepts, probed, pending] = await Promise.all([
        probe(ctx.services, input.number, EVENT_PROBES),
        probe(ctx.services, input.number, ACTION_PROBES),
        getPendingApproval(ctx.services, record, events),
      ]);
      const approval =
        pending === null
          ? null
          : {
              ...pending,
              mayDecide: mayDecide(repository, ctx.user, pending),
              deciders: describeDeciders(pending),
            };
      // Approve/reject are offered only to whoever may decide (`approval.mayDecide` says why not).
      const allowed = approval?.mayDecide ?? true;
      const actions = {
        ...probed,
        approve: probed.approve && allowed,
        reject: probed.reject && allowed,
      };
      return {
        ...detail,
        currentNode:
          currentNodeId === undefined
            ? null
            : {
                id: currentNodeId,
                label: getNodeLabel(repository, record.flowVersionId, currentNodeId),
              },
        accepts,
        actions,
        approval,
      };
    }),

  /** Emits `{number, status, updatedAt}` after every committed step (optionally one ticket's). */
  onChange: procedure('tickets.onChange')
    .input(z.object({ number: numberSchema.optional() }).strict().optional())
    .subscription(({ ctx, input, signal }): AsyncIterable<TicketChange> =>
      ctx.services.changes.subscribe(
        signal,
        (change) => input?.number === undefined || input.number === change.number,
      ),
    ),

  /** A reply to the customer: recorded on the ticket and e-mailed through the outbox. */
  reply: procedure('tickets.reply')
    .input(
      z.object({ number: numberSchema, message: z.string().trim().min(1).max(100_000) }).strict(),
    )
    .mutation(({ ctx, input }) =>
      act(ctx, input.number, { type: 'AGENT.REPLIED', by: actor(ctx), message: input.message }),
    ),

  /** An internal note; the customer does not see it. */
  comment: procedure('tickets.comment')
    .input(z.object({ number: numberSchema, text: z.string().trim().min(1).max(100_000) }).strict())
    .mutation(({ ctx, input }) =>
      act(ctx, input.number, { type: 'COMMENT.ADDED', by: actor(ctx), text: input.text }),
    ),

  resolve: procedure('tickets.resolve')
    .input(
      z.object({ number: numberSchema, note: z.string().trim().max(100_000).optional() }).strict(),
    )
    .mutation(({ ctx, input }) =>
      act(ctx, input.number, {
        type: 'AGENT.RESOLVED',
        by: actor(ctx),
        ...(input.note !== undefined && { note: input.note }),
      }),
    ),

  /** Only the approver the engine asked (or an admin) may decide; see `decide`. */
  approve: procedure('tickets.approve')
    .input(z.object({ number: numberSchema, reason }).strict())
    .mutation(({ ctx, input }) => decide(ctx, input.number, true, input.reason)),

  reject: procedure('tickets.reject')
    .input(z.object({ number: numberSchema, reason }).strict())
    .mutation(({ ctx, input }) => decide(ctx, input.number, false, input.reason)),

  /** To another team and/or agent (assignee null: back to the team queue). */
  transfer: procedure('tickets.transfer')
    .input(
      z
        .object({
          number: numberSchema,
          team: z.string().min(1).max(100).optional(),
          assignee: z.string().min(1).max(200).nullable().optional(),
          reason,
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      act(ctx, input.number, {
        type: 'TICKET.TRANSFERRED',
        by: actor(ctx),
        ...(input.team !== undefined && { team: input.team }),
        ...(input.assignee !== undefined && { assignee: input.assignee }),
        ...(input.reason !== undefined && { reason: input.reason }),
      }),
    ),

  setPriority: procedure('tickets.setPriority')
    .input(z.object({ number: numberSchema, priority: z.enum(PRIORITIES) }).strict())
    .mutation(({ ctx, input }) =>
      act(ctx, input.number, {
        type: 'TICKET.UPDATED',
        by: actor(ctx),
        changes: { priority: input.priority },
      }),
    ),

  reopen: procedure('tickets.reopen')
    .input(z.object({ number: numberSchema, reason }).strict())
    .mutation(({ ctx, input }) =>
      act(ctx, input.number, {
        type: 'TICKET.REOPENED',
        by: actor(ctx),
        ...(input.reason !== undefined && { reason: input.reason }),
      }),
    ),
});
