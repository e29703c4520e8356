// The Store contract, tested directly: every Store implementation (the memory store here, the
// SQLite store in packages/db) runs this one suite. The memory store is the reference semantics;
// the last test drives random step sequences through the store under test and a memory store side
// by side and requires the same outcomes and the same state.
import fc from 'fast-check';
import type { Ticket } from '@switchyard/flow';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createMemoryStore } from '../src/memory-store';
import { ConflictError, DuplicateKeyError } from '../src/store';
import type {
  AgentRecord,
  EffectRecord,
  FlowVersionRecord,
  NewEffect,
  StepCommit,
  Store,
  TicketRecord,
  TimerRecord,
} from '../src/store';
import type { TicketEvent } from '../src/events';
import type { TraceStep } from '../src/trace';

/** A store to test and how to dispose of it. */
export interface StoreUnderTest {
  readonly store: Store;
  close(): Promise<void>;
}

/** The flow version every store under test must hold (tickets reference it). */
export const CONFORMANCE_FLOW_VERSION: FlowVersionRecord = {
  id: 'conformance-v1',
  flowId: 'conformance',
  contentHash: 'conformance-hash-1',
  machine: {
    id: 'flow:conformance',
    type: 'parallel',
    states: { main: { initial: 'open', states: { open: {}, closed: { type: 'final' } } } },
  },
  sourceMap: { states: {}, nodes: {}, edges: {} },
};

function agent(id: string, teamId: string, extra: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id,
    name: `Agent ${id}`,
    email: `${id}@example.com`,
    teamId,
    skills: [],
    capacity: 5,
    openTickets: 0,
    active: true,
    shiftCalendarId: null,
    lastAssignedAt: null,
    role: 'agent',
    ...extra,
  };
}

/** The agents every store under test must hold, in this order. */
export const CONFORMANCE_AGENTS: readonly AgentRecord[] = [
  agent('li', 'tech', { skills: ['login'] }),
  agent('wang', 'tech', { skills: ['login', 'senior'], openTickets: 2 }),
  agent('lead', 'tech', { role: 'lead', capacity: 50 }),
  agent('director', 'tech', { role: 'director', capacity: 50, active: false }),
  agent('zhao', 'billing', { skills: ['billing'], lastAssignedAt: '2026-03-01T08:00:00.000Z' }),
];

// --- building steps ---------------------------------------------------------------------------

const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** An ISO time `ms` after the suite's epoch. */
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const FAR_FUTURE = at(365 * 24 * 60 * MINUTE);

function makeTicket(number: string, createdAt: string, patch: Partial<Ticket> = {}): Ticket {
  return {
    number,
    subject: 'Cannot log in',
    description: 'Since this morning the console rejects my password.',
    channel: 'web',
    customer: {
      id: 'c1',
      name: 'Alice',
      email: 'alice@example.com',
      phone: '',
      tier: 'vip',
      language: 'en',
    },
    category: null,
    subcategory: null,
    priority: 'medium',
    impact: 'single',
    team: null,
    assignee: null,
    status: 'new',
    escalationLevel: 0,
    sla: { responseDueAt: null, resolutionDueAt: null, breached: false },
    csat: { score: null, resolved: null },
    tags: [],
    fields: {},
    createdAt,
    updatedAt: createdAt,
    ...patch,
  };
}

function makeTrace(event: TicketEvent, time: string): TraceStep {
  return {
    event: event.type,
    at: time,
    fromNodes: [],
    toNodes: ['open'],
    entered: [],
    edges: [],
    guards: [],
    effects: [],
    timers: { scheduled: [], cancelled: [], fired: [] },
    notes: [`${event.type} at ${time}`],
  };
}

interface StepOptions {
  /** Milliseconds after the suite's epoch (default: one minute per version). */
  readonly time?: number;
  readonly event?: TicketEvent;
  readonly ticket?: Partial<Ticket>;
  readonly done?: boolean;
  readonly currentNodes?: readonly string[];
  readonly failure?: TicketRecord['failure'];
  readonly schedule?: readonly { key: string; generation: number; dueAt: string }[];
  readonly cancel?: readonly { key: string; generation: number }[];
  readonly fired?: { key: string; generation: number } | null;
  readonly effects?: readonly NewEffect[];
  readonly agentLoad?: readonly { agentId: string; delta: number; at?: string }[];
  readonly deliveredEffectId?: string | null;
  /** Override the version check (a stale step). */
  readonly expectedVersion?: number | null;
  readonly decisions?: Readonly<Record<string, string>>;
  /** The snapshot's `context.runtime` (what the engine records for the queue); default: the previous step's, none at creation. */
  readonly runtime?: { readonly requiredSkills?: readonly string[]; readonly autoAssign?: boolean };
}

function buildStep(
  previous: TicketRecord | null,
  base: { id: string; number: string; idempotencyKey: string | null },
  options: StepOptions,
): StepCommit {
  const version = (previous?.version ?? 0) + 1;
  const time = at(options.time ?? version * MINUTE);
  const createdAt = previous?.createdAt ?? time;
  const previousTicket = previous?.ticket ?? makeTicket(base.number, createdAt);
  const ticket: Ticket = { ...previousTicket, ...options.ticket, updatedAt: time };
  const event: TicketEvent =
    options.event ??
    (previous === null
      ? { type: 'TICKET.CREATED', ticket }
      : { type: 'COMMENT.ADDED', by: 'li', text: `note ${version}` });
  const currentNodes = options.currentNodes ?? ['open'];
  // The runtime stays as the last step that set it left it, as the engine keeps it.
  const runtime =
    options.runtime ??
    (previous?.snapshot as { context?: { runtime?: StepOptions['runtime'] } } | undefined)?.context
      ?.runtime;
  return {
    expectedVersion:
      options.expectedVersion !== undefined ? options.expectedVersion : (previous?.version ?? null),
    ticket: {
      id: base.id,
      number: base.number,
      flowVersionId: CONFORMANCE_FLOW_VERSION.id,
      version,
      ticket,
      snapshot: {
        status: options.done === true ? 'done' : 'active',
        value: { main: currentNodes[0] ?? 'closed', sla: 'idle' },
        context: {
          ticket,
          steps: version,
          ...(runtime !== undefined && {
            runtime: {
              ...(runtime.requiredSkills !== undefined && {
                requiredSkills: [...runtime.requiredSkills],
              }),
              ...(runtime.autoAssign !== undefined && { autoAssign: runtime.autoAssign }),
            },
          }),
        },
      },
      currentNodes: [...currentNodes],
      done: options.done ?? false,
      failure: options.failure !== undefined ? options.failure : (previous?.failure ?? null),
      idempotencyKey: base.idempotencyKey,
      createdAt,
      updatedAt: time,
    },
    event: {
      ticketId: base.id,
      seq: version,
      event,
      at: time,
      trace: makeTrace(event, time),
      decisions: { ...options.decisions },
    },
    schedule: (options.schedule ?? []).map((timer) => ({
      ticketId: base.id,
      status: 'scheduled' as const,
      ...timer,
    })),
    cancel: [...(options.cancel ?? [])],
    fired: options.fired ?? null,
    effects: [...(options.effects ?? [])],
    agentLoad: (options.agentLoad ?? []).map((change) => ({
      agentId: change.agentId,
      delta: change.delta,
      at: change.at ?? time,
    })),
    deliveredEffectId: options.deliveredEffectId ?? null,
  };
}

/** The first step of a ticket (creation). */
function create(
  id: string,
  options: StepOptions & { number?: string; idempotencyKey?: string | null } = {},
): StepCommit {
  return buildStep(
    null,
    {
      id,
      number: options.number ?? `CS20260302${id.padStart(3, '0')}`,
      idempotencyKey: options.idempotencyKey ?? null,
    },
    options,
  );
}

/** The step after `previous`. */
function next(previous: TicketRecord, options: StepOptions = {}): StepCommit {
  return buildStep(previous, previous, options);
}

function email(key: string, to = 'alice@example.com'): NewEffect {
  return {
    idempotencyKey: key,
    kind: 'email',
    payload: { to: [to], subject: `Mail ${key}`, body: 'Hello' },
  };
}

/** Step builders for store-specific tests (e.g. the SQLite store's batching). */
export { create as buildCreationStep, next as buildNextStep, email as buildEmailEffect };

/** Everything a reader can see of some tickets, plus the global queues. */
async function observe(store: Store, ticketIds: readonly string[]) {
  const tickets = [];
  for (const id of ticketIds) {
    tickets.push({
      ticket: await store.getTicketById(id),
      events: await store.listEvents(id),
      timers: await store.listTimers(id),
      effects: await store.listEffects(id),
    });
  }
  return {
    tickets,
    agents: await store.listAgents(),
    dueTimers: await store.getDueTimers(FAR_FUTURE, 1000),
    dueEffects: await store.getDueEffects(FAR_FUTURE, 1000),
    queued: {
      tech: await store.getQueuedTickets('tech', 100),
      billing: await store.getQueuedTickets('billing', 100),
      forAgent: await Promise.all(
        [[], ['login'], ['login', 'senior']].map((skills) =>
          store.getQueuedTickets('tech', 100, { skills }),
        ),
      ),
    },
  };
}

async function getEffect(store: Store, ticketId: string, key: string): Promise<EffectRecord> {
  const effect = (await store.listEffects(ticketId)).find((e) => e.idempotencyKey === key);
  if (effect === undefined) throw new Error(`no effect ${key} on ${ticketId}`);
  return effect;
}

async function mustGet(store: Store, id: string): Promise<TicketRecord> {
  const record = await store.getTicketById(id);
  if (record === null) throw new Error(`ticket ${id} is missing`);
  return record;
}

async function commitAll(store: Store, steps: readonly StepCommit[]): Promise<void> {
  for (const step of steps) await store.commit(step);
}

// --- the suite --------------------------------------------------------------------------------

/**
 * Registers the Store conformance tests for one implementation. `create` returns a fresh, empty
 * store holding {@link CONFORMANCE_FLOW_VERSION} and {@link CONFORMANCE_AGENTS} (in that order).
 *
 * @example
 * describeStoreConformance('memory store', () =>
 *   Promise.resolve({ store: createMemoryStore({ versions: [CONFORMANCE_FLOW_VERSION], agents: [...CONFORMANCE_AGENTS] }), close: () => Promise.resolve() }),
 * );
 */
export function describeStoreConformance(
  name: string,
  create_: () => Promise<StoreUnderTest>,
): void {
  describe(`Store conformance: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    beforeEach(async () => {
      subject = await create_();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.close();
    });

    describe('flow versions and lookups', () => {
      test('returns the seeded flow version and null for unknown ids, numbers and keys', async () => {
        expect(await store.getFlowVersion(CONFORMANCE_FLOW_VERSION.id)).toEqual(
          CONFORMANCE_FLOW_VERSION,
        );
        expect(await store.getFlowVersion('nope')).toBeNull();
        expect(await store.getTicketById('nope')).toBeNull();
        expect(await store.getTicketByNumber('CS20260302999')).toBeNull();
        expect(await store.getTicketByIdempotencyKey('nope')).toBeNull();
        expect(await store.listEvents('nope')).toEqual([]);
        expect(await store.listTimers('nope')).toEqual([]);
        expect(await store.listEffects('nope')).toEqual([]);
      });
    });

    describe('tickets and steps', () => {
      test('a created ticket reads back equal by id, number and idempotency key, with its event', async () => {
        const step = create('1', { idempotencyKey: 'intake-1', decisions: { 'assign#1': 'li' } });
        await store.commit(step);
        expect(await store.getTicketById('1')).toEqual(step.ticket);
        expect(await store.getTicketByNumber(step.ticket.number)).toEqual(step.ticket);
        expect(await store.getTicketByIdempotencyKey('intake-1')).toEqual(step.ticket);
        expect(await store.listEvents('1')).toEqual([step.event]);
      });

      test('every field of a record round-trips: snapshot, current nodes, done, times', async () => {
        const first = create('1', {
          ticket: {
            team: 'tech',
            assignee: 'li',
            status: 'open',
            sla: { responseDueAt: at(2 * 60 * MINUTE), resolutionDueAt: null, breached: false },
          },
        });
        await store.commit(first);
        const second = next(first.ticket, {
          currentNodes: ['wait-a', 'wait-b'],
          done: true,
          ticket: {
            status: 'closed',
            csat: { score: 4, resolved: true },
            tags: ['登录', 'vip'],
            fields: { product: 'console', seats: 3, trial: false, note: null },
          },
        });
        await store.commit(second);
        expect(await store.getTicketById('1')).toEqual(second.ticket);
        expect(await store.listEvents('1')).toEqual([first.event, second.event]);
      });

      test('a step never overwrites the failure that markEffectFailed set (it may have read the ticket before)', async () => {
        const first = create('1', { effects: [email('doomed-mail')] });
        await store.commit(first);
        const stale = next(first.ticket, { ticket: { status: 'open' } });
        const [effect] = await store.listEffects('1');
        if (effect === undefined) throw new Error('the step wrote no effect');
        await store.markEffectFailed(effect.id, 'SMTP 550', at(60 * MINUTE), true);
        await store.commit(stale);
        expect((await mustGet(store, '1')).failure).toEqual({
          effectId: effect.id,
          error: 'SMTP 550',
        });
        const forged = next(await mustGet(store, '1'), {
          failure: { effectId: 'fx-made-up', error: 'x' },
        });
        await store.commit(forged);
        expect((await mustGet(store, '1')).failure?.effectId).not.toBe('fx-made-up');
      });

      test('returned records are copies: changing them changes nothing stored', async () => {
        const step = create('1');
        await store.commit(step);
        const read = await mustGet(store, '1');
        (read.ticket as { subject: string }).subject = 'changed';
        (read.currentNodes as string[]).push('elsewhere');
        const events = await store.listEvents('1');
        (events[0]?.decisions as Record<string, string>).x = 'y';
        expect(await store.getTicketById('1')).toEqual(step.ticket);
        expect(await store.listEvents('1')).toEqual([step.event]);
      });

      test('a step with the current version commits; a stale one throws ConflictError and writes nothing', async () => {
        const first = create('1', {
          schedule: [{ key: 'sla:response', generation: 1, dueAt: at(60 * MINUTE) }],
        });
        await store.commit(first);
        const second = next(first.ticket, { ticket: { status: 'open' } });
        await store.commit(second);
        const before = await observe(store, ['1']);
        const stale = next(first.ticket, {
          ticket: { status: 'resolved' },
          schedule: [{ key: 'survey:send', generation: 2, dueAt: at(30 * MINUTE) }],
          cancel: [{ key: 'sla:response', generation: 1 }],
          effects: [email('stale-mail')],
          agentLoad: [{ agentId: 'li', delta: 1 }],
        });
        await expect(store.commit(stale)).rejects.toBeInstanceOf(ConflictError);
        expect(await observe(store, ['1'])).toEqual(before);
        expect((await mustGet(store, '1')).version).toBe(2);
      });

      test('a step on a ticket that does not exist throws ConflictError', async () => {
        await store.commit(create('1'));
        const orphan = next(await mustGet(store, '1'));
        await expect(
          store.commit({
            ...orphan,
            ticket: { ...orphan.ticket, id: 'ghost' },
            event: { ...orphan.event, ticketId: 'ghost' },
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getTicketById('ghost')).toBeNull();
      });

      test('creating a ticket whose id exists throws ConflictError and leaves the first one', async () => {
        const first = create('1');
        await store.commit(first);
        await expect(
          store.commit(create('1', { number: 'CS20260302777', effects: [email('dup-create')] })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getTicketById('1')).toEqual(first.ticket);
        expect(await store.listEffects('1')).toEqual([]);
      });

      test('creating a ticket with a used idempotency key throws DuplicateKeyError naming the owner, writing nothing', async () => {
        const first = create('1', { idempotencyKey: 'intake-1' });
        await store.commit(first);
        const duplicate = create('2', {
          idempotencyKey: 'intake-1',
          effects: [email('dup-mail')],
          schedule: [{ key: 't', generation: 1, dueAt: at(0) }],
          agentLoad: [{ agentId: 'li', delta: 1 }],
        });
        const before = await observe(store, ['1', '2']);
        const error: unknown = await store.commit(duplicate).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DuplicateKeyError);
        expect((error as DuplicateKeyError).ticketNumber).toBe(first.ticket.number);
        expect(await observe(store, ['1', '2'])).toEqual(before);
        expect(await store.getTicketByIdempotencyKey('intake-1')).toEqual(first.ticket);
      });

      test('tickets without an idempotency key never collide on it', async () => {
        await commitAll(store, [create('1'), create('2'), create('3')]);
        expect((await mustGet(store, '3')).idempotencyKey).toBeNull();
      });

      test('concurrent steps with the same expected version: exactly one commits', async () => {
        const first = create('1');
        await store.commit(first);
        const candidates = Array.from({ length: 6 }, (_, i) =>
          next(first.ticket, {
            ticket: { subject: `candidate ${i}` },
            effects: [email(`race-${i}`)],
          }),
        );
        const results = await Promise.allSettled(candidates.map((step) => store.commit(step)));
        const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
        }
        const winner = candidates[winners[0] ?? -1];
        expect(await store.getTicketById('1')).toEqual(winner?.ticket);
        expect(await store.listEvents('1')).toEqual([first.event, winner?.event]);
        expect((await store.listEffects('1')).map((e) => e.idempotencyKey)).toEqual([
          `race-${winners[0] ?? -1}`,
        ]);
      });

      test('steps committed together succeed or fail independently', async () => {
        const ids = Array.from({ length: 12 }, (_, i) => String(i + 1));
        await Promise.all(ids.map((id) => store.commit(create(id))));
        const records = await Promise.all(ids.map((id) => mustGet(store, id)));
        const steps = records.map((record, i) =>
          i === 4
            ? next(record, { expectedVersion: 7 })
            : next(record, { effects: [email(`batch-${record.id}`)] }),
        );
        const results = await Promise.allSettled(steps.map((step) => store.commit(step)));
        expect(results.map((r) => r.status)).toEqual(
          ids.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
        );
        for (const [i, id] of ids.entries()) {
          expect((await mustGet(store, id)).version).toBe(i === 4 ? 1 : 2);
          expect(await store.listEffects(id)).toHaveLength(i === 4 ? 0 : 1);
        }
      });
    });

    describe('timers', () => {
      test('due timers: scheduled, due at or before now, oldest first (then by generation), up to the limit', async () => {
        await store.commit(
          create('1', {
            schedule: [
              { key: 'late', generation: 1, dueAt: at(30 * MINUTE) },
              { key: 'early', generation: 2, dueAt: at(10 * MINUTE) },
              { key: 'future', generation: 3, dueAt: at(90 * MINUTE) },
            ],
          }),
        );
        await store.commit(
          create('2', {
            schedule: [
              { key: 'tie-b', generation: 5, dueAt: at(20 * MINUTE) },
              { key: 'tie-a', generation: 4, dueAt: at(20 * MINUTE) },
              { key: 'boundary', generation: 1, dueAt: at(60 * MINUTE) },
            ],
          }),
        );
        const due = await store.getDueTimers(at(60 * MINUTE), 10);
        expect(due.map((t) => `${t.ticketId}:${t.key}`)).toEqual([
          '1:early',
          '2:tie-a',
          '2:tie-b',
          '1:late',
          '2:boundary',
        ]);
        expect(due[0]).toEqual({
          ticketId: '1',
          key: 'early',
          generation: 2,
          dueAt: at(10 * MINUTE),
          status: 'scheduled',
        });
        expect((await store.getDueTimers(at(60 * MINUTE), 2)).map((t) => t.key)).toEqual([
          'early',
          'tie-a',
        ]);
        expect(await store.getDueTimers(at(10 * MINUTE - 1), 10)).toEqual([]);
        expect((await store.listTimers('1')).map((t) => t.key)).toEqual([
          'late',
          'early',
          'future',
        ]);
      });

      test('a timer fires once: firing it again throws ConflictError and writes nothing', async () => {
        const first = create('1', {
          schedule: [{ key: 'survey:send', generation: 1, dueAt: at(MINUTE) }],
        });
        await store.commit(first);
        const fire = next(first.ticket, {
          event: { type: 'TIMER.FIRED', timerId: 'survey:send' },
          fired: { key: 'survey:send', generation: 1 },
          effects: [email('survey-mail')],
        });
        await store.commit(fire);
        expect(await store.listTimers('1')).toEqual([
          { ticketId: '1', key: 'survey:send', generation: 1, dueAt: at(MINUTE), status: 'fired' },
        ]);
        expect(await store.getDueTimers(FAR_FUTURE, 10)).toEqual([]);
        const before = await observe(store, ['1']);
        const again = next(fire.ticket, {
          event: { type: 'TIMER.FIRED', timerId: 'survey:send' },
          fired: { key: 'survey:send', generation: 1 },
          effects: [email('survey-mail-2')],
        });
        await expect(store.commit(again)).rejects.toBeInstanceOf(ConflictError);
        expect(await observe(store, ['1'])).toEqual(before);
      });

      test('a step whose fired timer is no longer scheduled writes nothing at all (atomicity)', async () => {
        const first = create('1', {
          ticket: { team: 'tech', assignee: 'li' },
          schedule: [
            { key: 'sla:response', generation: 1, dueAt: at(MINUTE) },
            { key: 'sla:resolution', generation: 2, dueAt: at(60 * MINUTE) },
          ],
          effects: [email('ack')],
          agentLoad: [{ agentId: 'li', delta: 1 }],
        });
        await store.commit(first);
        const ack = await getEffect(store, '1', 'ack');
        const cancel = next(first.ticket, { cancel: [{ key: 'sla:response', generation: 1 }] });
        await store.commit(cancel);
        const before = await observe(store, ['1']);
        const late = next(cancel.ticket, {
          event: { type: 'TIMER.FIRED', timerId: 'sla:response' },
          fired: { key: 'sla:response', generation: 1 },
          ticket: { status: 'escalated', escalationLevel: 1, assignee: 'lead' },
          schedule: [{ key: 'sla:escalation', generation: 3, dueAt: at(2 * 60 * MINUTE) }],
          cancel: [{ key: 'sla:resolution', generation: 2 }],
          effects: [email('escalation', 'lead@example.com')],
          agentLoad: [
            { agentId: 'li', delta: -1 },
            { agentId: 'lead', delta: 1 },
          ],
          deliveredEffectId: ack.id,
        });
        await expect(store.commit(late)).rejects.toBeInstanceOf(ConflictError);
        expect(await observe(store, ['1'])).toEqual(before);
      });

      test('a timer that never existed cannot be fired', async () => {
        const first = create('1');
        await store.commit(first);
        await expect(
          store.commit(next(first.ticket, { fired: { key: 'nope', generation: 1 } })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await mustGet(store, '1')).version).toBe(1);
      });

      test('a late firing of an older generation is refused; the current generation fires', async () => {
        const first = create('1', {
          schedule: [{ key: 'wait', generation: 1, dueAt: at(MINUTE) }],
        });
        await store.commit(first);
        const reenter = next(first.ticket, {
          cancel: [{ key: 'wait', generation: 1 }],
          schedule: [{ key: 'wait', generation: 2, dueAt: at(5 * MINUTE) }],
        });
        await store.commit(reenter);
        expect((await store.getDueTimers(FAR_FUTURE, 10)).map((t) => t.generation)).toEqual([2]);
        await expect(
          store.commit(next(reenter.ticket, { fired: { key: 'wait', generation: 1 } })),
        ).rejects.toBeInstanceOf(ConflictError);
        await store.commit(next(reenter.ticket, { fired: { key: 'wait', generation: 2 } }));
        expect((await store.listTimers('1')).map((t) => `${t.generation}:${t.status}`)).toEqual([
          '1:cancelled',
          '2:fired',
        ]);
      });

      test('cancelling touches only scheduled timers; unknown ones are ignored', async () => {
        const first = create('1', {
          schedule: [
            { key: 'a', generation: 1, dueAt: at(MINUTE) },
            { key: 'b', generation: 2, dueAt: at(MINUTE) },
          ],
        });
        await store.commit(first);
        const fire = next(first.ticket, { fired: { key: 'a', generation: 1 } });
        await store.commit(fire);
        await store.commit(
          next(fire.ticket, {
            cancel: [
              { key: 'a', generation: 1 },
              { key: 'b', generation: 2 },
              { key: 'zzz', generation: 9 },
            ],
          }),
        );
        expect((await store.listTimers('1')).map((t) => `${t.key}:${t.status}`)).toEqual([
          'a:fired',
          'b:cancelled',
        ]);
        expect(await store.getDueTimers(FAR_FUTURE, 10)).toEqual([]);
      });

      test('a step may fire a timer and cancel it too: it ends fired', async () => {
        const first = create('1', { schedule: [{ key: 'a', generation: 1, dueAt: at(MINUTE) }] });
        await store.commit(first);
        await store.commit(
          next(first.ticket, {
            fired: { key: 'a', generation: 1 },
            cancel: [{ key: 'a', generation: 1 }],
          }),
        );
        expect((await store.listTimers('1')).map((t) => t.status)).toEqual(['fired']);
      });

      test('scheduling the same key and generation again replaces that timer in place', async () => {
        const first = create('1', {
          schedule: [
            { key: 'a', generation: 1, dueAt: at(MINUTE) },
            { key: 'b', generation: 2, dueAt: at(MINUTE) },
          ],
        });
        await store.commit(first);
        const cancel = next(first.ticket, { cancel: [{ key: 'a', generation: 1 }] });
        await store.commit(cancel);
        await store.commit(
          next(cancel.ticket, { schedule: [{ key: 'a', generation: 1, dueAt: at(3 * MINUTE) }] }),
        );
        const expected: TimerRecord[] = [
          { ticketId: '1', key: 'a', generation: 1, dueAt: at(3 * MINUTE), status: 'scheduled' },
          { ticketId: '1', key: 'b', generation: 2, dueAt: at(MINUTE), status: 'scheduled' },
        ];
        expect(await store.listTimers('1')).toEqual(expected);
      });
    });

    describe('effects (outbox)', () => {
      test('new effects are pending, not yet attempted, due at the step time, listed per ticket in order', async () => {
        const first = create('1', {
          time: 5 * MINUTE,
          effects: [
            email('m1'),
            {
              idempotencyKey: 'w1',
              kind: 'webhook',
              payload: { url: 'https://hooks.example/x', body: { n: 1 } },
            },
            { idempotencyKey: 'i1', kind: 'in-app', payload: { to: ['li'], text: 'new ticket' } },
          ],
        });
        await store.commit(first);
        const effects = await store.listEffects('1');
        expect(effects).toEqual([
          {
            id: expect.any(String),
            ticketId: '1',
            idempotencyKey: 'm1',
            kind: 'email',
            payload: first.effects[0]?.payload,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at(5 * MINUTE),
            lastError: null,
          },
          {
            id: expect.any(String),
            ticketId: '1',
            idempotencyKey: 'w1',
            kind: 'webhook',
            payload: first.effects[1]?.payload,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at(5 * MINUTE),
            lastError: null,
          },
          {
            id: expect.any(String),
            ticketId: '1',
            idempotencyKey: 'i1',
            kind: 'in-app',
            payload: first.effects[2]?.payload,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at(5 * MINUTE),
            lastError: null,
          },
        ]);
        expect(new Set(effects.map((e) => e.id)).size).toBe(3);
      });

      test('due effects: pending and due at or before now, oldest first, up to the limit', async () => {
        await store.commit(create('1', { time: MINUTE, effects: [email('a')] }));
        await store.commit(create('2', { time: 2 * MINUTE, effects: [email('b'), email('c')] }));
        await store.commit(create('3', { time: 3 * MINUTE, effects: [email('d')] }));
        expect(
          (await store.getDueEffects(at(2 * MINUTE), 10)).map((e) => e.idempotencyKey),
        ).toEqual(['a', 'b', 'c']);
        expect((await store.getDueEffects(at(3 * MINUTE), 2)).map((e) => e.idempotencyKey)).toEqual(
          ['a', 'b'],
        );
        expect(await store.getDueEffects(at(MINUTE - 1), 10)).toEqual([]);
      });

      test('a duplicate effect idempotency key fails the whole step with ConflictError', async () => {
        const first = create('1', { effects: [email('once')] });
        await store.commit(first);
        const before = await observe(store, ['1']);
        await expect(
          store.commit(
            next(first.ticket, {
              effects: [email('fresh'), email('once')],
              schedule: [{ key: 't', generation: 1, dueAt: at(0) }],
            }),
          ),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await observe(store, ['1'])).toEqual(before);
      });

      test('markEffectDelivered: delivered, one attempt more, never due again', async () => {
        await store.commit(create('1', { effects: [email('m1'), email('m2')] }));
        const m1 = await getEffect(store, '1', 'm1');
        await store.markEffectDelivered(m1.id);
        expect(await getEffect(store, '1', 'm1')).toEqual({
          ...m1,
          status: 'delivered',
          attempts: 1,
        });
        expect((await store.getDueEffects(FAR_FUTURE, 10)).map((e) => e.idempotencyKey)).toEqual([
          'm2',
        ]);
      });

      test('a failed attempt that will be retried: pending later, attempt and error recorded, ticket not failed', async () => {
        await store.commit(create('1', { effects: [email('m1')] }));
        const m1 = await getEffect(store, '1', 'm1');
        await store.markEffectFailed(m1.id, 'SMTP 421 try later', at(10 * MINUTE), false);
        expect(await getEffect(store, '1', 'm1')).toEqual({
          ...m1,
          status: 'pending',
          attempts: 1,
          nextAttemptAt: at(10 * MINUTE),
          lastError: 'SMTP 421 try later',
        });
        expect(await store.getDueEffects(at(10 * MINUTE - 1), 10)).toEqual([]);
        expect(
          (await store.getDueEffects(at(10 * MINUTE), 10)).map((e) => e.idempotencyKey),
        ).toEqual(['m1']);
        expect((await mustGet(store, '1')).failure).toBeNull();
      });

      test('a dead effect marks the ticket failed; retrying it queues it now and clears the failure', async () => {
        const first = create('1', { effects: [email('m1')] });
        await store.commit(first);
        const m1 = await getEffect(store, '1', 'm1');
        await store.markEffectFailed(m1.id, 'SMTP 550 no such user', at(99 * MINUTE), true);
        expect(await getEffect(store, '1', 'm1')).toEqual({
          ...m1,
          status: 'dead',
          attempts: 1,
          nextAttemptAt: at(99 * MINUTE),
          lastError: 'SMTP 550 no such user',
        });
        expect(await store.getDueEffects(FAR_FUTURE, 10)).toEqual([]);
        const failed = await mustGet(store, '1');
        expect(failed).toEqual({
          ...first.ticket,
          failure: { effectId: m1.id, error: 'SMTP 550 no such user' },
        });

        await store.retryEffect(m1.id, at(120 * MINUTE));
        expect(await getEffect(store, '1', 'm1')).toEqual({
          ...m1,
          status: 'pending',
          attempts: 1,
          nextAttemptAt: at(120 * MINUTE),
          lastError: 'SMTP 550 no such user',
        });
        expect(
          (await store.getDueEffects(at(120 * MINUTE), 10)).map((e) => e.idempotencyKey),
        ).toEqual(['m1']);
        expect(await store.getTicketById('1')).toEqual(first.ticket);
      });

      test('the next step carries the failure; retrying an effect that is not dead changes nothing', async () => {
        const first = create('1', { effects: [email('m1'), email('m2')] });
        await store.commit(first);
        const m1 = await getEffect(store, '1', 'm1');
        const m2 = await getEffect(store, '1', 'm2');
        await store.markEffectFailed(m1.id, 'bounced', at(0), true);
        const failed = await mustGet(store, '1');
        await store.commit(next(failed));
        expect((await mustGet(store, '1')).failure).toEqual({ effectId: m1.id, error: 'bounced' });
        await store.retryEffect(m2.id, at(0));
        expect(await getEffect(store, '1', 'm2')).toEqual(m2);
        expect((await mustGet(store, '1')).failure).toEqual({ effectId: m1.id, error: 'bounced' });
        await store.markEffectFailed('no-such-effect', 'x', at(0), true);
        await store.retryEffect('no-such-effect', at(0));
        expect((await mustGet(store, '1')).failure).toEqual({ effectId: m1.id, error: 'bounced' });
      });

      test('a step that delivered an effect marks it delivered in the same transaction', async () => {
        const first = create('1', {
          effects: [
            {
              idempotencyKey: 'call',
              kind: 'http',
              payload: { url: 'https://api.example/x', nodeId: 'call' },
            },
          ],
        });
        await store.commit(first);
        const call = await getEffect(store, '1', 'call');
        await store.commit(
          next(first.ticket, {
            event: {
              type: 'ACTION.COMPLETED',
              nodeId: 'call',
              ok: true,
              status: 200,
              body: { ok: true },
            },
            deliveredEffectId: call.id,
          }),
        );
        expect(await getEffect(store, '1', 'call')).toEqual({
          ...call,
          status: 'delivered',
          attempts: 1,
        });
        expect(await store.getDueEffects(FAR_FUTURE, 10)).toEqual([]);
      });
    });

    describe('agents', () => {
      test('lists the seeded agents', async () => {
        expect(await store.listAgents()).toEqual(CONFORMANCE_AGENTS);
      });

      test('load deltas: +1 counts and stamps lastAssignedAt, -1 counts down to no less than 0; unknown agents are ignored', async () => {
        const first = create('1', {
          time: MINUTE,
          agentLoad: [
            { agentId: 'li', delta: 1 },
            { agentId: 'wang', delta: -1 },
            { agentId: 'ghost', delta: 1 },
          ],
        });
        await store.commit(first);
        const second = next(first.ticket, {
          time: 2 * MINUTE,
          agentLoad: [
            { agentId: 'wang', delta: -1 },
            { agentId: 'wang', delta: -1 },
            { agentId: 'zhao', delta: -1 },
            { agentId: 'li', delta: 1, at: at(90 * SECOND) },
          ],
        });
        await store.commit(second);
        const agents = await store.listAgents();
        const byId = new Map(agents.map((a) => [a.id, a]));
        expect(byId.get('li')).toEqual({
          ...CONFORMANCE_AGENTS[0],
          openTickets: 2,
          lastAssignedAt: at(90 * SECOND),
        });
        expect(byId.get('wang')).toEqual({ ...CONFORMANCE_AGENTS[1], openTickets: 0 });
        expect(byId.get('zhao')).toEqual(CONFORMANCE_AGENTS[4]);
        expect(agents.map((a) => a.id)).toEqual(CONFORMANCE_AGENTS.map((a) => a.id));
      });
    });

    describe('queued tickets', () => {
      test('a team’s queue: no assignee, not done, oldest first, up to the limit', async () => {
        await commitAll(store, [
          create('1', { time: 3 * MINUTE, ticket: { team: 'tech' } }),
          create('2', { time: 1 * MINUTE, ticket: { team: 'tech' } }),
          create('3', { time: 2 * MINUTE, ticket: { team: 'tech', assignee: 'li' } }),
          create('4', { time: 0, ticket: { team: 'tech' }, done: true }),
          create('5', { time: 0, ticket: { team: 'billing' } }),
          create('6', { time: 4 * MINUTE, ticket: { team: 'tech', assignee: 'someone-outside' } }),
          create('7', { time: 5 * MINUTE, ticket: { team: 'tech' } }),
        ]);
        expect((await store.getQueuedTickets('tech', 10)).map((t) => t.id)).toEqual([
          '2',
          '1',
          '7',
        ]);
        expect((await store.getQueuedTickets('tech', 2)).map((t) => t.id)).toEqual(['2', '1']);
        expect((await store.getQueuedTickets('billing', 10)).map((t) => t.id)).toEqual(['5']);
        expect(await store.getQueuedTickets('nobody', 10)).toEqual([]);
        const queued = await mustGet(store, '2');
        await store.commit(next(queued, { ticket: { assignee: 'wang' } }));
        expect((await store.getQueuedTickets('tech', 10)).map((t) => t.id)).toEqual(['1', '7']);
        expect((await store.getQueuedTickets('tech', 1))[0]).toEqual(
          await store.getTicketById('1'),
        );
      });

      test('for an agent: only tickets whose recorded required skills the agent has all of', async () => {
        await commitAll(store, [
          // Stored before required skills were recorded: no runtime at all, anyone may take it.
          create('1', { time: 1 * MINUTE, ticket: { team: 'tech' } }),
          create('2', {
            time: 2 * MINUTE,
            ticket: { team: 'tech' },
            runtime: { requiredSkills: ['senior'], autoAssign: true },
          }),
          create('3', {
            time: 3 * MINUTE,
            ticket: { team: 'tech' },
            runtime: { requiredSkills: ['login', 'senior'] },
          }),
          create('4', {
            time: 4 * MINUTE,
            ticket: { team: 'tech' },
            runtime: { autoAssign: true },
          }),
          // Waiting for the team to pick it by hand (`queue` strategy): never handed out.
          create('5', {
            time: 5 * MINUTE,
            ticket: { team: 'tech' },
            runtime: { autoAssign: false },
          }),
          create('6', {
            time: 6 * MINUTE,
            ticket: { team: 'tech' },
            runtime: { requiredSkills: [] },
          }),
          create('7', {
            time: 0,
            ticket: { team: 'tech', assignee: 'wang' },
            runtime: { requiredSkills: ['login'] },
          }),
          create('8', {
            time: 0,
            ticket: { team: 'billing' },
            runtime: { requiredSkills: ['login'] },
          }),
        ]);
        const forSkills = async (skills: string[], limit = 10) =>
          (await store.getQueuedTickets('tech', limit, { skills })).map((t) => t.id);
        expect(await forSkills([])).toEqual(['1', '4', '6']);
        expect(await forSkills(['login'])).toEqual(['1', '4', '6']);
        expect(await forSkills(['senior'])).toEqual(['1', '2', '4', '6']);
        expect(await forSkills(['billing', 'login', 'senior'])).toEqual(['1', '2', '3', '4', '6']);
        // The limit counts matching tickets only: the oldest a senior-less agent may take.
        expect(await forSkills(['login'], 2)).toEqual(['1', '4']);
        // Skills are compared as recorded (both sides normalized by the engine).
        expect(await forSkills(['Senior'])).toEqual(['1', '4', '6']);
        // Without the filter the queue is every waiting ticket, pick-by-hand ones too.
        expect((await store.getQueuedTickets('tech', 10)).map((t) => t.id)).toEqual([
          '1',
          '2',
          '3',
          '4',
          '5',
          '6',
        ]);
        expect(
          (await store.getQueuedTickets('billing', 10, { skills: ['login'] })).map((t) => t.id),
        ).toEqual(['8']);
        expect(await store.getQueuedTickets('billing', 10, { skills: [] })).toEqual([]);
        const [first] = await store.getQueuedTickets('tech', 1, { skills: ['senior'] });
        expect(first).toEqual(await store.getTicketById('1'));
      });
    });

    describe('ticket sequences', () => {
      test('hands out 1, 2, 3… per day, each number once, under concurrent calls', async () => {
        const days = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? '20260302' : '20260303'));
        const numbers = await Promise.all(days.map((day) => store.nextTicketSequence(day)));
        const of = (day: string) => numbers.filter((_, i) => days[i] === day).sort((a, b) => a - b);
        expect(of('20260302')).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(of('20260303')).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await store.nextTicketSequence('20260302')).toBe(21);
        expect(await store.nextTicketSequence('20260304')).toBe(1);
      });
    });

    describe('against the reference (memory store)', () => {
      test('random step sequences give the same outcomes and the same state', async () => {
        await fc.assert(
          fc.asyncProperty(operationsArbitrary, async (operations) => {
            const subjectRun = await create_();
            try {
              const reference = createMemoryStore({
                versions: [CONFORMANCE_FLOW_VERSION],
                agents: [...CONFORMANCE_AGENTS],
              });
              await runModel(reference, subjectRun.store, operations);
            } finally {
              await subjectRun.close();
            }
          }),
          { numRuns: 25 },
        );
      }, 120_000);
    });
  });
}

// --- model-based comparison -------------------------------------------------------------------

const TICKET_IDS = ['1', '2', '3'] as const;
const TIMER_KEYS = ['a', 'b', 'c'] as const;
const AGENT_IDS = ['li', 'wang', 'zhao', 'ghost'] as const;

type Operation =
  | {
      kind: 'create';
      ticket: number;
      key: string | null;
      team: 'tech' | 'billing' | null;
      assignee: boolean;
      runtime: StepOptions['runtime'];
    }
  | {
      kind: 'step';
      ticket: number;
      stale: boolean;
      schedule: readonly { key: number; delayMin: number }[];
      cancel: readonly number[];
      fire: number | null;
      effects: number;
      duplicateEffect: boolean;
      agentLoad: readonly { agent: number; delta: number }[];
      deliver: number | null;
      done: boolean;
      unassign: boolean;
    }
  | { kind: 'race'; ticket: number; count: number }
  | { kind: 'delivered'; effect: number }
  | { kind: 'failed'; effect: number; dead: boolean; delayMin: number }
  | { kind: 'retry'; effect: number; delayMin: number }
  | { kind: 'sequence'; day: number };

const createArbitrary = fc.record({
  kind: fc.constant('create' as const),
  ticket: fc.nat(TICKET_IDS.length - 1),
  key: fc.option(fc.constantFrom('k1', 'k2'), { nil: null }),
  team: fc.constantFrom('tech' as const, 'billing' as const, null),
  assignee: fc.boolean(),
  // What the engine records for the queue; none on tickets stored before it did.
  runtime: fc.option(
    fc.record(
      {
        requiredSkills: fc.subarray(['login', 'senior']),
        autoAssign: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
});

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: createArbitrary, weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      ticket: fc.nat(TICKET_IDS.length - 1),
      stale: fc.nat(9).map((n) => n < 1),
      schedule: fc.array(
        fc.record({
          key: fc.nat(TIMER_KEYS.length - 1),
          delayMin: fc.integer({ min: -5, max: 30 }),
        }),
        { maxLength: 2 },
      ),
      cancel: fc.array(fc.nat(8), { maxLength: 2 }),
      fire: fc.option(fc.nat(8), { nil: null, freq: 2 }),
      effects: fc.nat(2),
      duplicateEffect: fc.nat(19).map((n) => n < 1),
      agentLoad: fc.array(
        fc.record({ agent: fc.nat(AGENT_IDS.length - 1), delta: fc.constantFrom(-1, 1) }),
        { maxLength: 2 },
      ),
      deliver: fc.option(fc.nat(8), { nil: null, freq: 2 }),
      done: fc.nat(9).map((n) => n < 1),
      unassign: fc.boolean(),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      ticket: fc.nat(TICKET_IDS.length - 1),
      count: fc.integer({ min: 2, max: 4 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('delivered' as const), effect: fc.nat(8) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('failed' as const),
      effect: fc.nat(8),
      dead: fc.boolean(),
      delayMin: fc.integer({ min: 0, max: 30 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('retry' as const),
      effect: fc.nat(8),
      delayMin: fc.integer({ min: 0, max: 30 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('sequence' as const), day: fc.nat(1) }), weight: 1 },
);

/** Three tickets first (so most steps have one to act on), then anything. */
const operationsArbitrary: fc.Arbitrary<Operation[]> = fc
  .tuple(
    fc.array(createArbitrary, { minLength: 3, maxLength: 3 }),
    fc.array(operationArbitrary, { minLength: 15, maxLength: 60 }),
  )
  .map(([creates, rest]) => [...creates.map((op, i) => ({ ...op, ticket: i })), ...rest]);

type Outcome = { ok: true; value?: unknown } | { ok: false; error: string };

async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = await run();
    return value === undefined ? { ok: true } : { ok: true, value };
  } catch (error: unknown) {
    return { ok: false, error: error instanceof Error ? error.name : String(error) };
  }
}

/** The state of a store with effect ids replaced by idempotency keys (ids are store-specific). */
async function observeComparable(store: Store) {
  const state = await observe(store, TICKET_IDS);
  const keyOf = new Map(
    state.tickets.flatMap((t) => t.effects.map((e) => [e.id, e.idempotencyKey] as const)),
  );
  const plain = (effect: EffectRecord) => ({ ...effect, id: effect.idempotencyKey });
  const ticket = (record: TicketRecord | null) =>
    record === null
      ? null
      : {
          ...record,
          failure:
            record.failure === null
              ? null
              : {
                  ...record.failure,
                  effectId: keyOf.get(record.failure.effectId) ?? record.failure.effectId,
                },
        };
  return {
    tickets: state.tickets.map((t) => ({
      ...t,
      ticket: ticket(t.ticket),
      effects: t.effects.map(plain),
    })),
    agents: state.agents,
    dueTimers: state.dueTimers,
    // Both stores agree on effects due in creation order; keep the comparison to the set.
    dueEffects: state.dueEffects
      .map(plain)
      .sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : 1)),
    queued: {
      tech: state.queued.tech.map(ticket),
      billing: state.queued.billing.map(ticket),
      forAgent: state.queued.forAgent.map((queue) => queue.map(ticket)),
    },
  };
}

async function runModel(
  reference: Store,
  subject: Store,
  operations: readonly Operation[],
): Promise<void> {
  let clock = 0;
  let generation = 0;
  let effectCounter = 0;
  const stores = [reference, subject] as const;

  async function effectId(store: Store, index: number): Promise<string> {
    const all = (await Promise.all(TICKET_IDS.map((id) => store.listEffects(id))))
      .flat()
      .sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : 1));
    return all.length === 0 ? 'none' : (all[index % all.length]?.id ?? 'none');
  }

  async function translateEffectId(referenceId: string): Promise<string> {
    const all = async (store: Store) =>
      (await Promise.all(TICKET_IDS.map((id) => store.listEffects(id)))).flat();
    const key = (await all(reference)).find((e) => e.id === referenceId)?.idempotencyKey;
    return (await all(subject)).find((e) => e.idempotencyKey === key)?.id ?? referenceId;
  }

  /** The same step for the subject: effect ids are each store's own, so name its effects. */
  async function forSubject(step: StepCommit): Promise<StepCommit> {
    const { failure } = step.ticket;
    return {
      ...step,
      ticket: {
        ...step.ticket,
        failure:
          failure === null
            ? null
            : { ...failure, effectId: await translateEffectId(failure.effectId) },
      },
      deliveredEffectId:
        step.deliveredEffectId === null ? null : await translateEffectId(step.deliveredEffectId),
    };
  }

  for (const [index, operation] of operations.entries()) {
    clock += MINUTE;
    const outcomes: Outcome[] = [];
    const context = `operation ${index}: ${JSON.stringify(operation)}`;
    switch (operation.kind) {
      case 'create': {
        const id = TICKET_IDS[operation.ticket] ?? '1';
        const step = create(id, {
          time: clock,
          idempotencyKey: operation.key,
          ticket: { team: operation.team, assignee: operation.assignee ? 'li' : null },
          effects: [email(`create-${index}`)],
          agentLoad: operation.assignee ? [{ agentId: 'li', delta: 1 }] : [],
          ...(operation.runtime !== undefined && { runtime: operation.runtime }),
        });
        for (const store of stores) outcomes.push(await settle(() => store.commit(step)));
        break;
      }
      case 'step': {
        const id = TICKET_IDS[operation.ticket] ?? '1';
        const previous = await reference.getTicketById(id);
        if (previous === null) continue;
        const timers = await reference.listTimers(id);
        const pick = (n: number) => timers[n % Math.max(1, timers.length)];
        const effects = Array.from({ length: operation.effects }, () =>
          email(`fx-${++effectCounter}`),
        );
        if (operation.duplicateEffect) effects.push(email('create-0'));
        const delivered =
          operation.deliver === null ? null : await effectId(reference, operation.deliver);
        const step = next(previous, {
          time: clock,
          expectedVersion: operation.stale ? previous.version - 1 : previous.version,
          schedule: operation.schedule.map((s) => ({
            key: TIMER_KEYS[s.key] ?? 'a',
            generation: ++generation,
            dueAt: at(clock + s.delayMin * MINUTE),
          })),
          cancel: operation.cancel.flatMap((n) => {
            const timer = pick(n);
            return timer === undefined ? [] : [{ key: timer.key, generation: timer.generation }];
          }),
          fired:
            operation.fire === null
              ? null
              : ((t) =>
                  t === undefined
                    ? { key: 'a', generation: 0 }
                    : { key: t.key, generation: t.generation })(pick(operation.fire)),
          effects,
          agentLoad: operation.agentLoad.map((change) => ({
            agentId: AGENT_IDS[change.agent] ?? 'li',
            delta: change.delta,
          })),
          deliveredEffectId: delivered,
          done: operation.done,
          ...(operation.unassign && { ticket: { assignee: null } }),
        });
        outcomes.push(await settle(() => reference.commit(step)));
        const subjectStep = await forSubject(step);
        outcomes.push(await settle(() => subject.commit(subjectStep)));
        break;
      }
      case 'race': {
        const id = TICKET_IDS[operation.ticket] ?? '1';
        const previous = await reference.getTicketById(id);
        if (previous === null) continue;
        const steps = Array.from({ length: operation.count }, (_, i) =>
          next(previous, { time: clock, ticket: { subject: `race ${i}` } }),
        );
        const subjectSteps = await Promise.all(steps.map(forSubject));
        for (const [store, batch] of [
          [reference, steps],
          [subject, subjectSteps],
        ] as const) {
          const results = await Promise.allSettled(batch.map((step) => store.commit(step)));
          outcomes.push({
            ok: true,
            value: results.map((r) =>
              r.status === 'fulfilled' ? 'ok' : r.reason instanceof Error ? r.reason.name : 'error',
            ),
          });
        }
        break;
      }
      case 'delivered':
        for (const store of stores) {
          const id = await effectId(store, operation.effect);
          outcomes.push(await settle(() => store.markEffectDelivered(id)));
        }
        break;
      case 'failed':
        for (const store of stores) {
          const id = await effectId(store, operation.effect);
          outcomes.push(
            await settle(() =>
              store.markEffectFailed(
                id,
                `error ${index}`,
                at(clock + operation.delayMin * MINUTE),
                operation.dead,
              ),
            ),
          );
        }
        break;
      case 'retry':
        for (const store of stores) {
          const id = await effectId(store, operation.effect);
          outcomes.push(
            await settle(() => store.retryEffect(id, at(clock + operation.delayMin * MINUTE))),
          );
        }
        break;
      case 'sequence':
        for (const store of stores)
          outcomes.push(
            await settle(() => store.nextTicketSequence(`2026030${operation.day + 2}`)),
          );
        break;
    }
    expect(outcomes[1], context).toEqual(outcomes[0]);
  }
  expect(await observeComparable(subject)).toEqual(await observeComparable(reference));
}
