import { randomUUID } from 'node:crypto';
import {
  readMigrations,
  getPendingMigrations,
  MIGRATIONS_TABLE,
  toSqliteTimestamp,
} from '@switchyard/db';
import type { AppliedMigration, SqliteDatabase } from '@switchyard/db';
import type { ApiScope } from './auth';
import { API_SCOPES, hashToken } from './auth';

/** A verified API token (never the token itself). */
export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
}

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

/** A signed-in user as procedures see it. */
export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'agent' | 'viewer';
}

function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

function fromDbTime(value: string): string {
  return new Date(value).toISOString();
}

/**
 * The server's own SQL on the tables packages/db owns (tokens, users, bindings, listing): raw
 * better-sqlite3 statements on the same connection the store reads from. Every write supplies
 * its DateTime values with toSqliteTimestamp (packages/db README).
 */
export function createRepository(db: SqliteDatabase, now: () => number) {
  const at = () => toSqliteTimestamp(new Date(now()));
  const sql = {
    tokenByHash: db.prepare<[string], { id: string; name: string; scopes: string }>(
      'SELECT "id", "name", "scopes" FROM "ApiToken" WHERE "tokenHash" = ? AND "revokedAt" IS NULL',
    ),
    touchToken: db.prepare('UPDATE "ApiToken" SET "lastUsedAt" = ? WHERE "id" = ?'),
    insertToken: db.prepare(
      `INSERT INTO "ApiToken" ("id", "name", "tokenHash", "scopes", "createdById", "createdAt")
       VALUES (@id, @name, @tokenHash, @scopes, @createdById, @at)`,
    ),
    countTokens: db.prepare<[], { n: number }>('SELECT count(*) AS "n" FROM "ApiToken"'),
    countUsers: db.prepare<[], { n: number }>('SELECT count(*) AS "n" FROM "User"'),
    insertUser: db.prepare(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "locale", "createdAt")
       VALUES (@id, @email, @name, @passwordHash, @role, 'en', @at)`,
    ),
    countVersions: db.prepare<[], { n: number }>('SELECT count(*) AS "n" FROM "FlowVersion"'),
    bind: db.prepare(
      `INSERT INTO "ChannelBinding" ("channel", "flowId", "updatedAt") VALUES (?, ?, ?)
       ON CONFLICT ("channel") DO UPDATE SET "flowId" = excluded."flowId", "updatedAt" = excluded."updatedAt"`,
    ),
    boundFlow: db.prepare<[string], { flowId: string }>(
      'SELECT "flowId" FROM "ChannelBinding" WHERE "channel" = ?',
    ),
    latestVersion: db.prepare<[string], { id: string; document: string }>(
      'SELECT "id", "document" FROM "FlowVersion" WHERE "flowId" = ? ORDER BY "number" DESC LIMIT 1',
    ),
    versionDocument: db.prepare<[string], { document: string }>(
      'SELECT "document" FROM "FlowVersion" WHERE "id" = ?',
    ),
    audit: db.prepare(
      `INSERT INTO "AuditLog" ("at", "actorId", "action", "target", "details") VALUES (?, ?, ?, ?, ?)`,
    ),
    applied: db.prepare<[], AppliedMigration>(
      `SELECT "name", "checksum", "appliedAt" FROM "${MIGRATIONS_TABLE}"`,
    ),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS "ok"'),
    userByEmail: db.prepare<[string], UserRow & { passwordHash: string }>(
      'SELECT "id", "email", "name", "role", "passwordHash" FROM "User" WHERE "email" = ?',
    ),
    insertSession: db.prepare(
      'INSERT INTO "Session" ("id", "userId", "expiresAt", "createdAt") VALUES (?, ?, ?, ?)',
    ),
    sessionUser: db.prepare<[string, string], UserRow>(
      `SELECT u."id", u."email", u."name", u."role" FROM "Session" s JOIN "User" u ON u."id" = s."userId"
       WHERE s."id" = ? AND s."expiresAt" > ?`,
    ),
    deleteSession: db.prepare('DELETE FROM "Session" WHERE "id" = ?'),
    flows: db.prepare<
      [],
      { id: string; name: string; latestVersion: number | null; publishedAt: string | null }
    >(
      `SELECT f."id", f."name", max(v."number") AS "latestVersion", max(v."publishedAt") AS "publishedAt"
       FROM "Flow" f LEFT JOIN "FlowVersion" v ON v."flowId" = f."id" GROUP BY f."id" ORDER BY f."name"`,
    ),
    bindings: db.prepare<[], { channel: string; flowId: string }>(
      'SELECT "channel", "flowId" FROM "ChannelBinding" ORDER BY "channel"',
    ),
  };

  return {
    /** The token's record if the bearer token is known and not revoked. */
    verifyToken(token: string): ApiTokenInfo | null {
      const row = sql.tokenByHash.get(hashToken(token));
      if (row === undefined) return null;
      sql.touchToken.run(at(), row.id);
      return { id: row.id, name: row.name, scopes: row.scopes.split(/\s+/).filter(isApiScope) };
    },
    createToken(
      token: string,
      name: string,
      scopes: readonly ApiScope[],
      createdById: string | null,
    ): string {
      const id = randomUUID();
      sql.insertToken.run({
        id,
        name,
        tokenHash: hashToken(token),
        scopes: scopes.join(' '),
        createdById,
        at: at(),
      });
      sql.audit.run(at(), createdById, 'token.create', id, JSON.stringify({ name, scopes }));
      return id;
    },
    countTokens: () => sql.countTokens.get()?.n ?? 0,
    countUsers: () => sql.countUsers.get()?.n ?? 0,
    createUser(user: {
      email: string;
      name: string;
      passwordHash: string;
      role: 'admin' | 'agent' | 'viewer';
    }): string {
      const id = randomUUID();
      sql.insertUser.run({ id, ...user, at: at() });
      sql.audit.run(
        at(),
        null,
        'user.create',
        id,
        JSON.stringify({ email: user.email, role: user.role }),
      );
      return id;
    },
    countFlowVersions: () => sql.countVersions.get()?.n ?? 0,
    bindChannel(channel: string, flowId: string): void {
      sql.bind.run(channel, flowId, at());
    },
    /** The newest published version of a flow, or null. */
    getLatestVersion(flowId: string): { id: string; document: string } | null {
      return sql.latestVersion.get(flowId) ?? null;
    },
    getBoundFlowId(channel: string): string | null {
      return sql.boundFlow.get(channel)?.flowId ?? null;
    },
    getVersionDocument(versionId: string): string | null {
      return sql.versionDocument.get(versionId)?.document ?? null;
    },
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
    getUserByEmail(email: string) {
      return sql.userByEmail.get(email) ?? null;
    },
    /** Stores a session under the SHA-256 of its cookie token. */
    createSession(token: string, userId: string, expiresAt: number): void {
      sql.insertSession.run(hashToken(token), userId, toSqliteTimestamp(new Date(expiresAt)), at());
    },
    getSessionUser(token: string): UserRow | null {
      return sql.sessionUser.get(hashToken(token), at()) ?? null;
    },
    deleteSession(token: string): void {
      sql.deleteSession.run(hashToken(token));
    },
    listFlows() {
      const bindings = sql.bindings.all();
      return sql.flows.all().map((flow) => ({
        ...flow,
        publishedAt: flow.publishedAt === null ? null : fromDbTime(flow.publishedAt),
        channels: bindings.filter((b) => b.flowId === flow.id).map((b) => b.channel),
      }));
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
