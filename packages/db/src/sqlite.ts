import Database from 'better-sqlite3';
import { applyMigrations, type ApplyMigrationsOptions } from './migrations';

/** A better-sqlite3 connection, as returned by {@link openSqlite}. */
export type SqliteDatabase = Database.Database;

/** How long a writer waits for another connection's lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Connection settings every Switchyard SQLite connection runs with (ARCHITECTURE §6): WAL, and
 * `synchronous=FULL` so an acknowledged ticket survives a power cut, not only a crash.
 * `journal_mode` is stored in the file; the others last only as long as the connection.
 */
export const SQLITE_PRAGMAS = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = FULL;
  PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS};
  PRAGMA foreign_keys = ON;
`;

function isInMemory(path: string): boolean {
  return path === '' || path === ':memory:';
}

/**
 * Opens (creating if needed) a SQLite database file with {@link SQLITE_PRAGMAS} and applies pending
 * migrations. Throws a `MigrationError` (and closes the connection) if the migrations on disk
 * do not match those recorded in the file.
 *
 * @example
 * const db = openSqlite('data/switchyard.db');
 * db.prepare('SELECT count(*) AS n FROM "Ticket"').get();
 */
export function openSqlite(path: string, options: ApplyMigrationsOptions = {}): SqliteDatabase {
  const db = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    db.exec(SQLITE_PRAGMAS);
    const journalMode: unknown = db.pragma('journal_mode', { simple: true });
    if (journalMode !== 'wal' && !isInMemory(path)) {
      throw new Error(
        `SQLite refused journal_mode=WAL for ${path} (got ${String(journalMode)}); ` +
          'put the database on a local file system.',
      );
    }
    applyMigrations(db, options);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Formats a time exactly as the Prisma adapter stores DateTime columns (ISO 8601, `+00:00`), so
 * rows written with raw SQL sort and compare correctly against rows written through Prisma.
 * Never rely on a column's `DEFAULT CURRENT_TIMESTAMP` from raw SQL: it uses another format.
 *
 * @example
 * toSqliteTimestamp(new Date(Date.UTC(2023, 9, 28, 9, 30))); // '2023-10-28T09:30:00.000+00:00'
 */
export function toSqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
