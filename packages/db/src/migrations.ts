import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

/** The folder of hand-written SQLite migrations shipped with this package. */
export const SQLITE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Table in which the runner records applied migrations. Not part of the Prisma schema. */
export const MIGRATIONS_TABLE = '_switchyard_migrations';

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** One migration file: its name (e.g. `0001_init.sql`), its SQL and its checksum. */
export interface Migration {
  readonly name: string;
  readonly sql: string;
  /** SHA-256 (hex) of the file's text with line endings normalised to `\n`. */
  readonly checksum: string;
}

/** A migration recorded in {@link MIGRATIONS_TABLE}. */
export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: string;
}

/** Why the runner refused to start or could not apply a migration. */
export type MigrationErrorCode =
  'bad-file-name' | 'duplicate-number' | 'edited' | 'missing' | 'out-of-order' | 'failed';

/** Thrown when migrations cannot be applied safely. `file` names the migration at fault. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: MigrationErrorCode;
  readonly file: string;

  constructor(code: MigrationErrorCode, file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.file = file;
  }
}

/** Checksum the runner records and compares: SHA-256 of the text with `\r\n` read as `\n`. */
export function getMigrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Reads `NNNN_name.sql` files from `dir`, sorted by name. Other `.sql` names and two files with
 * the same number are refused, so the order of migrations can never be ambiguous.
 *
 * @example
 * const migrations = readMigrations(SQLITE_MIGRATIONS_DIR);
 */
export function readMigrations(dir: string = SQLITE_MIGRATIONS_DIR): Migration[] {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const seenNumbers = new Map<string, string>();
  return names.map((name) => {
    const match = MIGRATION_FILE.exec(name);
    if (!match?.[1]) {
      throw new MigrationError(
        'bad-file-name',
        name,
        `Migration file ${name} is not named NNNN_lower_snake_case.sql; rename it.`,
      );
    }
    const earlier = seenNumbers.get(match[1]);
    if (earlier !== undefined) {
      throw new MigrationError(
        'duplicate-number',
        name,
        `Migration files ${earlier} and ${name} share the number ${match[1]}; renumber the unapplied one.`,
      );
    }
    seenNumbers.set(match[1], name);
    const sql = readFileSync(join(dir, name), 'utf8');
    return { name, sql, checksum: getMigrationChecksum(sql) };
  });
}

/**
 * Decides which migrations still have to run, given those already recorded. Pure: throws a
 * {@link MigrationError} instead of guessing when an applied file was edited or deleted, or when a
 * new file sorts before one that is already applied.
 */
export function getPendingMigrations(
  available: readonly Migration[],
  applied: readonly AppliedMigration[],
): Migration[] {
  const byName = new Map(available.map((migration) => [migration.name, migration]));
  for (const record of applied) {
    const file = byName.get(record.name);
    if (!file) {
      throw new MigrationError(
        'missing',
        record.name,
        `Migration ${record.name} was applied to this database but its file is missing; ` +
          'restore it (this database may be newer than this code).',
      );
    }
    if (file.checksum !== record.checksum) {
      throw new MigrationError(
        'edited',
        record.name,
        `Migration ${record.name} was edited after it was applied (checksum ${record.checksum} ` +
          `recorded, ${file.checksum} on disk); restore the file and put the change in a new migration.`,
      );
    }
  }
  const appliedNames = new Set(applied.map((record) => record.name));
  const lastApplied = applied
    .map((record) => record.name)
    .sort()
    .at(-1);
  const pending = available.filter((migration) => !appliedNames.has(migration.name));
  for (const migration of pending) {
    if (lastApplied !== undefined && migration.name < lastApplied) {
      throw new MigrationError(
        'out-of-order',
        migration.name,
        `Migration ${migration.name} is not applied but sorts before the applied ${lastApplied}; ` +
          'renumber it to come last.',
      );
    }
  }
  return pending;
}

/** Options for {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  /** Migrations to apply; defaults to the files in {@link SQLITE_MIGRATIONS_DIR}. */
  readonly migrations?: readonly Migration[];
}

/**
 * Applies pending SQLite migrations in order, each in its own `BEGIN IMMEDIATE` transaction that
 * also records it in {@link MIGRATIONS_TABLE}. Refuses to start (throws {@link MigrationError})
 * if an applied migration's file was edited or removed. Safe to call on every start and from
 * several processes at once: a migration another process applied meanwhile is skipped.
 *
 * @returns names of the migrations this call applied (empty when up to date)
 * @example
 * const db = new Database('data/switchyard.db');
 * applyMigrations(db); // ['0001_init.sql'] the first time, [] afterwards
 */
export function applyMigrations(
  db: BetterSqlite3.Database,
  options: ApplyMigrationsOptions = {},
): string[] {
  const available = options.migrations ?? readMigrations();
  db.exec(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
       "name" TEXT NOT NULL PRIMARY KEY,
       "checksum" TEXT NOT NULL,
       "appliedAt" TEXT NOT NULL
     )`,
  );
  const readApplied = db.prepare<[], AppliedMigration>(
    `SELECT "name", "checksum", "appliedAt" FROM "${MIGRATIONS_TABLE}" ORDER BY "name"`,
  );
  const isApplied = db.prepare<[string], { name: string }>(
    `SELECT "name" FROM "${MIGRATIONS_TABLE}" WHERE "name" = ?`,
  );
  const record = db.prepare<[string, string, string]>(
    `INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`,
  );
  const checkForeignKeys = db.prepare('PRAGMA foreign_key_check');

  const pending = getPendingMigrations(available, readApplied.all());
  const appliedNow: string[] = [];
  for (const migration of pending) {
    const apply = db.transaction(() => {
      // Another process may have applied it since we planned; the write lock is held now.
      if (isApplied.get(migration.name)) return false;
      db.exec(migration.sql);
      const violations = checkForeignKeys.all();
      if (violations.length > 0) {
        throw new Error(`leaves ${violations.length} foreign key violation(s)`);
      }
      record.run(migration.name, migration.checksum, new Date().toISOString());
      return true;
    });
    try {
      if (apply.immediate()) appliedNow.push(migration.name);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        'failed',
        migration.name,
        `Migration ${migration.name} failed and was rolled back: ${reason}`,
        { cause: error },
      );
    }
  }
  return appliedNow;
}
