import type { JsonValue, MachineJson, SourceMap } from '@switchyard/compiler';
import type { Ticket } from '@switchyard/flow';
import type { TicketEvent } from './events';
import type { TraceStep } from './trace';

/**
 * The engine's persistence port. Implementations: the in-memory store (simulator, tests) and the
 * SQLite/PostgreSQL stores in packages/db. Every method that writes is atomic.
 */

/** A published flow version: immutable, identified by the hash of its document. */
export interface FlowVersionRecord {
  readonly id: string;
  readonly flowId: string;
  readonly contentHash: string;
  readonly machine: MachineJson;
  readonly sourceMap: SourceMap;
}

export interface TicketRecord {
  readonly id: string;
  readonly number: string;
  readonly flowVersionId: string;
  /** Optimistic concurrency: bumped by every committed step. */
  readonly version: number;
  readonly ticket: Ticket;
  /** XState persisted snapshot (JSON). */
  readonly snapshot: JsonValue;
  /** Node ids the main path is in now. */
  readonly currentNodes: readonly string[];
  readonly done: boolean;
  /** Set when an effect of this ticket failed for good; cleared when it is retried. */
  readonly failure: { readonly effectId: string; readonly error: string } | null;
  readonly idempotencyKey: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EventRecord {
  readonly ticketId: string;
  readonly seq: number;
  readonly event: TicketEvent;
  /** When it was processed (ISO); replay uses it as `now`. */
  readonly at: string;
  readonly trace: TraceStep;
  /** Non-deterministic inputs (assignment choices) recorded so replay reproduces the step. */
  readonly decisions: Readonly<Record<string, JsonValue>>;
}

export type TimerStatus = 'scheduled' | 'fired' | 'cancelled';

export interface TimerRecord {
  readonly ticketId: string;
  /** e.g. `survey:send`; unique per ticket with `generation`. */
  readonly key: string;
  readonly generation: number;
  readonly dueAt: string;
  readonly status: TimerStatus;
}

export type EffectKind = 'email' | 'in-app' | 'webhook' | 'http';
export type EffectStatus = 'pending' | 'delivered' | 'dead';

export interface EffectRecord {
  readonly id: string;
  readonly ticketId: string;
  readonly idempotencyKey: string;
  readonly kind: EffectKind;
  readonly payload: JsonValue;
  readonly status: EffectStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
}

export interface NewEffect {
  readonly idempotencyKey: string;
  readonly kind: EffectKind;
  readonly payload: JsonValue;
}

/** Everything one processed event changes, written in ONE transaction. */
export interface StepCommit {
  /** `null` when the ticket is created by this step. */
  readonly expectedVersion: number | null;
  readonly ticket: TicketRecord;
  readonly event: EventRecord;
  readonly schedule: readonly TimerRecord[];
  /** Timer keys (current generation) to cancel. */
  readonly cancel: readonly { readonly key: string; readonly generation: number }[];
  /** The timer this step consumed (TIMER.FIRED), marked fired in the same transaction. */
  readonly fired: { readonly key: string; readonly generation: number } | null;
  readonly effects: readonly NewEffect[];
  /** Open-ticket counter changes per agent (assignment, resolution). */
  readonly agentLoad: readonly {
    readonly agentId: string;
    readonly delta: number;
    readonly at: string;
  }[];
  /** The effect whose delivery produced this step's event, marked delivered in the same transaction. */
  readonly deliveredEffectId: string | null;
}

/** The ticket changed since it was read: reload and try again. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The idempotency key is already taken by another ticket. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(readonly ticketNumber: string) {
    super(`Idempotency key already used by ticket ${ticketNumber}`);
  }
}

export interface AgentRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly teamId: string;
  readonly skills: readonly string[];
  readonly capacity: number;
  readonly openTickets: number;
  readonly active: boolean;
  /** Calendar id of the agent's shift; null = always on shift. */
  readonly shiftCalendarId: string | null;
  readonly lastAssignedAt: string | null;
  /** Roles in the team: lead and director receive escalations. */
  readonly role: 'agent' | 'lead' | 'director';
}

export interface Store {
  getFlowVersion(id: string): Promise<FlowVersionRecord | null>;
  getTicketByNumber(number: string): Promise<TicketRecord | null>;
  getTicketById(id: string): Promise<TicketRecord | null>;
  getTicketByIdempotencyKey(key: string): Promise<TicketRecord | null>;
  /** Atomically take the next ticket sequence number for a day key like `20231028`. */
  nextTicketSequence(day: string): Promise<number>;
  /** Apply a step atomically. Throws ConflictError (stale version) or DuplicateKeyError. */
  commit(step: StepCommit): Promise<void>;
  listEvents(ticketId: string): Promise<EventRecord[]>;
  listTimers(ticketId: string): Promise<TimerRecord[]>;
  /** Scheduled timers due at or before `now`, oldest first. */
  getDueTimers(now: string, limit: number): Promise<TimerRecord[]>;
  /** Pending effects whose next attempt is due, oldest first. */
  getDueEffects(now: string, limit: number): Promise<EffectRecord[]>;
  listEffects(ticketId: string): Promise<EffectRecord[]>;
  markEffectDelivered(id: string): Promise<void>;
  /** Record a failed attempt; `dead` marks the ticket failed with the error. */
  markEffectFailed(id: string, error: string, nextAttemptAt: string, dead: boolean): Promise<void>;
  /** Put a dead effect back in the queue and clear the ticket's failure. */
  retryEffect(id: string, now: string): Promise<void>;
  listAgents(): Promise<AgentRecord[]>;
  /**
   * Tickets of a team waiting for an agent (no assignee, not done), oldest first. With `forAgent`,
   * only those the engine may hand to an agent with those skills (see {@link QueuedTicketFilter}).
   */
  getQueuedTickets(
    teamId: string,
    limit: number,
    forAgent?: QueuedTicketFilter,
  ): Promise<TicketRecord[]>;
}

/**
 * Which queued tickets an agent may be handed automatically: every skill the ticket's last assign
 * step required (`snapshot.context.runtime.requiredSkills`, normalized; none recorded = none
 * required) is among `skills`, and the ticket is not waiting for the team to pick it by hand
 * (`snapshot.context.runtime.autoAssign` is not `false`).
 */
export interface QueuedTicketFilter {
  /** The agent's skills, normalized (`normalizeSkills`: trimmed, lower-case). */
  readonly skills: readonly string[];
}

/** The runtime fields of a stored snapshot the queue looks at; absent on older tickets. */
export function getQueueRequirements(snapshot: JsonValue): {
  requiredSkills: readonly string[];
  autoAssign: boolean;
} {
  const runtime = (
    snapshot as {
      context?: { runtime?: { autoAssign?: unknown; requiredSkills?: unknown } };
    } | null
  )?.context?.runtime;
  const skills = runtime?.requiredSkills;
  return {
    requiredSkills: Array.isArray(skills)
      ? skills.filter((skill): skill is string => typeof skill === 'string')
      : [],
    autoAssign: runtime?.autoAssign !== false,
  };
}

/** Whether a queued ticket passes `filter` (the memory store's reading of the contract). */
export function takesQueuedTicket(filter: QueuedTicketFilter, snapshot: JsonValue): boolean {
  const { requiredSkills, autoAssign } = getQueueRequirements(snapshot);
  const own = new Set(filter.skills);
  return autoAssign && requiredSkills.every((skill) => own.has(skill));
}
