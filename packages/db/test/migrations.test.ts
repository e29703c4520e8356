import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import {
  applyMigrations,
  getMigrationChecksum,
  MigrationError,
  MIGRATIONS_TABLE,
  openSqlite,
  readMigrations,
  SQLITE_MIGRATIONS_DIR,
} from '../src/index';
import { createTempDir } from './support/temp';

/** A temp folder holding a copy of the shipped migrations, and a database path beside it. */
function createWorkspace() {
  const dir = createTempDir();
  const migrationsDir = join(dir.path, 'migrations');
  cpSync(SQLITE_MIGRATIONS_DIR, migrationsDir, { recursive: true });
  return {
    migrationsDir,
    dbPath: join(dir.path, 'switchyard.db'),
    migrate(db: Database.Database) {
      return applyMigrations(db, { migrations: readMigrations(migrationsDir) });
    },
    [Symbol.dispose]() {
      dir[Symbol.dispose]();
    },
  };
}

function catchMigrationError(run: () => unknown): MigrationError {
  try {
    run();
  } catch (error) {
    if (error instanceof MigrationError) return error;
    throw error;
  }
  throw new Error('expected a MigrationError');
}

const shipped = readdirSync(SQLITE_MIGRATIONS_DIR)
  .filter((name) => name.endsWith('.sql'))
  .sort();

describe('applyMigrations', () => {
  test('applies every shipped migration to an empty database, in order, and records it', () => {
    using ws = createWorkspace();
    const db = new Database(ws.dbPath);
    try {
      expect(ws.migrate(db)).toEqual(shipped);
      const ledger = db
        .prepare<[], { name: string; checksum: string; appliedAt: string }>(
          `SELECT * FROM "${MIGRATIONS_TABLE}" ORDER BY name`,
        )
        .all();
      expect(ledger.map((row) => row.name)).toEqual(shipped);
      for (const row of ledger) {
        const sql = readFileSync(join(ws.migrationsDir, row.name), 'utf8');
        expect(row.checksum).toBe(getMigrationChecksum(sql));
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(Number.isNaN(Date.parse(row.appliedAt))).toBe(false);
      }
    } finally {
      db.close();
    }
  });

  test('is idempotent: a second run (or a second process) applies nothing', () => {
    using ws = createWorkspace();
    const first = new Database(ws.dbPath);
    const second = new Database(ws.dbPath);
    try {
      expect(ws.migrate(first)).toEqual(shipped);
      expect(ws.migrate(first)).toEqual([]);
      expect(ws.migrate(second)).toEqual([]);
      const count = second.prepare(`SELECT count(*) FROM "${MIGRATIONS_TABLE}"`).pluck().get();
      expect(count).toBe(shipped.length);
    } finally {
      first.close();
      second.close();
    }
  });

  test('applies a new migration after the ones already applied', () => {
    using ws = createWorkspace();
    const db = new Database(ws.dbPath);
    try {
      ws.migrate(db);
      writeFileSync(
        join(ws.migrationsDir, '9000_add_probe.sql'),
        'CREATE TABLE "Probe" ("id" TEXT);\n',
      );
      expect(ws.migrate(db)).toEqual(['9000_add_probe.sql']);
      expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'Probe'`).pluck().get()).toBe(
        'Probe',
      );
    } finally {
      db.close();
    }
  });

  test('refuses to start when an applied migration was edited, naming the file', () => {
    using ws = createWorkspace();
    const first = shipped[0] ?? '';
    const db = openSqlite(ws.dbPath, { migrations: readMigrations(ws.migrationsDir) });
    db.close();
    const path = join(ws.migrationsDir, first);
    writeFileSync(path, readFileSync(path, 'utf8') + '\n-- an innocent-looking edit\n');
    const error = catchMigrationError(() =>
      openSqlite(ws.dbPath, { migrations: readMigrations(ws.migrationsDir) }),
    );
    expect(error.code).toBe('edited');
    expect(error.file).toBe(first);
    expect(error.message).toContain(first);
    expect(error.message).toMatch(/new migration/);
  });

  test('does not count CRLF line endings (a Windows checkout) as an edit', () => {
    using ws = createWorkspace();
    const db = new Database(ws.dbPath);
    try {
      ws.migrate(db);
      for (const name of shipped) {
        const path = join(ws.migrationsDir, name);
        writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
      }
      expect(ws.migrate(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('refuses to start when an applied migration’s file is gone', () => {
    using ws = createWorkspace();
    const db = new Database(ws.dbPath);
    try {
      writeFileSync(
        join(ws.migrationsDir, '9000_add_probe.sql'),
        'CREATE TABLE "Probe" ("id" TEXT);\n',
      );
      ws.migrate(db);
      rmSync(join(ws.migrationsDir, '9000_add_probe.sql'));
      const error = catchMigrationError(() => ws.migrate(db));
      expect(error.code).toBe('missing');
      expect(error.file).toBe('9000_add_probe.sql');
    } finally {
      db.close();
    }
  });

  test('refuses a new migration that sorts before one already applied', () => {
    using ws = createWorkspace();
    const db = new Database(ws.dbPath);
    try {
      writeFileSync(
        join(ws.migrationsDir, '9000_later.sql'),
        'CREATE TABLE "Later" ("id" TEXT);\n',
      );
      ws.migrate(db);
      writeFileSync(
        join(ws.migrationsDir, '8000_sooner.sql'),
        'CREATE TABLE "Sooner" ("id" TEXT);\n',
      );
      const error = catchMigrationError(() => ws.migrate(db));
      expect(error.code).toBe('out-of-order');
      expect(error.file).toBe('8000_sooner.sql');
    } finally {
      db.close();
    }
  });

  test('rolls back a failing migration whole and names it', () => {
    using ws = createWorkspace();
    const db = new Database(ws.dbPath);
    try {
      ws.migrate(db);
      writeFileSync(
        join(ws.migrationsDir, '9000_broken.sql'),
        'CREATE TABLE "Half" ("id" TEXT);\nINSERT INTO "NoSuchTable" VALUES (1);\n',
      );
      const error = catchMigrationError(() => ws.migrate(db));
      expect(error.code).toBe('failed');
      expect(error.file).toBe('9000_broken.sql');
      expect(error.message).toMatch(/9000_broken\.sql failed and was rolled back: no such table/);
      expect(
        db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'Half'`).get(),
      ).toBeUndefined();
      const recorded = db
        .prepare(`SELECT name FROM "${MIGRATIONS_TABLE}" WHERE name = '9000_broken.sql'`)
        .get();
      expect(recorded).toBeUndefined();
    } finally {
      db.close();
    }
  });

  test('rolls back a migration that would leave foreign keys dangling', () => {
    using ws = createWorkspace();
    const db = openSqlite(ws.dbPath, { migrations: readMigrations(ws.migrationsDir) });
    try {
      writeFileSync(
        join(ws.migrationsDir, '9000_dangling.sql'),
        'PRAGMA defer_foreign_keys = ON;\n' +
          `INSERT INTO "TicketEvent" ("ticketId", "seq", "type", "payload") VALUES ('nope', 1, 'x', '{}');\n`,
      );
      const error = catchMigrationError(() => ws.migrate(db));
      expect(error.code).toBe('failed');
      expect(error.message).toMatch(/9000_dangling\.sql .*1 foreign key violation/);
      expect(db.prepare('SELECT count(*) FROM "TicketEvent"').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  test.for([
    ['init.sql', 'bad-file-name'],
    ['0001_Init.sql', 'bad-file-name'],
    ['0001_again.sql', 'duplicate-number'],
  ] as const)('refuses the migration file name %s (%s)', ([name, code]) => {
    using ws = createWorkspace();
    writeFileSync(join(ws.migrationsDir, name), 'SELECT 1;\n');
    const error = catchMigrationError(() => readMigrations(ws.migrationsDir));
    expect(error.code).toBe(code);
    expect(error.message).toContain(name);
  });

  test('ignores files that are not .sql (a README beside the migrations)', () => {
    using ws = createWorkspace();
    writeFileSync(join(ws.migrationsDir, 'README.md'), '# notes\n');
    expect(readMigrations(ws.migrationsDir).map((migration) => migration.name)).toEqual(shipped);
  });
});
