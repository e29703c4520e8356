// What the SQLite store adds to the Store contract: group commit (one transaction for the writes
// that arrive together, savepoints so a refused write fails alone, the next batch filling while
// one commits) and durability (a resolved write is visible to any other connection).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { ConflictError } from '@switchyard/engine';
import {
  buildCreationStep,
  buildEmailEffect,
  buildNextStep,
  CONFORMANCE_AGENTS,
  CONFORMANCE_FLOW_VERSION,
} from '../../engine/test/store-conformance';
import { createSqliteStore, openSqlite } from '../src/index';
import type { SqliteStoreOptions } from '../src/index';
import { createTempDir } from './support/temp';

function createFixture(options: SqliteStoreOptions = {}) {
  const dir = createTempDir();
  const path = join(dir.path, 'switchyard.db');
  const db = openSqlite(path);
  const store = createSqliteStore(db, options);
  store.addFlowVersion(CONFORMANCE_FLOW_VERSION);
  store.saveAgents(CONFORMANCE_AGENTS);
  return {
    path,
    db,
    store,
    async [Symbol.asyncDispose]() {
      await store.close();
      db.close();
      dir[Symbol.dispose]();
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe.for(['thread', 'inline'] as const)('SQLite store group commit (%s writer)', (writer) => {
  test('writes issued together share one transaction; a refused one fails alone', async () => {
    await using fixture = createFixture({ writer });
    const { store } = fixture;
    const ids = Array.from({ length: 20 }, (_, i) => String(i + 1));
    await Promise.all(ids.map((id) => store.commit(buildCreationStep(id))));
    const before = store.getStats();
    const records = await Promise.all(ids.map((id) => store.getTicketById(id)));
    const steps = records.map((record, i) => {
      if (record === null) throw new Error('missing ticket');
      return i === 7
        ? buildNextStep(record, { expectedVersion: 5 })
        : buildNextStep(record, { effects: [buildEmailEffect(`mail-${record.id}`)] });
    });
    const results = await Promise.allSettled(steps.map((step) => store.commit(step)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[7]).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
    const after = store.getStats();
    expect(after.transactions - before.transactions).toBe(1);
    expect(after.writes - before.writes).toBe(20);
    expect(after.refused - before.refused).toBe(1);
  });

  test('writes that arrive while a batch commits go out together in the next one', async () => {
    await using fixture = createFixture({ writer });
    const { store } = fixture;
    const first = store.nextTicketSequence('20260302');
    // The store's flush runs in this turn's check phase, before this continuation.
    await nextTurn();
    const more = Array.from({ length: 10 }, () => store.nextTicketSequence('20260302'));
    expect(await Promise.all([first, ...more])).toEqual(
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
    expect(store.getStats()).toMatchObject({ transactions: 2, writes: 11 });
  });

  test('a resolved commit is visible to another connection at once (committed, not pending)', async () => {
    await using fixture = createFixture({ writer });
    const other = new Database(fixture.path, { readonly: true });
    try {
      const step = buildCreationStep('1', { effects: [buildEmailEffect('m1')] });
      await fixture.store.commit(step);
      const row = other
        .prepare<[string], { version: number }>('SELECT "version" FROM "Ticket" WHERE "id" = ?')
        .get('1');
      expect(row?.version).toBe(1);
      expect(
        other.prepare('SELECT count(*) AS n FROM "OutboxEffect" WHERE "ticketId" = ?').get('1'),
      ).toEqual({ n: 1 });
    } finally {
      other.close();
    }
  });

  test('a database error fails only its own write and keeps its SQLite code', async () => {
    await using fixture = createFixture({ writer });
    const { store } = fixture;
    const good = buildCreationStep('1');
    const orphan = buildCreationStep('2');
    const broken = { ...orphan, ticket: { ...orphan.ticket, flowVersionId: 'no-such-version' } };
    const results = await Promise.allSettled([store.commit(good), store.commit(broken)]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' },
    });
    expect(await store.getTicketById('1')).toEqual(good.ticket);
    expect(await store.getTicketById('2')).toBeNull();
  });

  test('a closed store refuses writes; reads keep working on the caller’s connection', async () => {
    await using fixture = createFixture({ writer });
    const { store } = fixture;
    await store.commit(buildCreationStep('1'));
    await store.close();
    await expect(store.nextTicketSequence('20260302')).rejects.toThrow(/closed/);
    expect((await store.getTicketById('1'))?.version).toBe(1);
  });
});

describe('two SQLite stores on one file', () => {
  test('hand out each ticket sequence number once', async () => {
    await using a = createFixture();
    const bDb = openSqlite(a.path);
    const b = createSqliteStore(bDb);
    try {
      const calls = Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a.store : b).nextTicketSequence('20260302'),
      );
      const numbers = await Promise.all(calls);
      expect([...numbers].sort((x, y) => x - y)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    } finally {
      await b.close();
      bDb.close();
    }
  });
});
