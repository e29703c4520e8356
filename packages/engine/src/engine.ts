import { CLOSED_STATE, MAIN_REGION } from '@switchyard/compiler';
import type { JsonValue } from '@switchyard/compiler';
import { createTicket as buildTicket, ticketInputSchema } from '@switchyard/flow';
import type { Calendar, TicketInput } from '@switchyard/flow';
import { createActor } from 'xstate';
import type { AnyActorRef, AnyStateMachine, Snapshot } from 'xstate';
import { normalizeSkills, pickAgent } from './assignment';
import { formatTicketNumber, getTicketDay } from './ticket-number';
import { InvalidEventError, parsePublicEvent } from './events';
import type { InternalEvent, TicketEvent } from './events';
import { createFlowMachine, createInitialRuntime } from './runtime';
import type { FlowMachine, IntentModel, LinkBuilder, MachineContext, StepScope } from './runtime';
import { ConflictError, DuplicateKeyError, getQueueRequirements } from './store';
import type {
  AgentRecord,
  EffectRecord,
  EventRecord,
  FlowVersionRecord,
  StepCommit,
  Store,
  TicketRecord,
} from './store';
import type { TraceStep } from './trace';

/** Wall-clock time, injected: real in the server, virtual in the simulator. */
export interface Clock {
  now(): number;
}

export type DeliveryOutcome =
  | { readonly ok: true; readonly response?: { readonly status: number; readonly body: unknown } }
  | {
      readonly ok: false;
      readonly error: string;
      readonly retryable: boolean;
      readonly response?: { readonly status: number; readonly body: unknown };
    };

/** Delivers outbox effects (email, in-app, webhook, HTTP). Receives the idempotency key with each. */
export interface Effects {
  deliver(effect: EffectRecord): Promise<DeliveryOutcome>;
}

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly effects: Effects;
  readonly links: LinkBuilder;
  /** Deployment time zone: ticket numbers use its calendar day. */
  readonly timeZone: string;
  /** Unique ids for new tickets (injected: the engine has no randomness of its own). */
  readonly createId: () => string;
  readonly models?: { get(modelId: string): IntentModel | undefined };
  readonly calendars?: readonly Calendar[];
  /** Attempts before an effect is given up (default 8); backoff doubles from 1 s up to 1 h. */
  readonly maxAttempts?: number;
  /** Live actors kept in memory (default 10 000). */
  readonly hotActors?: number;
  /**
   * Flow machines by version id, shareable between engines with the same links, models and
   * calendars (the simulator runs many short-lived engines on one cache).
   */
  readonly machineCache?: Map<string, FlowMachine>;
}

export class TicketNotFoundError extends Error {
  override readonly name = 'TicketNotFoundError';
}

export class FlowVersionNotFoundError extends Error {
  override readonly name = 'FlowVersionNotFoundError';
}

/** The ticket's current state does not accept this event (HTTP 409). */
export class EventNotAcceptedError extends Error {
  override readonly name = 'EventNotAcceptedError';
  constructor(
    message: string,
    readonly currentNodes: readonly string[],
  ) {
    super(message);
  }
}

export class InvalidTicketError extends InvalidEventError {}

export interface StepResult {
  readonly ticket: TicketRecord;
  readonly trace: TraceStep;
}

const MAX_CONFLICT_RETRIES = 5;
/** Queued tickets looked at per skill set each time the queue hands one out. */
const QUEUE_PAGE = 5;

/** The only events a ticket whose flow has ended still takes (when its state allows). */
const REOPEN_EVENTS: ReadonlySet<string> = new Set(['TICKET.REOPENED', 'TICKET.CLOSED']);

/** Who a transfer the engine makes itself (a queued ticket given to a freed agent) is by, and why. */
export const QUEUE_ASSIGNMENT = { by: 'system', reason: 'assigned from the team queue' } as const;

let lastIsoMs = Number.NaN;
let lastIso = '';
/** ISO time of `ms`; one step formats the same instant many times, so the last one is kept. */
function iso(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

function getMainValue(snapshot: Snapshot<unknown>): unknown {
  const value = (snapshot as unknown as { value: unknown }).value;
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>).main
    : undefined;
}

/** Node ids the main path is in; the built-in closed state is no node (a closed ticket is at its end). */
function getCurrentNodes(snapshot: Snapshot<unknown>): string[] {
  const main = getMainValue(snapshot);
  if (typeof main === 'string') return main === CLOSED_STATE ? [] : [main];
  if (typeof main === 'object' && main !== null) return Object.keys(main);
  return [];
}

/**
 * Whether the ticket's flow has ended: its main path is in a final state (an end node, or closed).
 * The machine itself keeps running (its lifecycle region never ends) so the ticket can be reopened;
 * machines compiled before that region existed are simply done.
 */
function isEnded(actor: AnyActorRef, snapshot: Snapshot<unknown> & { status: string }): boolean {
  if (snapshot.status === 'done') return true;
  const main = getMainValue(snapshot);
  if (typeof main !== 'string') return false;
  // Every ticket actor is an `Actor` of its flow's machine; the ref type does not show `logic`.
  const machine = (actor as unknown as { logic: AnyStateMachine }).logic;
  return machine.root.states[MAIN_REGION]?.states[main]?.type === 'final';
}

function getContext(actor: AnyActorRef): MachineContext {
  return (actor.getSnapshot() as { context: MachineContext }).context;
}

function createScope(
  now: number,
  event: TicketEvent,
  agents: readonly AgentRecord[],
  recorded?: Readonly<Record<string, JsonValue>>,
): StepScope {
  return {
    now,
    event,
    agents,
    replay: recorded !== undefined,
    recorded: recorded ?? {},
    decisions: {},
    effects: [],
    schedule: [],
    cancel: [],
    guards: [],
    entered: [],
    edges: [],
    notes: [],
    agentLoad: [],
  };
}

/**
 * The ticket runtime. Every event is one store transaction (event, snapshot with a version check,
 * timers, outbox); effects are delivered after commit with idempotency keys.
 *
 * @example
 * const engine = createEngine({ store, clock, effects, links, timeZone: 'Asia/Shanghai', createId });
 * const { ticket } = await engine.createTicket(input, { flowVersionId });
 * await engine.send(ticket.number, { type: 'AGENT.RESOLVED' });
 */
export function createEngine(options: EngineOptions) {
  const { store, clock } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const hotLimit = options.hotActors ?? 10_000;
  const machines = new Map<string, { version: FlowVersionRecord; flow: FlowMachine }>();
  // Hot tickets: the live actor and the record it was committed as. A step on a hot ticket skips
  // the read; if another process changed the ticket meanwhile, the commit's version check fails
  // and the step retries from a fresh read.
  const hot = new Map<string, { version: number; actor: AnyActorRef; record: TicketRecord }>();
  const idsByNumber = new Map<string, string>();
  const inFlight = new Set<string>();
  const locks = new Map<string, Promise<unknown>>();
  let agents: AgentRecord[] | null = null;

  // Cache the promise, not the result: concurrent first uses of a version must share one
  // machine, or hot actors of one machine would later run under another machine's scope.
  const loading = new Map<string, Promise<{ version: FlowVersionRecord; flow: FlowMachine }>>();
  function getMachine(versionId: string) {
    const ready = machines.get(versionId);
    if (ready !== undefined) return Promise.resolve(ready);
    let pending = loading.get(versionId);
    if (pending === undefined) {
      pending = (async () => {
        const version = await store.getFlowVersion(versionId);
        if (version === null) {
          throw new FlowVersionNotFoundError(`Flow version ${versionId} does not exist`);
        }
        const flow =
          options.machineCache?.get(versionId) ??
          createFlowMachine(version.machine, {
            links: options.links,
            ...(options.models && { models: options.models }),
            ...(options.calendars && { calendars: options.calendars }),
          });
        options.machineCache?.set(versionId, flow);
        const entry = { version, flow };
        machines.set(versionId, entry);
        return entry;
      })();
      loading.set(versionId, pending);
      pending.then(
        () => loading.delete(versionId),
        () => loading.delete(versionId),
      );
    }
    return pending;
  }

  async function getAgents(): Promise<AgentRecord[]> {
    agents ??= await store.listAgents();
    return agents;
  }

  function applyAgentLoad(changes: StepCommit['agentLoad']): void {
    if (agents === null || changes.length === 0) return;
    agents = agents.map((agent) => {
      const delta = changes
        .filter((c) => c.agentId === agent.id)
        .reduce((sum, c) => sum + c.delta, 0);
      const assigned = changes.find((c) => c.agentId === agent.id && c.delta > 0);
      return delta === 0 && assigned === undefined
        ? agent
        : {
            ...agent,
            openTickets: Math.max(0, agent.openTickets + delta),
            lastAssignedAt: assigned?.at ?? agent.lastAssignedAt,
          };
    });
  }

  /** Serialise work on one ticket inside this process; other processes are held off by versions. */
  async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (locks.get(key) === settled) locks.delete(key);
    }
  }

  function remember(record: TicketRecord, actor: AnyActorRef): void {
    const ticketId = record.id;
    hot.delete(ticketId);
    hot.set(ticketId, { version: record.version, actor, record });
    idsByNumber.set(record.number, ticketId);
    if (hot.size > hotLimit) {
      const oldest = hot.keys().next().value;
      if (oldest !== undefined) {
        const evicted = hot.get(oldest);
        hot.delete(oldest);
        if (evicted !== undefined) idsByNumber.delete(evicted.record.number);
      }
    }
  }

  function restore(flow: FlowMachine, record: TicketRecord): AnyActorRef {
    const cached = hot.get(record.id);
    if (cached !== undefined && cached.version === record.version) return cached.actor;
    const actor = createActor(flow.machine, {
      snapshot: record.snapshot as never,
      input: undefined,
    });
    actor.start();
    return actor;
  }

  function buildTrace(
    scope: StepScope,
    event: TicketEvent,
    fromNodes: string[],
    toNodes: string[],
    keys: string[],
    fired: StepCommit['fired'],
  ): TraceStep {
    return {
      event: event.type,
      at: iso(scope.now),
      fromNodes,
      toNodes,
      // The scope belongs to this step alone: its lists are handed over, not copied.
      entered: scope.entered,
      edges: scope.edges,
      guards: scope.guards,
      effects: scope.effects.map((effect, index) => ({
        kind: effect.kind,
        idempotencyKey: keys[index] ?? '',
        summary: summarizeEffect(effect.payload),
      })),
      timers: {
        scheduled: scope.schedule.map((t) => ({
          key: t.key,
          generation: t.generation,
          dueAt: t.dueAt,
        })),
        cancelled: scope.cancel,
        fired: fired === null ? [] : [fired],
      },
      notes: scope.notes,
    };
  }

  function buildCommit(args: {
    record: TicketRecord | null;
    id: string;
    number: string;
    flowVersionId: string;
    idempotencyKey: string | null;
    actor: AnyActorRef;
    scope: StepScope;
    event: TicketEvent;
    fromNodes: string[];
    fired: StepCommit['fired'];
    deliveredEffectId: string | null;
  }): StepCommit {
    const { record, actor, scope, event } = args;
    const seq = (record === null ? 0 : record.version) + 1;
    const snapshot = actor.getSnapshot() as Snapshot<unknown> & { status: string };
    const context = getContext(actor);
    const toNodes = getCurrentNodes(snapshot);
    const keys = scope.effects.map((_, index) => `${args.id}:${seq}:${index}`);
    const now = iso(scope.now);
    const ticket = { ...context.ticket, updatedAt: now };
    const trace = buildTrace(scope, event, args.fromNodes, toNodes, keys, args.fired);
    const ticketRecord: TicketRecord = {
      id: args.id,
      number: args.number,
      flowVersionId: args.flowVersionId,
      version: seq,
      ticket,
      snapshot: actor.getPersistedSnapshot() as unknown as JsonValue,
      currentNodes: toNodes,
      done: isEnded(actor, snapshot),
      failure: record?.failure ?? null,
      idempotencyKey: args.idempotencyKey,
      createdAt: record?.createdAt ?? now,
      updatedAt: now,
    };
    return {
      expectedVersion: record === null ? null : record.version,
      ticket: ticketRecord,
      event: { ticketId: args.id, seq, event, at: now, trace, decisions: { ...scope.decisions } },
      // A timer scheduled and cancelled within the same step never reaches the store.
      schedule: scope.schedule
        .filter(
          (timer) =>
            !scope.cancel.some((c) => c.key === timer.key && c.generation === timer.generation),
        )
        .map((timer) => ({ ...timer, ticketId: args.id })),
      cancel: scope.cancel
        .filter(
          (c) =>
            !scope.schedule.some(
              (timer) => timer.key === c.key && timer.generation === c.generation,
            ),
        )
        .map(({ key, generation }) => ({ key, generation })),
      fired: args.fired,
      effects: scope.effects.map((effect, index) => ({
        ...effect,
        idempotencyKey: keys[index] ?? '',
      })),
      agentLoad: scope.agentLoad,
      deliveredEffectId: args.deliveredEffectId,
    };
  }

  /** Keep the committed state; returns the teams of agents whose slot this step freed. */
  function afterCommit(commit: StepCommit, actor: AnyActorRef): string[] {
    remember(commit.ticket, actor);
    applyAgentLoad(commit.agentLoad);
    if (commit.ticket.done) hot.delete(commit.ticket.id);
    const teams: string[] = [];
    for (const change of commit.agentLoad) {
      if (change.delta >= 0) continue;
      const agent = agents?.find((a) => a.id === change.agentId);
      if (agent !== undefined) teams.push(agent.teamId);
    }
    return teams;
  }

  /**
   * A slot freed up: give it to the oldest ticket waiting in that team's queue. Runs after the
   * freeing step let go of its ticket's lock: the waiting ticket may be that very ticket (moved
   * to its own team's queue), and its step would otherwise wait for the lock forever.
   */
  async function assignFreed(teams: readonly string[]): Promise<void> {
    for (const teamId of teams) await assignQueued(teamId);
  }

  /** Process one event on an existing ticket, retrying on version conflicts. */
  async function step(
    ticketId: string,
    event: TicketEvent,
    extra: { fired?: StepCommit['fired']; deliveredEffectId?: string; requireAccepted: boolean },
  ): Promise<StepResult> {
    const { result, freed } = await withLock(ticketId, async () => {
      for (let attempt = 0; ; attempt++) {
        const cached = attempt === 0 ? hot.get(ticketId)?.record : undefined;
        const record = cached ?? (await store.getTicketById(ticketId));
        if (record === null) throw new TicketNotFoundError(`Ticket ${ticketId} does not exist`);
        const { flow } = await getMachine(record.flowVersionId);
        const actor = restore(flow, record);
        const snapshot = actor.getSnapshot() as Snapshot<unknown> & {
          status: string;
          can(e: unknown): boolean;
        };
        const fromNodes = getCurrentNodes(snapshot);
        const scope = createScope(clock.now(), event, await getAgents());
        if (extra.requireAccepted) {
          const accepted =
            snapshot.status === 'active' &&
            (!record.done || REOPEN_EVENTS.has(event.type)) &&
            flow.withScope(createScope(scope.now, event, scope.agents), () => snapshot.can(event));
          if (!accepted) {
            throw new EventNotAcceptedError(
              `Ticket ${record.number} is at ${fromNodes.join(', ') || 'its end'} and does not accept ${event.type} now`,
              fromNodes,
            );
          }
        }
        flow.withScope(scope, () => {
          actor.send(event);
        });
        const commit = buildCommit({
          record,
          id: record.id,
          number: record.number,
          flowVersionId: record.flowVersionId,
          idempotencyKey: record.idempotencyKey,
          actor,
          scope,
          event,
          fromNodes,
          fired: extra.fired ?? null,
          deliveredEffectId: extra.deliveredEffectId ?? null,
        });
        try {
          await store.commit(commit);
        } catch (error: unknown) {
          hot.delete(ticketId);
          if (error instanceof ConflictError && attempt < MAX_CONFLICT_RETRIES) continue;
          throw error;
        }
        const freedTeams = afterCommit(commit, actor);
        return {
          result: { ticket: commit.ticket, trace: commit.event.trace },
          freed: freedTeams,
        };
      }
    });
    await assignFreed(freed);
    return result;
  }

  /**
   * Hand waiting tickets of a team to its agents who have room now, one at a time: the oldest
   * queued ticket that some free agent of the team may take (holding every skill the ticket's
   * assign step required, active, on shift for the ticket's flow, below capacity) goes to the
   * least loaded of those agents. Tickets nobody free can take stay queued for a suitable agent;
   * pick-by-hand (`queue` strategy) tickets are never handed out.
   */
  async function assignQueued(teamId: string): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const everyone = await getAgents();
      const free = everyone.filter(
        (agent) =>
          agent.teamId === teamId &&
          agent.role === 'agent' &&
          agent.active &&
          agent.openTickets < agent.capacity,
      );
      // One store query per distinct skill set among the free agents, oldest tickets first.
      const skillSets = new Map<string, string[]>();
      for (const agent of free) {
        const skills = normalizeSkills(agent.skills);
        skillSets.set(JSON.stringify(skills), skills);
      }
      const candidates = new Map<string, TicketRecord>();
      for (const skills of skillSets.values()) {
        const queued = await store.getQueuedTickets(teamId, QUEUE_PAGE + tried.size, { skills });
        for (const record of queued) {
          if (!tried.has(record.id) && !candidates.has(record.id))
            candidates.set(record.id, record);
        }
      }
      // Stable: tickets created at the same instant keep the store's order.
      const ordered = [...candidates.values()].sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
      );
      let handed = false;
      for (const record of ordered) {
        tried.add(record.id);
        const { flow } = await getMachine(record.flowVersionId);
        const choice = pickAgent(flow.getAssignableAgents(everyone, clock.now()), {
          teamId,
          strategy: 'least-loaded',
          requiredSkills: getQueueRequirements(record.snapshot).requiredSkills,
        });
        if (choice.kind !== 'agent') continue; // e.g. the skilled agents are off shift for it
        await step(
          record.id,
          {
            type: 'TICKET.TRANSFERRED',
            team: teamId,
            assignee: choice.agentId,
            ...QUEUE_ASSIGNMENT,
          },
          { requireAccepted: false },
        );
        handed = true;
        break; // loads changed: look again
      }
      if (!handed) return;
    }
  }

  /** Deliver one effect; true when it was delivered (or answered, for HTTP calls). */
  async function deliverOne(effect: EffectRecord): Promise<boolean> {
    const outcome = await options.effects.deliver(effect);
    const payload = effect.payload as { nodeId?: string } | null;
    if (
      effect.kind === 'http' &&
      (outcome.ok || !outcome.retryable || effect.attempts + 1 >= maxAttempts)
    ) {
      // The flow decides what a failed call means: it takes the node's failure port.
      const completed: InternalEvent = {
        type: 'ACTION.COMPLETED',
        nodeId: payload?.nodeId ?? '',
        ok: outcome.ok,
        ...(outcome.response && { status: outcome.response.status, body: outcome.response.body }),
        ...(!outcome.ok && { error: outcome.error }),
      };
      await step(effect.ticketId, completed, {
        deliveredEffectId: effect.id,
        requireAccepted: false,
      });
      return true;
    }
    if (outcome.ok) {
      await store.markEffectDelivered(effect.id);
      return true;
    }
    const attempts = effect.attempts + 1;
    const dead = !outcome.retryable || attempts >= maxAttempts;
    const backoff = Math.min(1000 * 2 ** attempts, 3_600_000);
    await store.markEffectFailed(effect.id, outcome.error, iso(clock.now() + backoff), dead);
    return false;
  }

  return {
    /**
     * Create a ticket and start its flow in one transaction. The same idempotency key returns the
     * existing ticket (`created: false`) and changes nothing.
     */
    async createTicket(
      input: TicketInput,
      {
        flowVersionId,
        idempotencyKey = null,
      }: { flowVersionId: string; idempotencyKey?: string | null },
    ): Promise<{ ticket: TicketRecord; created: boolean; trace?: TraceStep }> {
      if (idempotencyKey !== null) {
        const existing = await store.getTicketByIdempotencyKey(idempotencyKey);
        if (existing !== null) return { ticket: existing, created: false };
      }
      const parsed = ticketInputSchema.safeParse(input);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        }));
        throw new InvalidTicketError(
          `${issues[0]?.path ?? 'ticket'}: ${issues[0]?.message ?? 'invalid'}`,
          issues,
        );
      }
      const { flow } = await getMachine(flowVersionId);
      const now = clock.now();
      const day = getTicketDay(now, options.timeZone);
      const number = formatTicketNumber(now, options.timeZone, await store.nextTicketSequence(day));
      const ticket = buildTicket(parsed.data, number, iso(now));
      const id = options.createId();
      const event: InternalEvent = { type: 'TICKET.CREATED', ticket };
      const scope = createScope(now, event, await getAgents());
      // XState computes the initial state (and runs its assign actions) in createActor itself.
      const actor = flow.withScope(scope, () => {
        const created = createActor(flow.machine, {
          input: { ticket, runtime: createInitialRuntime() },
        });
        created.start();
        return created;
      });
      const commit = buildCommit({
        record: null,
        id,
        number,
        flowVersionId,
        idempotencyKey,
        actor,
        scope,
        event,
        fromNodes: [],
        fired: null,
        deliveredEffectId: null,
      });
      try {
        await store.commit(commit);
      } catch (error: unknown) {
        if (error instanceof DuplicateKeyError && idempotencyKey !== null) {
          const existing = await store.getTicketByIdempotencyKey(idempotencyKey);
          if (existing !== null) return { ticket: existing, created: false };
        }
        throw error;
      }
      await assignFreed(afterCommit(commit, actor));
      return { ticket: commit.ticket, created: true, trace: commit.event.trace };
    },

    /** Send a public event (validated; rejected with a clear error if malformed or not accepted now). */
    async send(ticketNumber: string, input: unknown): Promise<StepResult> {
      const event = parsePublicEvent(input);
      const id = idsByNumber.get(ticketNumber) ?? (await store.getTicketByNumber(ticketNumber))?.id;
      if (id === undefined) throw new TicketNotFoundError(`Ticket ${ticketNumber} does not exist`);
      return step(id, event, { requireAccepted: true });
    },

    /** Whether the ticket's current state accepts an event type now (for disabling UI actions). */
    async accepts(ticketNumber: string, input: unknown): Promise<boolean> {
      const event = parsePublicEvent(input);
      const record = await store.getTicketByNumber(ticketNumber);
      if (record === null) return false;
      const { flow } = await getMachine(record.flowVersionId);
      const snapshot = restore(flow, record).getSnapshot() as Snapshot<unknown> & {
        status: string;
        can(e: unknown): boolean;
      };
      // An ended ticket's machine still runs (to take a reopen) unless it predates that.
      if (snapshot.status !== 'active' || (record.done && !REOPEN_EVENTS.has(event.type)))
        return false;
      return flow.withScope(createScope(clock.now(), event, await getAgents()), () =>
        snapshot.can(event),
      );
    },

    /** Fire every timer that is due (also those that came due while the process was down). */
    async fireDueTimers(limit = 500): Promise<number> {
      const due = await store.getDueTimers(iso(clock.now()), limit);
      if (due.length === 0) return 0;
      // Tickets run concurrently (their commits share group-commit batches); the per-ticket lock
      // keeps each ticket's timers in due order.
      const results = await Promise.all(
        due.map(async (timer) => {
          try {
            await step(
              timer.ticketId,
              { type: 'TIMER.FIRED', timerId: timer.key },
              { fired: { key: timer.key, generation: timer.generation }, requireAccepted: false },
            );
            return 1;
          } catch (error: unknown) {
            // Another worker fired it first (the timer is no longer scheduled): nothing to do.
            if (error instanceof ConflictError) return 0;
            throw error;
          }
        }),
      );
      return results.reduce((sum: number, n) => sum + n, 0);
    },

    /** Deliver due outbox effects; failures back off exponentially and finally mark the ticket failed. */
    async deliverDueEffects(limit = 100): Promise<number> {
      // Skip effects this process is delivering right now (an overlapping call, e.g. a slow
      // scheduler tick): they are not recorded yet and would go out twice.
      const due = (await store.getDueEffects(iso(clock.now()), limit)).filter(
        (e) => !inFlight.has(e.id),
      );
      if (due.length === 0) return 0;
      for (const effect of due) inFlight.add(effect.id);
      // One ticket's effects go out in order; different tickets' effects go out concurrently.
      const byTicket = new Map<string, EffectRecord[]>();
      for (const effect of due) {
        const list = byTicket.get(effect.ticketId);
        if (list === undefined) byTicket.set(effect.ticketId, [effect]);
        else list.push(effect);
      }
      const counts = await Promise.all(
        [...byTicket.values()].map(async (effects) => {
          let delivered = 0;
          for (const effect of effects) {
            try {
              if (await deliverOne(effect)) delivered++;
            } finally {
              inFlight.delete(effect.id);
            }
          }
          return delivered;
        }),
      );
      return counts.reduce((sum, n) => sum + n, 0);
    },

    /** Put a failed effect back in the queue (the "retry" button on a failed ticket). */
    async retryEffect(effectId: string): Promise<void> {
      await store.retryEffect(effectId, iso(clock.now()));
    },

    /** Assign queued tickets of a team to agents who have room now (e.g. at shift start). */
    assignQueued,

    /**
     * Rebuild a ticket from its event log alone, using recorded decisions and event times. The
     * result must equal the stored snapshot: the crash test checks this for every ticket.
     */
    async replay(
      ticketId: string,
    ): Promise<{ snapshot: JsonValue; ticket: MachineContext['ticket'] }> {
      const record = await store.getTicketById(ticketId);
      if (record === null) throw new TicketNotFoundError(`Ticket ${ticketId} does not exist`);
      const { flow } = await getMachine(record.flowVersionId);
      const events: EventRecord[] = await store.listEvents(ticketId);
      let actor: AnyActorRef | null = null;
      for (const entry of events) {
        const scope = createScope(
          Date.parse(entry.at),
          entry.event,
          await getAgents(),
          entry.decisions,
        );
        if (entry.event.type === 'TICKET.CREATED') {
          const { ticket } = entry.event;
          actor = flow.withScope(scope, () => {
            const created = createActor(flow.machine, {
              input: { ticket, runtime: createInitialRuntime() },
            });
            created.start();
            return created;
          });
          continue;
        }
        const current = actor;
        if (current === null)
          throw new Error(`Ticket ${record.number}: event log does not start with TICKET.CREATED`);
        flow.withScope(scope, () => {
          current.send(entry.event);
        });
      }
      if (actor === null) throw new Error(`Ticket ${record.number} has no events`);
      return {
        snapshot: actor.getPersistedSnapshot() as unknown as JsonValue,
        ticket: getContext(actor).ticket,
      };
    },

    /** Forget cached actors and agents (after another process changed them). */
    invalidate(): void {
      hot.clear();
      idsByNumber.clear();
      agents = null;
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

function summarizeEffect(payload: JsonValue): string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return '';
  const p = payload as Record<string, JsonValue>;
  if (typeof p.subject === 'string')
    return `${Array.isArray(p.to) ? p.to.filter((t) => typeof t === 'string').join(', ') : ''}: ${p.subject}`;
  if (typeof p.url === 'string')
    return `${typeof p.method === 'string' ? p.method : 'POST'} ${p.url}`;
  return '';
}
