import { ConflictError, DuplicateKeyError, takesQueuedTicket } from './store';
import type {
  AgentRecord,
  EffectRecord,
  EventRecord,
  FlowVersionRecord,
  StepCommit,
  Store,
  TicketRecord,
  TimerRecord,
} from './store';

/**
 * A Store that keeps everything in memory: the simulator's store and the reference semantics the
 * database stores must match (the same engine test suite runs against each). Commits are atomic:
 * every check happens before the first write. Records are copied in and out unless
 * `shareRecords` is set.
 */
export function createMemoryStore(
  seed: {
    versions?: readonly FlowVersionRecord[];
    agents?: readonly AgentRecord[];
    /**
     * Share records instead of copying them in and out. Only for callers that never change a
     * record they handed over or got back — the simulator, whose engine builds fresh records for
     * every step and only reads what it gets.
     */
    shareRecords?: boolean;
  } = {},
) {
  const versions = new Map((seed.versions ?? []).map((v) => [v.id, v]));
  const tickets = new Map<string, TicketRecord>();
  const byNumber = new Map<string, string>();
  const byKey = new Map<string, string>();
  const events = new Map<string, EventRecord[]>();
  const timers = new Map<string, TimerRecord>();
  const effects = new Map<string, EffectRecord>();
  const effectKeys = new Set<string>();
  const sequences = new Map<string, number>();
  let agents: AgentRecord[] = [...(seed.agents ?? [])];
  let effectCounter = 0;

  const timerId = (t: { ticketId: string; key: string; generation: number }) =>
    `${t.ticketId}\u0000${t.key}\u0000${t.generation}`;
  // Records are replaced, never changed in place, so sharing them is safe for callers that
  // only read what they get back.
  const copy =
    seed.shareRecords === true
      ? <T>(value: T): T => value
      : <T>(value: T): T => structuredClone(value);

  const store: Store & {
    addFlowVersion(version: FlowVersionRecord): void;
    setAgents(list: readonly AgentRecord[]): void;
    listTickets(): TicketRecord[];
  } = {
    addFlowVersion(version) {
      versions.set(version.id, version);
    },
    setAgents(list) {
      agents = [...list];
    },
    listTickets() {
      return [...tickets.values()].map(copy);
    },
    getFlowVersion(id) {
      return Promise.resolve(versions.get(id) ?? null);
    },
    getTicketByNumber(number) {
      const id = byNumber.get(number);
      return Promise.resolve(id === undefined ? null : copy(tickets.get(id) ?? null));
    },
    getTicketById(id) {
      return Promise.resolve(copy(tickets.get(id) ?? null));
    },
    getTicketByIdempotencyKey(key) {
      const id = byKey.get(key);
      return Promise.resolve(id === undefined ? null : copy(tickets.get(id) ?? null));
    },
    nextTicketSequence(day) {
      const next = (sequences.get(day) ?? 0) + 1;
      sequences.set(day, next);
      return Promise.resolve(next);
    },
    commit(step: StepCommit) {
      const current = tickets.get(step.ticket.id);
      if (step.expectedVersion === null) {
        if (current !== undefined)
          return Promise.reject(new ConflictError(`Ticket ${step.ticket.number} already exists`));
        const key = step.ticket.idempotencyKey;
        const owner = key === null ? undefined : byKey.get(key);
        if (owner !== undefined) {
          return Promise.reject(new DuplicateKeyError(tickets.get(owner)?.number ?? owner));
        }
      } else if (current?.version !== step.expectedVersion) {
        return Promise.reject(
          new ConflictError(
            `Ticket ${step.ticket.number} changed (version ${current?.version ?? 'none'}, expected ${step.expectedVersion})`,
          ),
        );
      }
      if (step.fired !== null) {
        const timer = timers.get(timerId({ ticketId: step.ticket.id, ...step.fired }));
        if (timer?.status !== 'scheduled')
          return Promise.reject(
            new ConflictError(`Timer ${step.fired.key} is no longer scheduled`),
          );
      }
      for (const effect of step.effects) {
        if (effectKeys.has(effect.idempotencyKey))
          return Promise.reject(new ConflictError(`Effect ${effect.idempotencyKey} exists`));
      }
      // All checks passed: apply.
      // `failure` belongs to markEffectFailed/retryEffect: a step never overwrites it.
      const ticket = { ...copy(step.ticket), failure: current?.failure ?? null };
      tickets.set(ticket.id, ticket);
      byNumber.set(ticket.number, ticket.id);
      if (ticket.idempotencyKey !== null) byKey.set(ticket.idempotencyKey, ticket.id);
      const log = events.get(ticket.id);
      if (log === undefined) events.set(ticket.id, [copy(step.event)]);
      else log.push(copy(step.event));
      for (const cancel of step.cancel) {
        const id = timerId({ ticketId: ticket.id, ...cancel });
        const timer = timers.get(id);
        if (timer?.status === 'scheduled') timers.set(id, { ...timer, status: 'cancelled' });
      }
      if (step.fired !== null) {
        const id = timerId({ ticketId: ticket.id, ...step.fired });
        const timer = timers.get(id);
        if (timer !== undefined) timers.set(id, { ...timer, status: 'fired' });
      }
      for (const timer of step.schedule) timers.set(timerId(timer), copy(timer));
      for (const effect of step.effects) {
        effectCounter++;
        const id = `fx${effectCounter}`;
        effectKeys.add(effect.idempotencyKey);
        effects.set(id, {
          id,
          ticketId: ticket.id,
          idempotencyKey: effect.idempotencyKey,
          kind: effect.kind,
          payload: copy(effect.payload),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: step.event.at,
          lastError: null,
        });
      }
      if (step.deliveredEffectId !== null) {
        const effect = effects.get(step.deliveredEffectId);
        if (effect !== undefined)
          effects.set(effect.id, { ...effect, status: 'delivered', attempts: effect.attempts + 1 });
      }
      for (const change of step.agentLoad) {
        agents = agents.map((agent) =>
          agent.id === change.agentId
            ? {
                ...agent,
                openTickets: Math.max(0, agent.openTickets + change.delta),
                lastAssignedAt: change.delta > 0 ? change.at : agent.lastAssignedAt,
              }
            : agent,
        );
      }
      return Promise.resolve();
    },
    listEvents(ticketId) {
      return Promise.resolve(copy([...(events.get(ticketId) ?? [])]));
    },
    listTimers(ticketId) {
      return Promise.resolve([...timers.values()].filter((t) => t.ticketId === ticketId).map(copy));
    },
    getDueTimers(now, limit) {
      const due = [...timers.values()]
        .filter((t) => t.status === 'scheduled' && t.dueAt <= now)
        .sort((a, b) =>
          a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.generation - b.generation,
        )
        .slice(0, limit);
      return Promise.resolve(due.map(copy));
    },
    getDueEffects(now, limit) {
      return Promise.resolve(
        [...effects.values()]
          .filter((e) => e.status === 'pending' && e.nextAttemptAt <= now)
          // Oldest attempt first; insertion order (the Map's) breaks ties.
          .sort((a, b) =>
            a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : 0,
          )
          .slice(0, limit)
          .map(copy),
      );
    },
    listEffects(ticketId) {
      return Promise.resolve(
        [...effects.values()].filter((e) => e.ticketId === ticketId).map(copy),
      );
    },
    markEffectDelivered(id) {
      const effect = effects.get(id);
      if (effect !== undefined)
        effects.set(id, { ...effect, status: 'delivered', attempts: effect.attempts + 1 });
      return Promise.resolve();
    },
    markEffectFailed(id, error, nextAttemptAt, dead) {
      const effect = effects.get(id);
      if (effect === undefined) return Promise.resolve();
      effects.set(id, {
        ...effect,
        status: dead ? 'dead' : 'pending',
        attempts: effect.attempts + 1,
        nextAttemptAt,
        lastError: error,
      });
      const ticket = tickets.get(effect.ticketId);
      if (dead && ticket !== undefined)
        tickets.set(ticket.id, { ...ticket, failure: { effectId: id, error } });
      return Promise.resolve();
    },
    retryEffect(id, now) {
      const effect = effects.get(id);
      if (effect?.status !== 'dead') return Promise.resolve();
      effects.set(id, {
        ...effect,
        status: 'pending',
        nextAttemptAt: now,
        lastError: effect.lastError,
      });
      const ticket = tickets.get(effect.ticketId);
      if (ticket?.failure?.effectId === id) tickets.set(ticket.id, { ...ticket, failure: null });
      return Promise.resolve();
    },
    listAgents() {
      return Promise.resolve(agents.map(copy));
    },
    getQueuedTickets(teamId, limit, forAgent) {
      return Promise.resolve(
        [...tickets.values()]
          .filter((t) => !t.done && t.ticket.team === teamId && t.ticket.assignee === null)
          .filter((t) => forAgent === undefined || takesQueuedTicket(forAgent, t.snapshot))
          .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
          .slice(0, limit)
          .map(copy),
      );
    },
  };
  return store;
}

export type MemoryStore = ReturnType<typeof createMemoryStore>;
