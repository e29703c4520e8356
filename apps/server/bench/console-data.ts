// Generates a large, plausible ticket history straight into SQLite for the console benchmark:
// rows shaped exactly as the SQLite store writes them (packages/db sqlite-writer.mjs), with the
// analytics columns consistent with each ticket's story. Seeded, so every run builds the same data.
import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { CHANNELS } from '@switchyard/flow';

export interface GenerateOptions {
  readonly count: number;
  /** Tickets are created evenly at random over the `days` before `now`. */
  readonly days: number;
  readonly now: number;
  readonly flowVersionId: string;
  /** Agent ids the assignees are drawn from (their rows must exist). */
  readonly agents: readonly { readonly id: string; readonly teamId: string }[];
  readonly seed?: number;
}

/** mulberry32: small, fast, good enough to spread test data. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['fault', 'billing', 'account', 'shipping', null] as const;
const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
const WORDS = [
  'login',
  'password',
  'invoice',
  'refund',
  'delivery',
  'error',
  'account',
  'locked',
  'payment',
  'report',
  '无法登录',
  '发票',
  '退款',
];

/**
 * Inserts `count` tickets (and their creation and reply events) in one transaction. Statuses
 * follow the age of the ticket: most older tickets are resolved or closed, some were reopened,
 * breached their SLA, escalated or answered a survey.
 */
export function generateTickets(db: SqliteDatabase, options: GenerateOptions): void {
  const random = createRandom(options.seed ?? 42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const insertTicket = db.prepare(
    `INSERT INTO "Ticket" ("id", "number", "flowVersionId", "status", "priority", "channel",
       "category", "subcategory", "team", "assigneeId", "customerEmail", "customerName",
       "customerTier", "escalationLevel", "slaResponseDueAt", "slaResolutionDueAt", "slaBreached",
       "csatScore", "data", "snapshot", "version", "currentNode", "currentNodes", "done",
       "createdAt", "updatedAt", "firstResponseAt", "firstResponseMs", "resolvedAt", "resolutionMs",
       "reopenCount", "csatAt")
     VALUES (@id, @number, @flowVersionId, @status, @priority, @channel, @category, NULL, @team,
       @assigneeId, @email, @name, @tier, @escalationLevel, @responseDue, @resolutionDue,
       @breached, @csatScore, @data, '{}', @version, @currentNode, @currentNodes, @done,
       @createdAt, @updatedAt, @firstResponseAt, @firstResponseMs, @resolvedAt, @resolutionMs,
       @reopenCount, @csatAt)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO "TicketEvent" ("ticketId", "seq", "type", "payload", "actor", "trace", "decisions", "createdAt")
     VALUES (?, ?, ?, ?, ?, '{}', '{}', ?)`,
  );
  const ts = (ms: number) => toSqliteTimestamp(new Date(ms));
  const perDay = new Map<string, number>();

  db.transaction(() => {
    for (let i = 0; i < options.count; i++) {
      const created = options.now - random() * options.days * 86_400_000;
      const age = options.now - created;
      const day = new Date(created).toISOString().slice(0, 10).replaceAll('-', '');
      const seq = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, seq);
      const number = `CS${day}${String(seq).padStart(5, '0')}`;
      const channel = pick(CHANNELS);
      const category = pick(CATEGORIES);
      const priority = pick(PRIORITIES);
      const tier = random() < 0.1 ? 'vip' : 'standard';
      const agent = pick(options.agents);
      const customer = Math.floor(random() * 20_000);
      const responseMs = (0.1 + random() * 8) * 3_600_000;
      const resolutionMs = responseMs + random() * 72 * 3_600_000;
      const responded = age > responseMs && random() < 0.95;
      const resolved = age > resolutionMs && random() < 0.9;
      const reopened = resolved && random() < 0.05;
      const breached = random() < 0.12;
      const escalationLevel = breached ? 1 + Math.floor(random() * 3) : 0;
      const surveyed = resolved && !reopened && random() < 0.4;
      const status = reopened
        ? 'open'
        : resolved
          ? random() < 0.5
            ? 'closed'
            : 'resolved'
          : breached
            ? 'escalated'
            : pick(['new', 'open', 'open', 'pending'] as const);
      const subject = `${pick(WORDS)} ${pick(WORDS)} #${i}`;
      const ticket = {
        number,
        subject,
        description: `Customer ${customer} writes about ${subject}. ${pick(WORDS)} ${pick(WORDS)}.`,
        channel,
        customer: {
          id: '',
          name: `Customer ${customer}`,
          email: `customer${customer}@example.com`,
          phone: '',
          tier,
          language: random() < 0.3 ? 'zh-CN' : 'en',
        },
        category,
        subcategory: null,
        priority,
        impact: 'single',
        team: agent.teamId,
        assignee: status === 'new' ? null : agent.id,
        status,
        escalationLevel,
        sla: {
          responseDueAt: new Date(created + 4 * 3_600_000).toISOString(),
          resolutionDueAt: new Date(created + 24 * 3_600_000).toISOString(),
          breached,
        },
        csat: { score: surveyed ? 1 + Math.floor(random() * 5) : null, resolved: null },
        tags: tier === 'vip' ? ['VIP'] : [],
        fields: {},
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(created).toISOString(),
      };
      const id = randomUUID();
      const done = status === 'closed';
      insertTicket.run({
        id,
        number,
        flowVersionId: options.flowVersionId,
        status,
        priority,
        channel,
        category,
        team: agent.teamId,
        assigneeId: ticket.assignee,
        email: ticket.customer.email,
        name: ticket.customer.name,
        tier,
        escalationLevel,
        responseDue: ts(created + 4 * 3_600_000),
        resolutionDue: ts(created + 24 * 3_600_000),
        breached: breached ? 1 : 0,
        csatScore: ticket.csat.score,
        data: JSON.stringify(ticket),
        version: responded ? 3 : 1,
        currentNode: done ? 'closed' : 'await-resolution',
        currentNodes: JSON.stringify(done ? ['closed'] : ['await-resolution']),
        done: done ? 1 : 0,
        createdAt: ts(created),
        updatedAt: ts(created + (resolved ? resolutionMs : responded ? responseMs : 0)),
        firstResponseAt: responded ? ts(created + responseMs) : null,
        firstResponseMs: responded ? Math.round(responseMs) : null,
        resolvedAt: resolved && !reopened ? ts(created + resolutionMs) : null,
        resolutionMs: resolved && !reopened ? Math.round(resolutionMs) : null,
        reopenCount: reopened ? 1 : 0,
        csatAt: surveyed ? ts(created + resolutionMs + 3_600_000) : null,
      });
      insertEvent.run(
        id,
        1,
        'TICKET.CREATED',
        JSON.stringify({ type: 'TICKET.CREATED', ticket }),
        null,
        ts(created),
      );
      if (responded) {
        insertEvent.run(
          id,
          2,
          'AGENT.REPLIED',
          JSON.stringify({ type: 'AGENT.REPLIED', by: agent.id, message: 'We are on it.' }),
          agent.id,
          ts(created + responseMs),
        );
      }
    }
  })();
}
