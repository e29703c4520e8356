import { toSqliteTimestamp } from '@switchyard/db';
import type { SqliteDatabase } from '@switchyard/db';

export type MailDirection = 'inbound' | 'outbound';

export interface StoredMailMessage {
  readonly messageId: string;
  readonly ticketId: string;
  readonly direction: MailDirection;
  readonly createdAt: string;
}

/**
 * Mail threading on the `MailMessage` table (packages/db owns it): every inbound mail that made a
 * ticket or a reply and every outbound mail, by Message-ID (stored without angle brackets), so a
 * reply's In-Reply-To/References find their ticket.
 */
export function createMailRepository(db: SqliteDatabase, now: () => number) {
  const sql = {
    insert: db.prepare(
      `INSERT INTO "MailMessage" ("messageId", "ticketId", "direction", "createdAt")
       VALUES (?, ?, ?, ?) ON CONFLICT ("messageId") DO NOTHING`,
    ),
    byId: db.prepare<[string], StoredMailMessage>(
      'SELECT "messageId", "ticketId", "direction", "createdAt" FROM "MailMessage" WHERE "messageId" = ?',
    ),
    ofTicket: db.prepare<[string], { messageId: string }>(
      `SELECT "messageId" FROM "MailMessage" WHERE "ticketId" = ? AND "direction" = 'inbound'
       ORDER BY "createdAt", "messageId" LIMIT 20`,
    ),
  };

  return {
    /** Records a message once; a second record of the same Message-ID changes nothing. */
    record(messageId: string, ticketId: string, direction: MailDirection): void {
      sql.insert.run(messageId, ticketId, direction, toSqliteTimestamp(new Date(now())));
    },
    get(messageId: string): StoredMailMessage | null {
      return sql.byId.get(messageId) ?? null;
    },
    /** The ticket of the first of these Message-IDs that is known, or null. */
    findTicketId(messageIds: readonly string[]): string | null {
      for (const id of messageIds) {
        const row = sql.byId.get(id);
        if (row !== undefined) return row.ticketId;
      }
      return null;
    },
    /** The customer's own mails on a ticket, oldest first (for References of outbound mail). */
    listInbound(ticketId: string): string[] {
      return sql.ofTicket.all(ticketId).map((row) => row.messageId);
    },
  };
}

export type MailRepository = ReturnType<typeof createMailRepository>;
