// The hand-written SQL migrations must build exactly the database `prisma migrate` would build
// for SQLite from prisma/schema.prisma. The expectation is derived from the schema (Prisma's
// DMMF), so editing schema.prisma without adding a migration fails here.
import { describe, expect, test } from 'vitest';
import { MIGRATIONS_TABLE, openSqlite } from '../src/index';
import { loadDatamodel } from './support/dmmf';
import { getActualTables, getExpectedTables } from './support/schema-shape';

describe('migrations/*.sql applied to an empty database', () => {
  const expected = getExpectedTables(loadDatamodel());
  const db = openSqlite(':memory:');
  const actual = getActualTables(db, [MIGRATIONS_TABLE]);
  db.close();

  test('creates one table per model and nothing else', () => {
    expect(actual.map((table) => table.name)).toEqual(expected.map((table) => table.name));
  });

  test.for(expected.map((table) => [table.name, table] as const))(
    'table %s has the columns, keys, indexes and foreign keys the schema declares',
    ([name, table]) => {
      expect(actual.find((candidate) => candidate.name === name)).toEqual(table);
    },
  );

  test('creates no views or triggers (Prisma creates none)', () => {
    const reopened = openSqlite(':memory:');
    const others = reopened
      .prepare<[], { type: string; name: string }>(
        "SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger')",
      )
      .all();
    reopened.close();
    expect(others).toEqual([]);
  });

  test('keeps every index and constraint name within PostgreSQL’s 63-byte limit', () => {
    const names = expected.flatMap((table) => [
      ...table.indexes.map((index) => index.name),
      ...table.foreignKeys.map((key) => key.name),
    ]);
    expect(names.filter((name) => Buffer.byteLength(name) > 63)).toEqual([]);
  });
});
