/**
 * Replay of production in the panel: the server replays in batches (`versions.replay` with
 * `offset`/`batch` and a fixed `asOf`); these pure helpers plan the batches and add them up.
 */

export const REPLAY_FIELDS = ['path', 'priority', 'team', 'slaBreached', 'status'] as const;
export type ReplayField = (typeof REPLAY_FIELDS)[number];

/** Tickets per `versions.replay` call: small enough for a progress bar that moves. */
export const REPLAY_BATCH = 50;
export const MAX_REPLAY = 1000;

/** What the panel needs of one replayed ticket (a `versions.replay` ticket result). */
export interface ReplayedTicket {
  readonly number: string;
  readonly differences: readonly { readonly field: ReplayField }[];
  readonly routedDifferently: boolean;
}

export interface ReplayTotals {
  readonly tickets: number;
  /** Tickets with at least one difference. */
  readonly changed: number;
  /** Tickets whose path or team differs. */
  readonly routedDifferently: number;
  readonly byField: Readonly<Record<ReplayField, number>>;
}

/** Totals over every ticket replayed so far (the batches' own totals are per batch). */
export function getReplayTotals(tickets: readonly ReplayedTicket[]): ReplayTotals {
  const byField = Object.fromEntries(
    REPLAY_FIELDS.map((field) => [
      field,
      tickets.filter((ticket) => ticket.differences.some((d) => d.field === field)).length,
    ]),
  ) as Record<ReplayField, number>;
  return {
    tickets: tickets.length,
    changed: tickets.filter((ticket) => ticket.differences.length > 0).length,
    routedDifferently: tickets.filter((ticket) => ticket.routedDifferently).length,
    byField,
  };
}

/** Percent done (0–100) after `done` of `total` tickets; an empty replay is complete. */
export function getReplayPercent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.min(100, Math.round((done / total) * 100));
}

/** A value of a difference as the table shows it: paths as `a → b`, booleans as yes/no. */
export function formatReplayValue(value: unknown, yes: string, no: string): string {
  if (Array.isArray(value)) return value.map(String).join(' → ') || '∅';
  if (typeof value === 'boolean') return value ? yes : no;
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : JSON.stringify(value);
}
