import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client';
import type { ApplyMigrationsOptions } from './migrations';
import { openSqlite, SQLITE_BUSY_TIMEOUT_MS, SQLITE_PRAGMAS } from './sqlite';

/**
 * Prisma's better-sqlite3 adapter opens its own connection and takes no pragmas, so this
 * subclass sets {@link SQLITE_PRAGMAS} on every connection it hands to the client.
 */
class SwitchyardSqliteAdapter extends PrismaBetterSqlite3 {
  override async connect(): ReturnType<PrismaBetterSqlite3['connect']> {
    const connection = await super.connect();
    await connection.executeScript(SQLITE_PRAGMAS);
    return connection;
  }
}

/**
 * Returns a Prisma client on the SQLite file at `path` (better-sqlite3 driver adapter, same
 * pragmas as {@link openSqlite}), after applying pending migrations to it. DateTime values are
 * stored as ISO 8601 text (`2023-10-28T09:30:00.000Z`); raw SQL must write them the same way.
 * Call `$disconnect()` when done.
 *
 * @example
 * const prisma = createPrismaClient('data/switchyard.db');
 * const open = await prisma.ticket.count({ where: { status: 'open' } });
 */
export function createPrismaClient(
  path: string,
  options: ApplyMigrationsOptions = {},
): PrismaClient {
  if (path === '' || path === ':memory:') {
    throw new Error(
      'createPrismaClient needs a database file: an in-memory database would be a different, ' +
        'unmigrated one for each connection. Use a temporary file instead.',
    );
  }
  openSqlite(path, options).close();
  const adapter = new SwitchyardSqliteAdapter(
    { url: path, timeout: SQLITE_BUSY_TIMEOUT_MS },
    { timestampFormat: 'iso8601' },
  );
  return new PrismaClient({ adapter });
}
