import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { fromDbTime } from './accounts';

export const TICKET_SORTS = ['newest', 'oldest', 'updated', 'priority', 'sla'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export interface TicketQuery {
  readonly status?: string | undefined;
  /** true: only new/open/pending/escalated tickets. */
  readonly open?: boolean | undefined;
  readonly priority?: string | undefined;
  readonly team?: string | undefined;
  /** An assignee id; `null` for unassigned tickets. */
  readonly assignee?: string | null | undefined;
  readonly channel?: string | undefined;
  readonly category?: string | undefined;
  /** `breached`: the SLA was missed; `due-1h`: open and a target falls due within the hour. */
  readonly sla?: 'breached' | 'due-1h' | undefined;
  /** Words that must all appear in the subject, description, number or customer name/e-mail. */
  readonly search?: string | undefined;
  readonly sort?: TicketSort | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

export interface TicketItem {
  readonly number: string;
  readonly status: string;
  readonly priority: string;
  readonly channel: string;
  readonly subject: string;
  readonly category: string | null;
  readonly team: string | null;
  readonly assignee: string | null;
  readonly customer: { readonly name: string; readonly email: string; readonly tier: string };
  readonly sla: {
    readonly responseDueAt: string | null;
    readonly resolutionDueAt: string | null;
    readonly breached: boolean;
  };
  readonly escalationLevel: number;
  readonly currentNodeId: string | null;
  readonly flowVersionId: string;
  readonly done: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Keyset ordering: every sort is one text key plus the id as tie-breaker, so a cursor is
 * `{k, id}` and pages never skip or repeat rows while tickets change. DateTime columns are
 * fixed-width text (packages/db), so text order is time order.
 */
const SORT_KEYS: Readonly<Record<TicketSort, { expr: string; dir: 'ASC' | 'DESC' }>> = {
  newest: { expr: '"createdAt"', dir: 'DESC' },
  oldest: { expr: '"createdAt"', dir: 'ASC' },
  updated: { expr: '"updatedAt"', dir: 'DESC' },
  priority: {
    expr: `(CASE "priority" WHEN 'urgent' THEN '0' WHEN 'high' THEN '1' WHEN 'medium' THEN '2' ELSE '3' END || "createdAt")`,
    dir: 'ASC',
  },
  sla: {
    expr: `coalesce(min(coalesce("slaResponseDueAt", '9999'), coalesce("slaResolutionDueAt", '9999')), '9999')`,
    dir: 'ASC',
  },
};

const cursorSchema = z.object({
  s: z.enum(TICKET_SORTS),
  k: z.string(),
  id: z.string().min(1),
});

function encodeCursor(sort: TicketSort, key: string, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key, id })).toString('base64url');
}

function decodeCursor(cursor: string, sort: TicketSort): { k: string; id: string } {
  const bad = new InvalidInputError('Invalid cursor', [
    { path: 'cursor', message: 'Use the nextCursor of a previous page with the same sort' },
  ]);
  let parsed: z.infer<typeof cursorSchema>;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw bad;
  }
  if (parsed.s !== sort) throw bad;
  return parsed;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

interface TicketDbRow {
  id: string;
  number: string;
  status: string;
  priority: string;
  channel: string;
  category: string | null;
  team: string | null;
  escalationLevel: number;
  slaResponseDueAt: string | null;
  slaResolutionDueAt: string | null;
  slaBreached: number;
  currentNode: string | null;
  flowVersionId: string;
  done: number;
  data: string;
  createdAt: string;
  updatedAt: string;
  sortKey: string;
}

/** The ticket inbox query: every filter, text search and keyset pagination. */
export function createTicketQueries(db: SqliteDatabase, now: () => number) {
  const isAgent = db.prepare<[string], { id: string }>('SELECT "id" FROM "Agent" WHERE "id" = ?');
  return {
    searchTickets(query: TicketQuery): { items: TicketItem[]; nextCursor: string | null } {
      const sort = query.sort ?? 'newest';
      const { expr, dir } = SORT_KEYS[sort];
      const where: string[] = [];
      const params: (string | number)[] = [];
      const equal = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        where.push(`${column} = ?`);
        params.push(value);
      };
      equal('"status"', query.status);
      if (query.open === true) where.push(`"status" IN ('new', 'open', 'pending', 'escalated')`);
      equal('"priority"', query.priority);
      equal('"team"', query.team);
      equal('"channel"', query.channel);
      equal('"category"', query.category);
      if (query.assignee === null) {
        // A ticket assigned to an agent has its id in "assigneeId" (indexed); only the JSON says
        // whether a free-label assignee is set.
        where.push(`"assigneeId" IS NULL AND json_extract("data", '$.assignee') IS NULL`);
      } else if (query.assignee !== undefined) {
        if (isAgent.get(query.assignee) !== undefined) {
          // The writer stores an agent assignee in "assigneeId": read the index, not every row.
          where.push(`"assigneeId" = ?`);
        } else where.push(`json_extract("data", '$.assignee') = ?`);
        params.push(query.assignee);
      }
      if (query.sla === 'breached') where.push('"slaBreached" = 1');
      if (query.sla === 'due-1h') {
        const soon = toSqliteTimestamp(new Date(now() + 3_600_000));
        where.push(
          `"done" = 0 AND "slaBreached" = 0 AND (("slaResponseDueAt" IS NOT NULL AND "slaResponseDueAt" <= ?) OR ("slaResolutionDueAt" IS NOT NULL AND "slaResolutionDueAt" <= ?))`,
        );
        params.push(soon, soon);
      }
      for (const word of (query.search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 10)) {
        const like = `%${escapeLike(word)}%`;
        where.push(
          `(json_extract("data", '$.subject') LIKE ? ESCAPE '\\' OR json_extract("data", '$.description') LIKE ? ESCAPE '\\'
            OR "number" LIKE ? ESCAPE '\\' OR coalesce("customerName", '') LIKE ? ESCAPE '\\'
            OR coalesce("customerEmail", '') LIKE ? ESCAPE '\\')`,
        );
        params.push(like, like, like, like, like);
      }
      if (query.cursor !== undefined) {
        const cursor = decodeCursor(query.cursor, sort);
        const op = dir === 'ASC' ? '>' : '<';
        where.push(`(${expr} ${op} ? OR (${expr} = ? AND "id" ${op} ?))`);
        params.push(cursor.k, cursor.k, cursor.id);
      }
      const rows = db
        .prepare<(string | number)[], TicketDbRow>(
          `SELECT "id", "number", "status", "priority", "channel", "category", "team",
                  "escalationLevel", "slaResponseDueAt", "slaResolutionDueAt", "slaBreached",
                  "currentNode", "flowVersionId", "done", "data", "createdAt", "updatedAt",
                  ${expr} AS "sortKey"
           FROM "Ticket" ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY "sortKey" ${dir}, "id" ${dir} LIMIT ?`,
        )
        .all(...params, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => {
          const data = JSON.parse(row.data) as {
            subject?: string;
            assignee?: string | null;
            customer?: { name?: string; email?: string; tier?: string };
          };
          return {
            number: row.number,
            status: row.status,
            priority: row.priority,
            channel: row.channel,
            subject: data.subject ?? '',
            category: row.category,
            team: row.team,
            assignee: data.assignee ?? null,
            customer: {
              name: data.customer?.name ?? '',
              email: data.customer?.email ?? '',
              tier: data.customer?.tier ?? 'standard',
            },
            sla: {
              responseDueAt: fromDbTime(row.slaResponseDueAt),
              resolutionDueAt: fromDbTime(row.slaResolutionDueAt),
              breached: row.slaBreached === 1,
            },
            escalationLevel: row.escalationLevel,
            currentNodeId: row.currentNode,
            flowVersionId: row.flowVersionId,
            done: row.done === 1,
            createdAt: fromDbTime(row.createdAt),
            updatedAt: fromDbTime(row.updatedAt),
          };
        }),
        nextCursor:
          rows.length > query.limit && last !== undefined
            ? encodeCursor(sort, last.sortKey, last.id)
            : null,
      };
    },
  };
}
