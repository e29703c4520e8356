import type { SqliteDatabase } from '@switchyard/db';
import { fromDbTime } from '../sql/accounts';

/** Derived labels shown beside the customer's own tags. */
export const CUSTOMER_SIGNALS = ['vip', 'complaint-risk', 'repeat-contact'] as const;
export type CustomerSignal = (typeof CUSTOMER_SIGNALS)[number];

export interface CustomerPanel {
  readonly email: string;
  readonly name: string;
  readonly tier: string;
  /** Tags of the customer's tickets (classification and intake tags), most frequent first. */
  readonly tags: readonly string[];
  /**
   * `vip`: tier vip; `complaint-risk`: a CSAT of 2 or less, or a reopened ticket, in the last
   * 90 days; `repeat-contact`: 3 or more tickets in the last 7 days.
   */
  readonly signals: readonly CustomerSignal[];
  readonly totalTickets: number;
  readonly openTickets: number;
  /** Newest first, at most 20. */
  readonly tickets: readonly {
    readonly number: string;
    readonly subject: string;
    readonly status: string;
    readonly priority: string;
    readonly channel: string;
    readonly createdAt: string;
    readonly csatScore: number | null;
  }[];
  /** Every survey answer on the customer's tickets, newest first. */
  readonly csatHistory: readonly {
    readonly number: string;
    readonly score: number;
    readonly resolved: boolean;
    readonly comment: string | null;
    readonly at: string;
  }[];
  readonly csatAverage: number | null;
}

interface Row {
  id: string;
  number: string;
  status: string;
  priority: string;
  channel: string;
  customerName: string | null;
  customerTier: string | null;
  csatScore: number | null;
  reopenCount: number;
  data: string;
  createdAt: string;
}

const OPEN = new Set(['new', 'open', 'pending', 'escalated']);
const DAY = 86_400_000;

/** The customer panel of the ticket page: everything known about one customer e-mail. */
export function createCustomers(db: SqliteDatabase) {
  const sql = {
    tickets: db.prepare<[string], Row>(
      `SELECT "id", "number", "status", "priority", "channel", "customerName", "customerTier",
              "csatScore", "reopenCount", "data", "createdAt"
       FROM "Ticket" WHERE "customerEmail" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 200`,
    ),
    answers: db.prepare<[string], { ticketId: string; payload: string; createdAt: string }>(
      `SELECT "ticketId", "payload", "createdAt" FROM "TicketEvent"
       WHERE "ticketId" = ? AND "type" = 'SURVEY.ANSWERED' ORDER BY "seq"`,
    ),
  };

  return {
    /** Null when no ticket has this customer e-mail. */
    get(email: string, now: number): CustomerPanel | null {
      const rows = sql.tickets.all(email);
      const latest = rows[0];
      if (latest === undefined) return null;
      const tagCounts = new Map<string, number>();
      const tickets = rows.map((row) => {
        const data = JSON.parse(row.data) as { subject?: string; tags?: string[] };
        for (const tag of data.tags ?? []) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
        return {
          number: row.number,
          subject: data.subject ?? '',
          status: row.status,
          priority: row.priority,
          channel: row.channel,
          createdAt: fromDbTime(row.createdAt),
          csatScore: row.csatScore,
        };
      });
      const numbers = new Map(rows.map((row) => [row.id, row.number]));
      const csatHistory = rows
        .flatMap((row) =>
          sql.answers.all(row.id).map((answer) => {
            const event = JSON.parse(answer.payload) as {
              score: number;
              resolved: boolean;
              comment?: string;
            };
            return {
              number: numbers.get(answer.ticketId) ?? '',
              score: event.score,
              resolved: event.resolved,
              comment: event.comment ?? null,
              at: fromDbTime(answer.createdAt),
            };
          }),
        )
        .sort((a, b) => b.at.localeCompare(a.at));
      const recent = (iso: string, days: number) => now - Date.parse(iso) <= days * DAY;
      const signals: CustomerSignal[] = [];
      if (latest.customerTier === 'vip') signals.push('vip');
      if (
        csatHistory.some((answer) => answer.score <= 2 && recent(answer.at, 90)) ||
        rows.some((row) => row.reopenCount > 0 && recent(fromDbTime(row.createdAt), 90))
      ) {
        signals.push('complaint-risk');
      }
      if (tickets.filter((ticket) => recent(ticket.createdAt, 7)).length >= 3) {
        signals.push('repeat-contact');
      }
      const scores = csatHistory.map((answer) => answer.score);
      return {
        email,
        name: latest.customerName ?? '',
        tier: latest.customerTier ?? 'standard',
        tags: [...tagCounts]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([tag]) => tag),
        signals,
        totalTickets: rows.length,
        openTickets: rows.filter((row) => OPEN.has(row.status)).length,
        tickets: tickets.slice(0, 20),
        csatHistory,
        csatAverage:
          scores.length === 0
            ? null
            : Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 100) /
              100,
      };
    },
  };
}

export type Customers = ReturnType<typeof createCustomers>;
