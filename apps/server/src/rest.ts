import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EventRecord, TicketRecord } from '@switchyard/engine';
import type { SqliteStore } from '@switchyard/db';
import { CHANNELS, CUSTOMER_TIERS, IMPACTS, TICKET_STATUSES } from '@switchyard/flow';
import { z } from 'zod';
import type { ApiScope } from './auth';
import { HttpError, toIssues } from './http-error';
import { readJsonBody, sendJson } from './http';
import type { Intake } from './intake';
import type { ApiTokenInfo, Repository } from './repository';

/** Body of `POST /api/v1/tickets`. Unknown keys are refused so typos are named, not dropped. */
export const intakeSchema = z
  .object({
    subject: z.string().trim().min(1, 'Subject is required').max(500),
    description: z.string().max(100_000).optional(),
    channel: z.enum(CHANNELS).default('api'),
    customer: z
      .object({
        name: z.string().max(200).optional(),
        email: z.email('Must be an e-mail address').optional(),
        phone: z.string().max(50).optional(),
        tier: z.enum(CUSTOMER_TIERS).optional(),
        language: z.string().min(2).max(35).optional(),
      })
      .strict()
      .optional(),
    impact: z.enum(IMPACTS).optional(),
    tags: z.array(z.string().min(1).max(64)).max(50).optional(),
    fields: z
      .record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional(),
    flow: z.string().min(1).max(200).optional(),
  })
  .strict();

export const listQuerySchema = z
  .object({
    channel: z.enum(CHANNELS).optional(),
    status: z.enum(TICKET_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(500).optional(),
  })
  .strict();

const cursorSchema = z.object({ createdAt: z.iso.datetime(), id: z.string().min(1) });

const idempotencyKeySchema = z
  .string()
  .min(1, 'Must not be empty')
  .max(255, 'At most 255 characters')
  .regex(/^[\x21-\x7e]+$/, 'Printable ASCII without spaces');

export function encodeCursor(row: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify({ createdAt: row.createdAt, id: row.id })).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError('invalid_request', 'Invalid cursor', [
      { path: 'cursor', message: 'Use the nextCursor of a previous page' },
    ]);
  }
}

export interface RestContext {
  readonly engine: Engine;
  /** The intake shared with the web form and e-mail (flow choice + engine). */
  readonly intake: Intake;
  readonly store: SqliteStore;
  readonly repository: Repository;
  readonly publicUrl: string;
}

/** Node labels of a published version, by node id (read from its document once). */
function createLabelCache(repository: Repository) {
  const cache = new Map<string, Map<string, string>>();
  return (versionId: string): Map<string, string> => {
    let labels = cache.get(versionId);
    if (labels === undefined) {
      labels = new Map();
      const text = repository.getVersionDocument(versionId);
      const parsed = z
        .object({
          nodes: z.array(z.object({ id: z.string(), label: z.string().optional() }).loose()),
        })
        .loose()
        .safeParse(text === null ? null : JSON.parse(text));
      if (parsed.success) {
        for (const node of parsed.data.nodes) labels.set(node.id, node.label ?? node.id);
      }
      cache.set(versionId, labels);
    }
    return labels;
  };
}

/** How tickets are shown by the REST API and tRPC: current nodes with labels, SLA, history. */
export function createTicketViews(repository: Repository, publicUrl: string) {
  const getLabels = createLabelCache(repository);
  function toSummary(record: TicketRecord) {
    const labels = getLabels(record.flowVersionId);
    const t = record.ticket;
    return {
      number: record.number,
      status: t.status,
      priority: t.priority,
      channel: t.channel,
      subject: t.subject,
      category: t.category,
      subcategory: t.subcategory,
      team: t.team,
      assignee: t.assignee,
      currentNodes: record.currentNodes.map((id) => ({ id, label: labels.get(id) ?? id })),
      sla: t.sla,
      done: record.done,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      url: `${publicUrl}/api/v1/tickets/${record.number}`,
    };
  }

  function toDetail(record: TicketRecord, events: readonly EventRecord[]) {
    const t = record.ticket;
    return {
      ...toSummary(record),
      description: t.description,
      customer: t.customer,
      impact: t.impact,
      escalationLevel: t.escalationLevel,
      csat: t.csat,
      tags: t.tags,
      fields: t.fields,
      flowVersionId: record.flowVersionId,
      failure: record.failure,
      history: events.map((entry) => ({
        seq: entry.seq,
        type: entry.event.type,
        at: entry.at,
        event: entry.event,
        fromNodes: entry.trace.fromNodes,
        toNodes: entry.trace.toNodes,
      })),
    };
  }

  return { toSummary, toDetail };
}

function authenticate(req: IncomingMessage, repository: Repository, scope: ApiScope): ApiTokenInfo {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = { 'www-authenticate': 'Bearer realm="switchyard"' };
  if (match?.[1] === undefined) {
    throw new HttpError(
      'unauthorized',
      'Send an API token: Authorization: Bearer <token>',
      [],
      challenge,
    );
  }
  const token = repository.verifyToken(match[1]);
  if (token === null) {
    throw new HttpError('unauthorized', 'The API token is unknown or revoked', [], {
      'www-authenticate': 'Bearer realm="switchyard", error="invalid_token"',
    });
  }
  requireScope(token, scope);
  return token;
}

function requireScope(token: ApiTokenInfo, scope: ApiScope): void {
  if (!token.scopes.includes(scope)) {
    throw new HttpError('forbidden', `The API token lacks the ${scope} scope`, [], {
      'www-authenticate': `Bearer realm="switchyard", error="insufficient_scope", scope="${scope}"`,
    });
  }
}

/**
 * An approval decision posted to the events route: it needs `approvals:decide` on top of
 * `tickets:write`. Only `type` is looked at (the engine validates the event itself), so no shape
 * of an APPROVAL.DECIDED body slips past the scope check.
 */
function approvalDecision(
  body: unknown,
): { approved: boolean; by: string | null; reason: string | undefined } | null {
  if (typeof body !== 'object' || body === null) return null;
  const event = body as Record<string, unknown>;
  if (event.type !== 'APPROVAL.DECIDED') return null;
  return {
    approved: event.approved === true,
    by: typeof event.by === 'string' ? event.by : null,
    reason: typeof event.reason === 'string' ? event.reason : undefined,
  };
}

/**
 * The REST intake at /api/v1 (issue 4 §3). Returns false when the path is not one of its routes.
 */
export function createRestHandler(context: RestContext) {
  const { engine, store, repository } = context;
  const { toSummary, toDetail } = createTicketViews(repository, context.publicUrl);

  async function createTicket(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = authenticate(req, repository, 'tickets:write');
    const rawKey = req.headers['idempotency-key'];
    let idempotencyKey: string | null = null;
    if (rawKey !== undefined) {
      const key = idempotencyKeySchema.safeParse(Array.isArray(rawKey) ? rawKey.join(',') : rawKey);
      if (!key.success) {
        throw new HttpError(
          'invalid_request',
          'Invalid Idempotency-Key header',
          toIssues(key.error.issues, 'Idempotency-Key'),
        );
      }
      // Keys are per token: one client cannot read another's ticket by reusing its key.
      idempotencyKey = `${token.id}:${key.data}`;
    }
    const body = await readJsonBody(req);
    const parsed = intakeSchema.safeParse(body);
    if (!parsed.success) {
      const issues = toIssues(parsed.error.issues);
      throw new HttpError(
        'invalid_request',
        `Invalid ticket: ${issues.map((i) => i.path).join(', ')}`,
        issues,
      );
    }
    const { flow, ...input } = parsed.data;
    const { ticket, created } = await context.intake.createTicket(input, {
      ...(flow !== undefined && { flow }),
      idempotencyKey,
    });
    const location = `/api/v1/tickets/${ticket.number}`;
    sendJson(res, created ? 201 : 200, toSummary(ticket), {
      location,
      ...(idempotencyKey !== null && { 'idempotent-replayed': String(!created) }),
    });
  }

  function listTickets(req: IncomingMessage, res: ServerResponse, url: URL): void {
    authenticate(req, repository, 'tickets:read');
    const parsed = listQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      throw new HttpError('invalid_request', 'Invalid query', toIssues(parsed.error.issues));
    }
    const { limit, cursor, channel, status } = parsed.data;
    const rows = repository.listTickets({
      channel,
      status,
      limit: limit + 1,
      cursor: cursor === undefined ? undefined : decodeCursor(cursor),
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    sendJson(res, 200, {
      items: page.map(({ id: _id, ...row }) => ({
        ...row,
        url: `${context.publicUrl}/api/v1/tickets/${row.number}`,
      })),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
    });
  }

  async function getTicket(
    req: IncomingMessage,
    res: ServerResponse,
    number: string,
  ): Promise<void> {
    authenticate(req, repository, 'tickets:read');
    const record = await store.getTicketByNumber(number);
    if (record === null) throw new HttpError('not_found', `Ticket ${number} does not exist`);
    sendJson(res, 200, toDetail(record, await store.listEvents(record.id)));
  }

  async function sendEvent(
    req: IncomingMessage,
    res: ServerResponse,
    number: string,
  ): Promise<void> {
    const token = authenticate(req, repository, 'tickets:write');
    const body = await readJsonBody(req);
    const decision = approvalDecision(body);
    if (decision !== null) requireScope(token, 'approvals:decide');
    const { ticket } = await engine.send(number, body);
    if (decision !== null) {
      repository.audit.write(
        null,
        decision.approved ? 'approval.approve' : 'approval.reject',
        number,
        {
          via: 'api',
          token: { id: token.id, name: token.name },
          by: decision.by,
          ...(decision.reason !== undefined && { reason: decision.reason }),
        },
      );
    }
    sendJson(res, 200, toSummary(ticket));
  }

  function notAllowed(allow: string): never {
    throw new HttpError('method_not_allowed', `Use ${allow}`, [], { allow });
  }

  /** Handles the request if it is a REST route; returns false otherwise. */
  return async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<boolean> {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (path === '/api/v1/tickets') {
      if (method === 'POST') await createTicket(req, res);
      else if (method === 'GET') listTickets(req, res, url);
      else notAllowed('GET, POST');
      return true;
    }
    const ticketMatch = /^\/api\/v1\/tickets\/([^/]+)$/.exec(path);
    if (ticketMatch?.[1] !== undefined) {
      if (method !== 'GET') notAllowed('GET');
      await getTicket(req, res, decodeURIComponent(ticketMatch[1]));
      return true;
    }
    const eventsMatch = /^\/api\/v1\/tickets\/([^/]+)\/events$/.exec(path);
    if (eventsMatch?.[1] !== undefined) {
      if (method !== 'POST') notAllowed('POST');
      await sendEvent(req, res, decodeURIComponent(eventsMatch[1]));
      return true;
    }
    return false;
  };
}
