import {
  getPendingMigrations,
  MIGRATIONS_TABLE,
  readMigrations,
  toSqliteTimestamp,
} from '@switchyard/db';
import type { AppliedMigration, SqliteDatabase } from '@switchyard/db';
import { createAccounts, fromDbTime } from './sql/accounts';
import { createAuditLog } from './sql/audit';
import { createFlows } from './sql/flows';
import { createScenarioStore } from './sql/scenarios';
import { createSettings } from './sql/settings';
import { createTicketQueries } from './sql/tickets';

export type { ApiTokenInfo, Language, Role, UserRow } from './sql/accounts';

export interface TicketListRow {
  readonly id: string;
  readonly number: string;
  readonly status: string;
  readonly priority: string;
  readonly channel: string;
  readonly subject: string;
  readonly team: string | null;
  readonly assignee: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface TicketListQuery {
  readonly channel?: string | undefined;
  readonly status?: string | undefined;
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: { readonly createdAt: string; readonly id: string } | undefined;
}

/**
 * The server's own SQL on the tables packages/db owns (users, sessions, tokens, flows and
 * versions, bindings, settings, audit, ticket listing): raw better-sqlite3 statements on the same
 * connection the store reads from. Every write supplies its DateTime values with
 * toSqliteTimestamp (packages/db README); every audited change writes its audit row in the same
 * transaction.
 */
export function createRepository(db: SqliteDatabase, now: () => number) {
  const audit = createAuditLog(db, now);
  const accounts = createAccounts(db, now, audit);
  const flows = createFlows(db, now, audit);
  const settings = createSettings(db, audit);
  const tickets = createTicketQueries(db, now);
  const sql = {
    applied: db.prepare<[], AppliedMigration>(
      `SELECT "name", "checksum", "appliedAt" FROM "${MIGRATIONS_TABLE}"`,
    ),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS "ok"'),
  };

  return {
    audit,
    /** Simulator scenarios per flow (sql/scenarios.ts). */
    scenarios: createScenarioStore(db, now, audit),
    ...accounts,
    ...flows,
    ...settings,
    ...tickets,
    /** Newest first, by creation (the REST listing). */
    listTickets(query: TicketListQuery): TicketListRow[] {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.channel !== undefined) {
        where.push('"channel" = ?');
        params.push(query.channel);
      }
      if (query.status !== undefined) {
        where.push('"status" = ?');
        params.push(query.status);
      }
      if (query.cursor !== undefined) {
        where.push('("createdAt" < ? OR ("createdAt" = ? AND "id" < ?))');
        const created = toSqliteTimestamp(new Date(query.cursor.createdAt));
        params.push(created, created, query.cursor.id);
      }
      const rows = db
        .prepare<(string | number)[], Omit<TicketListRow, 'subject'> & { data: string }>(
          `SELECT "id", "number", "status", "priority", "channel", "team", "assigneeId" AS "assignee",
                  "data", "createdAt", "updatedAt"
           FROM "Ticket" ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`,
        )
        .all(...params, query.limit);
      return rows.map(({ data, ...row }) => ({
        ...row,
        subject: (JSON.parse(data) as { subject?: string }).subject ?? '',
        createdAt: fromDbTime(row.createdAt),
        updatedAt: fromDbTime(row.updatedAt),
      }));
    },
    /**
     * Ids of the tickets a flow version created at or before `asOf` (ISO), newest first, from
     * `offset` (replay of production takes them in batches; `asOf` keeps the batches stable).
     */
    listTicketIdsOfVersion(
      versionId: string,
      asOf: string,
      page: { offset: number; limit: number },
    ): { ids: string[]; total: number } {
      const created = toSqliteTimestamp(new Date(asOf));
      const total =
        db
          .prepare<[string, string], { n: number }>(
            `SELECT count(*) AS "n" FROM "Ticket" WHERE "flowVersionId" = ? AND "createdAt" <= ?`,
          )
          .get(versionId, created)?.n ?? 0;
      const ids = db
        .prepare<[string, string, number, number], { id: string }>(
          `SELECT "id" FROM "Ticket" WHERE "flowVersionId" = ? AND "createdAt" <= ?
           ORDER BY "createdAt" DESC, "id" DESC LIMIT ? OFFSET ?`,
        )
        .all(versionId, created, page.limit, page.offset)
        .map((row) => row.id);
      return { ids, total };
    },
    /** Readiness: the database answers and no migration on disk is unapplied. */
    checkReady(): { ok: true } | { ok: false; reason: string } {
      try {
        sql.ping.get();
        const pending = getPendingMigrations(readMigrations(), sql.applied.all());
        if (pending.length > 0) {
          return {
            ok: false,
            reason: `migrations not applied: ${pending.map((m) => m.name).join(', ')}`,
          };
        }
        return { ok: true };
      } catch (error: unknown) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

export type Repository = ReturnType<typeof createRepository>;
