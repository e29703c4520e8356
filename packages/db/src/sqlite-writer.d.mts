import type { Database } from 'better-sqlite3';

/** Ticket columns of one step, plus the version it expects (`null` creates the ticket). */
export interface TicketParams {
  readonly id: string;
  readonly number: string;
  readonly flowVersionId: string;
  readonly status: string;
  readonly priority: string;
  readonly channel: string;
  readonly category: string | null;
  readonly subcategory: string | null;
  readonly team: string | null;
  readonly assignee: string | null;
  readonly customerEmail: string | null;
  readonly customerName: string | null;
  readonly customerTier: string;
  readonly escalationLevel: number;
  readonly slaResponseDueAt: string | null;
  readonly slaResolutionDueAt: string | null;
  readonly slaBreached: 0 | 1;
  readonly csatScore: number | null;
  readonly data: string;
  readonly snapshot: string;
  readonly version: number;
  readonly currentNode: string | null;
  readonly currentNodes: string;
  readonly done: 0 | 1;
  readonly failedEffect: string | null;
  readonly error: string | null;
  readonly idempotencyKey: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expectedVersion: number | null;
  /** The step's event type and time: the analytics columns (firstResponseAt, …) follow them. */
  readonly eventType: string;
  readonly eventAt: string;
  /** ms from the ticket's creation to the event. */
  readonly eventAgeMs: number;
}

/** Everything one step writes, as column values (JSON already serialised, times in DB format). */
export interface PreparedStep {
  readonly ticket: TicketParams;
  readonly event: {
    readonly ticketId: string;
    readonly seq: number;
    readonly type: string;
    readonly payload: string;
    readonly actor: string | null;
    readonly trace: string;
    readonly decisions: string;
    readonly at: string;
  };
  readonly fired: {
    readonly ticketId: string;
    readonly key: string;
    readonly generation: number;
    readonly at: string;
  } | null;
  readonly cancel: readonly {
    readonly ticketId: string;
    readonly key: string;
    readonly generation: number;
  }[];
  readonly schedule: readonly {
    readonly id: string;
    readonly ticketId: string;
    readonly key: string;
    readonly generation: number;
    readonly dueAt: string;
    readonly status: string;
    readonly at: string;
  }[];
  readonly effects: readonly {
    readonly id: string;
    readonly ticketId: string;
    readonly idempotencyKey: string;
    readonly kind: string;
    readonly payload: string;
    readonly at: string;
  }[];
  readonly delivered: { readonly id: string; readonly at: string } | null;
  readonly agentLoad: readonly {
    readonly agentId: string;
    readonly delta: number;
    readonly at: string;
  }[];
}

/** One queued write. Plain data: it crosses to the writer thread by structured clone. */
export type Write =
  | { readonly kind: 'step'; readonly step: PreparedStep }
  | { readonly kind: 'sequence'; readonly day: string }
  | { readonly kind: 'delivered'; readonly id: string; readonly at: string }
  | {
      readonly kind: 'failed';
      readonly id: string;
      readonly error: string;
      readonly nextAttemptAt: string;
      readonly dead: boolean;
    }
  | { readonly kind: 'retry'; readonly id: string; readonly now: string }
  | { readonly kind: 'barrier' };

/** What became of one write of a committed batch. */
export type WriteOutcome =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly refusal: {
        readonly kind: 'conflict' | 'duplicate';
        readonly message: string;
        readonly ticketNumber?: string;
      };
    }
  | {
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly code?: string };
    };

export interface Writer {
  /** One transaction, a SAVEPOINT per write. Throws only if nothing was committed. */
  runBatch(writes: readonly Write[]): WriteOutcome[];
}

export function createWriter(db: Database): Writer;
