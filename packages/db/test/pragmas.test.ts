import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createPrismaClient, openSqlite } from '../src/index';
import { createTempDir } from './support/temp';

// SQLite's numbering of PRAGMA synchronous: OFF=0, NORMAL=1, FULL=2, EXTRA=3.
const SYNCHRONOUS_FULL = 2;

describe('connection settings (ARCHITECTURE §6: WAL, synchronous=FULL)', () => {
  test('openSqlite sets WAL, synchronous=FULL, busy_timeout=5000 and foreign_keys=ON', () => {
    using dir = createTempDir();
    const db = openSqlite(join(dir.path, 'switchyard.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  test('the Prisma client’s own connection runs with the same settings', async () => {
    using dir = createTempDir();
    const prisma = createPrismaClient(join(dir.path, 'switchyard.db'));
    try {
      const read = async (pragma: string): Promise<unknown> => {
        const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${pragma}`);
        return Object.values(rows[0] ?? {})[0];
      };
      // The adapter reads integers as BigInt.
      expect(await read('journal_mode')).toBe('wal');
      expect(await read('synchronous')).toBe(BigInt(SYNCHRONOUS_FULL));
      expect(await read('busy_timeout')).toBe(5000n);
      expect(await read('foreign_keys')).toBe(1n);
    } finally {
      await prisma.$disconnect();
    }
  });

  test('createPrismaClient refuses an in-memory database', () => {
    expect(() => createPrismaClient(':memory:')).toThrow(/needs a database file/);
  });
});
