// The inbox's assignee filters read "assigneeId" (indexed) for agents and the ticket JSON for
// free-label assignees: both must find exactly the tickets whose assignee is the one asked for.
import { randomUUID } from 'node:crypto';
import { openSqlite, toSqliteTimestamp } from '@switchyard/db';
import type { SqliteDatabase } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketQueries } from '../src/sql/tickets';

let db: SqliteDatabase;

function insertTicket(number: string, assignee: string | null, status = 'open'): void {
  const at = toSqliteTimestamp(new Date(Date.parse('2026-03-02T09:00:00Z')));
  db.prepare(
    `INSERT INTO "Ticket" ("id", "number", "flowVersionId", "status", "priority", "channel",
       "assigneeId", "data", "snapshot", "createdAt", "updatedAt")
     VALUES (?, ?, 'v1', ?, 'medium', 'web',
       (SELECT "id" FROM "Agent" WHERE "id" = ?), ?, '{}', ?, ?)`,
  ).run(
    randomUUID(),
    number,
    status,
    assignee,
    JSON.stringify({ subject: number, description: '', assignee, customer: {} }),
    at,
    at,
  );
}

beforeAll(() => {
  db = openSqlite(':memory:');
  const epoch = toSqliteTimestamp(new Date(0));
  db.prepare(
    `INSERT INTO "Flow" ("id", "name", "draft", "createdAt", "updatedAt") VALUES ('f', 'F', '{}', ?, ?)`,
  ).run(epoch, epoch);
  db.prepare(
    `INSERT INTO "FlowVersion" ("id", "flowId", "number", "contentHash", "document", "machine", "sourceMap", "publishedAt")
     VALUES ('v1', 'f', 1, 'h', '{}', '{}', '{}', ?)`,
  ).run(epoch);
  db.prepare(`INSERT INTO "Team" ("id", "name") VALUES ('tech', 'Tech')`).run();
  db.prepare(
    `INSERT INTO "Agent" ("id", "name", "email", "teamId", "skills", "capacity", "openTickets", "active")
     VALUES ('wang', 'Wang Fang', 'wang@example.com', 'tech', '[]', 5, 0, 1)`,
  ).run();
  insertTicket('A1', 'wang');
  insertTicket('A2', 'wang', 'resolved');
  insertTicket('L1', 'vendor-desk'); // a free label, not an agent
  insertTicket('U1', null);
  insertTicket('U2', null, 'closed');
});

afterAll(() => {
  db.close();
});

describe('tickets.list assignee filters', () => {
  const numbers = (query: Parameters<ReturnType<typeof createTicketQueries>['searchTickets']>[0]) =>
    createTicketQueries(db, () => Date.now())
      .searchTickets(query)
      .items.map((item) => item.number)
      .sort();

  it("finds an agent's tickets through the agent column", () => {
    expect(numbers({ assignee: 'wang', limit: 10 })).toEqual(['A1', 'A2']);
    expect(numbers({ assignee: 'wang', open: true, limit: 10 })).toEqual(['A1']);
  });

  it('finds tickets assigned to a label that is not an agent', () => {
    expect(numbers({ assignee: 'vendor-desk', limit: 10 })).toEqual(['L1']);
  });

  it('counts neither agent nor label assignees as unassigned', () => {
    expect(numbers({ assignee: null, limit: 10 })).toEqual(['U1', 'U2']);
    expect(numbers({ assignee: null, open: true, limit: 10 })).toEqual(['U1']);
  });
});
