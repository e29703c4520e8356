import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { API_SCOPES, hashToken } from '../auth';
import type { ApiScope } from '../auth';
import { AlreadyExistsError, NotFoundError, PreconditionError } from '../errors';
import type { AuditLog } from './audit';

export const ROLES = ['admin', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A signed-in user as procedures see it. */
export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly language: Language;
}

export interface UserListRow extends UserRow {
  readonly disabled: boolean;
  readonly createdAt: string;
}

/** A verified API token (never the token itself). */
export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
}

export interface ApiTokenRow extends ApiTokenInfo {
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

interface UserDbRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  disabled: number;
  createdAt: string;
  passwordHash: string;
}

function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

function toLanguage(locale: string): Language {
  return locale === 'zh-CN' ? 'zh-CN' : 'en';
}

function toUser(row: UserDbRow): UserRow {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    language: toLanguage(row.locale),
  };
}

/** DB DateTime text → ISO 8601 with `Z`. */
export function fromDbTime(value: string): string;
export function fromDbTime(value: string | null): string | null;
export function fromDbTime(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/**
 * Users, sessions and API tokens. Sessions and tokens are stored as SHA-256 hashes only; a
 * disabled user's sessions stop working at once.
 */
export function createAccounts(db: SqliteDatabase, now: () => number, audit: AuditLog) {
  const at = () => toSqliteTimestamp(new Date(now()));
  const USER_COLUMNS =
    '"id", "email", "name", "role", "locale", "disabled", "createdAt", "passwordHash"';
  const sql = {
    userByEmail: db.prepare<[string], UserDbRow>(
      `SELECT ${USER_COLUMNS} FROM "User" WHERE "email" = ? COLLATE NOCASE`,
    ),
    userById: db.prepare<[string], UserDbRow>(`SELECT ${USER_COLUMNS} FROM "User" WHERE "id" = ?`),
    users: db.prepare<[], UserDbRow>(`SELECT ${USER_COLUMNS} FROM "User" ORDER BY "email"`),
    countUsers: db.prepare<[], { n: number }>('SELECT count(*) AS "n" FROM "User"'),
    activeAdmins: db.prepare<[], { id: string }>(
      `SELECT "id" FROM "User" WHERE "role" = 'admin' AND "disabled" = 0`,
    ),
    insertUser: db.prepare(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "locale", "disabled", "createdAt")
       VALUES (@id, @email, @name, @passwordHash, @role, @locale, 0, @at)`,
    ),
    updateUser: db.prepare(
      'UPDATE "User" SET "name" = @name, "role" = @role, "disabled" = @disabled WHERE "id" = @id',
    ),
    setPassword: db.prepare('UPDATE "User" SET "passwordHash" = ? WHERE "id" = ?'),
    setLocale: db.prepare('UPDATE "User" SET "locale" = ? WHERE "id" = ?'),
    insertSession: db.prepare(
      'INSERT INTO "Session" ("id", "userId", "expiresAt", "createdAt") VALUES (?, ?, ?, ?)',
    ),
    sessionUser: db.prepare<[string, string], UserDbRow>(
      `SELECT u."id", u."email", u."name", u."role", u."locale", u."disabled", u."createdAt", u."passwordHash"
       FROM "Session" s JOIN "User" u ON u."id" = s."userId"
       WHERE s."id" = ? AND s."expiresAt" > ? AND u."disabled" = 0`,
    ),
    deleteSession: db.prepare('DELETE FROM "Session" WHERE "id" = ?'),
    deleteUserSessions: db.prepare('DELETE FROM "Session" WHERE "userId" = ?'),
    tokenByHash: db.prepare<[string], { id: string; name: string; scopes: string }>(
      'SELECT "id", "name", "scopes" FROM "ApiToken" WHERE "tokenHash" = ? AND "revokedAt" IS NULL',
    ),
    touchToken: db.prepare('UPDATE "ApiToken" SET "lastUsedAt" = ? WHERE "id" = ?'),
    insertToken: db.prepare(
      `INSERT INTO "ApiToken" ("id", "name", "tokenHash", "scopes", "createdById", "createdAt")
       VALUES (@id, @name, @tokenHash, @scopes, @createdById, @at)`,
    ),
    countTokens: db.prepare<[], { n: number }>('SELECT count(*) AS "n" FROM "ApiToken"'),
    tokens: db.prepare<
      [],
      {
        id: string;
        name: string;
        scopes: string;
        createdAt: string;
        createdBy: string | null;
        lastUsedAt: string | null;
        revokedAt: string | null;
      }
    >(
      `SELECT t."id", t."name", t."scopes", t."createdAt", u."email" AS "createdBy", t."lastUsedAt", t."revokedAt"
       FROM "ApiToken" t LEFT JOIN "User" u ON u."id" = t."createdById"
       ORDER BY t."createdAt" DESC, t."id"`,
    ),
    revokeToken: db.prepare(
      'UPDATE "ApiToken" SET "revokedAt" = ? WHERE "id" = ? AND "revokedAt" IS NULL',
    ),
    tokenExists: db.prepare<[string], { id: string }>('SELECT "id" FROM "ApiToken" WHERE "id" = ?'),
  };

  function requireUser(id: string): UserDbRow {
    const row = sql.userById.get(id);
    if (row === undefined) throw new NotFoundError(`User ${id} does not exist`);
    return row;
  }

  return {
    countUsers: () => sql.countUsers.get()?.n ?? 0,
    /** The user with this e-mail (any case), with the password hash, or null. */
    getUserByEmail(email: string) {
      const row = sql.userByEmail.get(email);
      return row === undefined
        ? null
        : { ...toUser(row), passwordHash: row.passwordHash, disabled: row.disabled === 1 };
    },
    listUsers(): UserListRow[] {
      return sql.users.all().map((row) => ({
        ...toUser(row),
        disabled: row.disabled === 1,
        createdAt: fromDbTime(row.createdAt),
      }));
    },
    createUser(
      user: {
        email: string;
        name: string;
        passwordHash: string;
        role: Role;
        language?: Language;
      },
      actorId: string | null = null,
    ): string {
      if (sql.userByEmail.get(user.email) !== undefined) {
        throw new AlreadyExistsError(`A user with the e-mail ${user.email} exists already`);
      }
      const id = randomUUID();
      db.transaction(() => {
        sql.insertUser.run({
          id,
          email: user.email,
          name: user.name,
          passwordHash: user.passwordHash,
          role: user.role,
          locale: user.language ?? 'en',
          at: at(),
        });
        audit.write(actorId, 'user.create', id, { email: user.email, role: user.role });
      })();
      return id;
    },
    /** Changes name, role or disabled. The last active admin cannot be demoted or disabled. */
    updateUser(
      id: string,
      changes: {
        name?: string | undefined;
        role?: Role | undefined;
        disabled?: boolean | undefined;
      },
      actorId: string | null,
    ): UserListRow {
      db.transaction(() => {
        const row = requireUser(id);
        const next = {
          name: changes.name ?? row.name,
          role: changes.role ?? row.role,
          disabled: changes.disabled ?? row.disabled === 1,
        };
        const wasActiveAdmin = row.role === 'admin' && row.disabled === 0;
        const staysActiveAdmin = next.role === 'admin' && !next.disabled;
        if (wasActiveAdmin && !staysActiveAdmin && sql.activeAdmins.all().length <= 1) {
          throw new PreconditionError(
            'This is the last active admin: make another user admin first',
          );
        }
        sql.updateUser.run({
          id,
          name: next.name,
          role: next.role,
          disabled: next.disabled ? 1 : 0,
        });
        if (next.disabled) sql.deleteUserSessions.run(id);
        audit.write(actorId, 'user.update', id, {
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.role !== undefined && { role: changes.role }),
          ...(changes.disabled !== undefined && { disabled: changes.disabled }),
        });
      })();
      const row = requireUser(id);
      return { ...toUser(row), disabled: row.disabled === 1, createdAt: fromDbTime(row.createdAt) };
    },
    /** Replaces the password hash; `actorId` null for a rehash on sign-in (not audited). */
    setPasswordHash(id: string, passwordHash: string, actorId: string | null): void {
      requireUser(id);
      db.transaction(() => {
        sql.setPassword.run(passwordHash, id);
        if (actorId !== null) {
          sql.deleteUserSessions.run(id);
          audit.write(actorId, 'user.reset-password', id, {});
        }
      })();
    },
    setLanguage(id: string, language: Language): void {
      sql.setLocale.run(language, id);
    },

    /** Stores a session under the SHA-256 of its cookie token. */
    createSession(token: string, userId: string, expiresAt: number): void {
      sql.insertSession.run(hashToken(token), userId, toSqliteTimestamp(new Date(expiresAt)), at());
    },
    getSessionUser(token: string): UserRow | null {
      const row = sql.sessionUser.get(hashToken(token), at());
      return row === undefined ? null : toUser(row);
    },
    deleteSession(token: string): void {
      sql.deleteSession.run(hashToken(token));
    },

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
      db.transaction(() => {
        sql.insertToken.run({
          id,
          name,
          tokenHash: hashToken(token),
          scopes: scopes.join(' '),
          createdById,
          at: at(),
        });
        audit.write(createdById, 'token.create', id, { name, scopes });
      })();
      return id;
    },
    countTokens: () => sql.countTokens.get()?.n ?? 0,
    listTokens(): ApiTokenRow[] {
      return sql.tokens.all().map((row) => ({
        id: row.id,
        name: row.name,
        scopes: row.scopes.split(/\s+/).filter(isApiScope),
        createdAt: fromDbTime(row.createdAt),
        createdBy: row.createdBy,
        lastUsedAt: fromDbTime(row.lastUsedAt),
        revokedAt: fromDbTime(row.revokedAt),
      }));
    },
    /** Revokes a token (idempotent); the token stops working at once. */
    revokeToken(id: string, actorId: string | null): void {
      if (sql.tokenExists.get(id) === undefined) {
        throw new NotFoundError(`API token ${id} does not exist`);
      }
      db.transaction(() => {
        if (sql.revokeToken.run(at(), id).changes > 0) {
          audit.write(actorId, 'token.revoke', id, {});
        }
      })();
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
