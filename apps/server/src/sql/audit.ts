import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  /** The acting user (null: the system, e.g. first-start seeding). */
  readonly actor: { readonly id: string; readonly email: string | null } | null;
  readonly action: string;
  readonly target: string | null;
  readonly details: unknown;
}

/**
 * The append-only audit log: publish, rollback, settings, users, tokens. Callers write inside the
 * same transaction as the change they record.
 */
export function createAuditLog(db: SqliteDatabase, now: () => number) {
  const sql = {
    insert: db.prepare(
      'INSERT INTO "AuditLog" ("at", "actorId", "action", "target", "details") VALUES (?, ?, ?, ?, ?)',
    ),
    page: db.prepare<
      [number, number],
      {
        id: number;
        at: string;
        actorId: string | null;
        email: string | null;
        action: string;
        target: string | null;
        details: string;
      }
    >(
      `SELECT a."id", a."at", a."actorId", u."email", a."action", a."target", a."details"
       FROM "AuditLog" a LEFT JOIN "User" u ON u."id" = a."actorId"
       WHERE a."id" < ? ORDER BY a."id" DESC LIMIT ?`,
    ),
  };
  return {
    write(actorId: string | null, action: string, target: string | null, details: unknown): void {
      sql.insert.run(
        toSqliteTimestamp(new Date(now())),
        actorId,
        action,
        target,
        JSON.stringify(details ?? {}),
      );
    },
    /** Newest first; `before` is the id of the last entry of the previous page. */
    list(before: number | undefined, limit: number): AuditEntry[] {
      return sql.page.all(before ?? Number.MAX_SAFE_INTEGER, limit).map((row) => ({
        id: row.id,
        at: new Date(row.at).toISOString(),
        actor: row.actorId === null ? null : { id: row.actorId, email: row.email },
        action: row.action,
        target: row.target,
        details: JSON.parse(row.details) as unknown,
      }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
