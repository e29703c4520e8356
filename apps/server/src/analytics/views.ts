import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from '@switchyard/flow';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { fromDbTime } from '../sql/accounts';
import { TICKET_SORTS } from '../sql/tickets';

/**
 * An inbox view: `tickets.list` filters and sort. `mine` stands for "assigned to the signed-in
 * user's agent", so one saved view works for everyone.
 */
export const viewFiltersSchema = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    open: z.boolean().optional(),
    priority: z.enum(PRIORITIES).optional(),
    team: z.string().min(1).max(100).optional(),
    assignee: z.string().min(1).max(200).nullable().optional(),
    mine: z.boolean().optional(),
    channel: z.enum(CHANNELS).optional(),
    category: z.string().min(1).max(100).optional(),
    sla: z.enum(['breached', 'due-1h']).optional(),
    search: z.string().max(200).optional(),
    sort: z.enum(TICKET_SORTS).optional(),
  })
  .strict();
export type ViewFilters = z.infer<typeof viewFiltersSchema>;

/** The views every user has ("My open", "Breaching in 1 h", "Unassigned"). */
export const BUILT_IN_VIEWS = [
  { id: 'my-open', filters: { mine: true, open: true, sort: 'sla' } },
  { id: 'breaching-1h', filters: { sla: 'due-1h', sort: 'sla' } },
  { id: 'unassigned', filters: { assignee: null, open: true, sort: 'oldest' } },
] as const satisfies readonly { id: string; filters: ViewFilters }[];

export interface SavedView {
  readonly id: string;
  readonly name: string;
  readonly filters: ViewFilters;
  readonly createdAt: string;
}

/** Named inbox views per user, plus who "mine" means for them. */
export function createViews(db: SqliteDatabase, now: () => number) {
  const sql = {
    list: db.prepare<[string], { id: string; name: string; filters: string; createdAt: string }>(
      `SELECT "id", "name", "filters", "createdAt" FROM "SavedView" WHERE "userId" = ? ORDER BY "name"`,
    ),
    upsert: db.prepare(
      `INSERT INTO "SavedView" ("id", "userId", "name", "filters", "createdAt") VALUES (?, ?, ?, ?, ?)
       ON CONFLICT ("userId", "name") DO UPDATE SET "filters" = excluded."filters"`,
    ),
    remove: db.prepare('DELETE FROM "SavedView" WHERE "id" = ? AND "userId" = ?'),
    agent: db.prepare<[string, string], { id: string; name: string }>(
      `SELECT "id", "name" FROM "Agent" WHERE "userId" = ? OR ("userId" IS NULL AND lower("email") = lower(?))
       ORDER BY "userId" IS NULL LIMIT 1`,
    ),
  };
  return {
    /** The agent a user works as: linked by Agent.userId, else the agent with their e-mail. */
    getAgentOf(user: { id: string; email: string }): { id: string; name: string } | null {
      return sql.agent.get(user.id, user.email) ?? null;
    },
    list(userId: string): SavedView[] {
      return sql.list.all(userId).map((row) => ({
        id: row.id,
        name: row.name,
        filters: viewFiltersSchema.parse(JSON.parse(row.filters)),
        createdAt: fromDbTime(row.createdAt),
      }));
    },
    /** Saves under `name` (replacing the user's view of that name). */
    save(userId: string, name: string, filters: ViewFilters): SavedView {
      sql.upsert.run(
        randomUUID(),
        userId,
        name,
        JSON.stringify(filters),
        toSqliteTimestamp(new Date(now())),
      );
      const saved = this.list(userId).find((view) => view.name === name);
      if (saved === undefined) throw new Error(`view ${name} not saved`);
      return saved;
    },
    remove(userId: string, id: string): void {
      if (sql.remove.run(id, userId).changes === 0) {
        throw new NotFoundError(`You have no saved view ${id}`);
      }
    },
  };
}

export type Views = ReturnType<typeof createViews>;
