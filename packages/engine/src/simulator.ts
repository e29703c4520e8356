import { compileFlow } from '@switchyard/compiler';
import type { Diagnostic, Calendar, Ticket, TicketInput } from '@switchyard/flow';
import { parseDuration } from '@switchyard/flow';
import { z } from 'zod';
import { createEngine } from './engine';
import type { DeliveryOutcome } from './engine';
import { createMemoryStore } from './memory-store';
import type { FlowMachine, IntentModel } from './runtime';
import type { AgentRecord, EffectRecord, FlowVersionRecord } from './store';
import type { TraceStep } from './trace';

/**
 * The simulator IS the engine: a virtual clock, the in-memory store and recorded effects. No
 * second interpreter, nothing leaves the process, and 30 virtual days take milliseconds.
 */

/** `+30m`, `+2h`, `+1d2h` relative to ticket creation. */
const offsetSchema = z.string().regex(/^\+?(?:\d+[dhms])+$/, 'Use an offset like "+30m" or "+2h"');

export const scriptedEventSchema = z
  .object({ at: offsetSchema, type: z.string().min(1) })
  .catchall(z.unknown());
export type ScriptedEvent = z.infer<typeof scriptedEventSchema>;

/** Canned answers for outbound HTTP calls, keyed by node id. */
export const httpResponseSchema = z.object({
  ok: z.boolean().default(true),
  status: z.number().int().default(200),
  body: z.unknown().optional(),
});

export const simulationAgentSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  teamId: z.string().min(1),
  skills: z.array(z.string()).default([]),
  capacity: z.number().int().min(0).default(10),
  openTickets: z.number().int().min(0).default(0),
  role: z.enum(['agent', 'lead', 'director']).default('agent'),
  shiftCalendarId: z.string().nullable().default(null),
});

export interface SimulationInput {
  readonly version: FlowVersionRecord;
  readonly ticket: TicketInput;
  readonly events?: readonly ScriptedEvent[];
  /** Stop after this much virtual time (default 30 days). */
  readonly until?: string;
  readonly start?: number;
  readonly agents?: readonly AgentRecord[];
  readonly calendars?: readonly Calendar[];
  readonly httpResponses?: Readonly<Record<string, z.infer<typeof httpResponseSchema>>>;
  readonly models?: { get(modelId: string): IntentModel | undefined };
  readonly timeZone?: string;
  /** Reuse compiled machines across runs with the same flow version, calendars and models. */
  readonly cache?: SimulationCache;
}

/** Compiled flow machines shared by simulations (create one per suite or benchmark). */
export type SimulationCache = Map<string, FlowMachine>;

export function createSimulationCache(): SimulationCache {
  return new Map();
}

export interface SimulationStep extends TraceStep {
  /** Virtual time since creation, in ms. */
  readonly offsetMs: number;
}

export interface SimulationResult {
  readonly steps: readonly SimulationStep[];
  readonly ticket: Ticket;
  /** Node ids in the order they were entered. */
  readonly path: readonly string[];
  readonly coveredEdges: readonly string[];
  readonly effects: readonly EffectRecord[];
  readonly done: boolean;
  /** Scripted events the flow did not accept at their time, with the reason. */
  readonly rejected: readonly {
    readonly at: string;
    readonly type: string;
    readonly reason: string;
  }[];
}

export const DEFAULT_SIMULATION_START = Date.parse('2026-03-02T01:00:00Z');
const DEFAULT_UNTIL = 30 * 86_400_000;

/** Default agents when a scenario names none: one agent, a lead and a director per team. */
export function getDefaultAgents(version: FlowVersionRecord): AgentRecord[] {
  const teams = Array.isArray(version.machine.meta?.teams)
    ? (version.machine.meta.teams as { id: string; skills?: string[] }[])
    : [];
  return teams.flatMap((team) => [
    toAgentRecord({
      id: `${team.id}-agent`,
      teamId: team.id,
      skills: team.skills ?? [],
      capacity: 1000,
      openTickets: 0,
      role: 'agent',
      shiftCalendarId: null,
    }),
    toAgentRecord({
      id: `${team.id}-lead`,
      teamId: team.id,
      skills: team.skills ?? [],
      capacity: 1000,
      openTickets: 0,
      role: 'lead',
      shiftCalendarId: null,
    }),
    toAgentRecord({
      id: `${team.id}-director`,
      teamId: team.id,
      skills: [],
      capacity: 1000,
      openTickets: 0,
      role: 'director',
      shiftCalendarId: null,
    }),
  ]);
}

export function toAgentRecord(agent: z.output<typeof simulationAgentSchema>): AgentRecord {
  return {
    id: agent.id,
    name: agent.name ?? agent.id,
    email: agent.email ?? `${agent.id}@agents.invalid`,
    teamId: agent.teamId,
    skills: agent.skills,
    capacity: agent.capacity,
    openTickets: agent.openTickets,
    active: true,
    shiftCalendarId: agent.shiftCalendarId,
    lastAssignedAt: null,
    role: agent.role,
  };
}

/** Compile a flow document into a version record for simulation. */
export function createSimulationVersion(
  flow: unknown,
):
  | { version: FlowVersionRecord; diagnostics: readonly Diagnostic[] }
  | { version?: undefined; diagnostics: readonly Diagnostic[] } {
  const { machine, sourceMap, diagnostics } = compileFlow(flow);
  if (machine === undefined || sourceMap === undefined) return { diagnostics };
  const id =
    typeof (flow as { id?: unknown }).id === 'string' ? (flow as { id: string }).id : 'flow';
  return {
    version: { id: `${id}@draft`, flowId: id, contentHash: 'draft', machine, sourceMap },
    diagnostics,
  };
}

function offsetMs(at: string): number {
  return parseDuration(at.replace(/^\+/, '')) ?? 0;
}

/**
 * Run one ticket through a flow on a virtual clock until it is quiescent or the deadline passes.
 * Timers fire in virtual time, in order; effects are recorded, never sent.
 *
 * @example
 * const result = await simulate({ version, ticket: { subject: 'Cannot log in' }, events: [{ at: '+30m', type: 'AGENT.RESOLVED' }] });
 * result.path; // ['intake', 'classify', …]
 */
export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const start = input.start ?? DEFAULT_SIMULATION_START;
  let now = start;
  const deadline =
    start +
    (input.until === undefined ? DEFAULT_UNTIL : (parseDuration(input.until) ?? DEFAULT_UNTIL));
  const store = createMemoryStore({
    versions: [input.version],
    agents: input.agents ?? getDefaultAgents(input.version),
    shareRecords: true,
  });
  const recorded: EffectRecord[] = [];
  const responses = input.httpResponses ?? {};
  const engine = createEngine({
    store,
    clock: { now: () => now },
    effects: {
      deliver(effect): Promise<DeliveryOutcome> {
        recorded.push(effect);
        if (effect.kind !== 'http') return Promise.resolve({ ok: true });
        const nodeId = (effect.payload as { nodeId?: string }).nodeId ?? '';
        const canned = responses[nodeId];
        if (canned === undefined)
          return Promise.resolve({
            ok: false,
            error: `no simulated response for node ${nodeId}`,
            retryable: false,
          });
        const response = { status: canned.status, body: canned.body ?? null };
        return Promise.resolve(
          canned.ok
            ? { ok: true, response }
            : { ok: false, error: `HTTP ${canned.status}`, retryable: false, response },
        );
      },
    },
    timeZone: input.timeZone ?? 'UTC',
    createId: () => 'sim',
    links: {
      ticket: (n) => `/tickets/${n}`,
      survey: (n) => `/survey/${n}`,
      approval: (n) => `/tickets/${n}#approval`,
    },
    ...(input.models && { models: input.models }),
    ...(input.cache && { machineCache: input.cache }),
    ...(input.calendars && { calendars: input.calendars }),
  });

  const steps: SimulationStep[] = [];
  const rejected: { at: string; type: string; reason: string }[] = [];
  const created = await engine.createTicket(input.ticket, { flowVersionId: input.version.id });
  const ticketId = created.ticket.id;
  /** Take every event the ticket's log gained since the last look (timers, HTTP answers, queue moves). */
  const sync = async () => {
    for (const entry of (await store.listEvents(ticketId)).slice(steps.length)) {
      steps.push({ ...entry.trace, offsetMs: Date.parse(entry.at) - start });
    }
  };
  await sync();
  const number = created.ticket.number;
  const script = [...(input.events ?? [])]
    .map((event, index) => ({ event, index, due: start + offsetMs(event.at) }))
    .sort((a, b) => a.due - b.due || a.index - b.index);

  const drain = async () => {
    // Deliver what is due now (HTTP answers come back as events) before time moves on.
    for (let guard = 0; guard < 100; guard++) {
      const before = steps.length;
      const delivered = await engine.deliverDueEffects(1000);
      if (delivered === 0) break;
      await sync();
      if (steps.length === before) break;
    }
  };
  await drain();

  for (;;) {
    const timers = (await store.listTimers(ticketId)).filter((t) => t.status === 'scheduled');
    const nextTimer = timers.reduce(
      (min, t) => Math.min(min, Date.parse(t.dueAt)),
      Number.POSITIVE_INFINITY,
    );
    const nextEvent = script[0]?.due ?? Number.POSITIVE_INFINITY;
    const next = Math.min(nextTimer, nextEvent);
    if (!Number.isFinite(next) || next > deadline) break;
    now = Math.max(now, next);
    if (nextTimer <= nextEvent) {
      await engine.fireDueTimers(1000);
      await sync();
    } else {
      const item = script.shift();
      if (item === undefined) break;
      const { at, ...event } = item.event;
      try {
        await engine.send(number, event);
        await sync();
      } catch (error: unknown) {
        rejected.push({
          at,
          type: item.event.type,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    await drain();
  }
  for (const item of script)
    rejected.push({
      at: item.event.at,
      type: item.event.type,
      reason: 'after the simulation ended',
    });

  const final = await store.getTicketById(ticketId);
  if (final === null) throw new Error('simulated ticket vanished');
  const path = steps.flatMap((step) => step.entered);
  const coveredEdges = [...new Set(steps.flatMap((step) => step.edges))];
  return {
    steps,
    ticket: final.ticket,
    path,
    coveredEdges,
    effects: recorded,
    done: final.done,
    rejected,
  };
}
