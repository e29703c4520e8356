import type { JsonValue } from '@switchyard/compiler';

/** One guard evaluated while handling an event: what was asked, with which inputs, and the answer. */
export interface GuardTrace {
  readonly guard: 'cel' | 'timerIs';
  /** The CEL expression, or the timer key. */
  readonly expression: string;
  /** The values the expression read, by path (e.g. `ticket.category`). */
  readonly inputs: Readonly<Record<string, JsonValue>>;
  readonly result: boolean;
  readonly error?: string;
}

export interface TimerTrace {
  readonly key: string;
  readonly generation: number;
  readonly dueAt?: string;
}

/** Explain-why for one processed event. */
export interface TraceStep {
  readonly event: string;
  readonly at: string;
  /** Main-path nodes before and after the event. */
  readonly fromNodes: readonly string[];
  readonly toNodes: readonly string[];
  /** Every node entered while handling the event, in order. */
  readonly entered: readonly string[];
  /** Edges taken, in order. */
  readonly edges: readonly string[];
  readonly guards: readonly GuardTrace[];
  readonly effects: readonly {
    readonly kind: string;
    readonly idempotencyKey: string;
    readonly summary: string;
  }[];
  readonly timers: {
    readonly scheduled: readonly TimerTrace[];
    readonly cancelled: readonly TimerTrace[];
    readonly fired: readonly TimerTrace[];
  };
  /** Human-readable notes from actions (e.g. "assigned to Li Lei (least-loaded, 2/8 open)"). */
  readonly notes: readonly string[];
}
