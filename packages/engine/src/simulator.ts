import { compileFlow } from '@switchyard/compiler';
import type { Diagnostic, Calendar, Ticket, TicketInput } from '@switchyard/flow';
import { z } from 'zod';
import { createEngine } from './engine';
import type { DeliveryOutcome, Engine } from './engine';
import { createMemoryStore } from './memory-store';
import type { MemoryStore } from './memory-store';
import type { FlowMachine, IntentModel, LinkBuilder } from './runtime';
import type { AgentRecord, EffectRecord, FlowVersionRecord } from './store';
import type { TraceStep } from './trace';

/**
 * The simulator IS the engine: a virtual clock, the in-memory store and recorded effects. No
 * second interpreter, nothing leaves the process, and 30 virtual days take milliseconds.
 */

const OFFSET_PATTERN = /^\+?(?:\d+(?:ms|[dhms]))+$/;
const OFFSET_UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

/**
 * Milliseconds of an offset like `+30m`, `+1d2h` or `+7200500ms` (units d, h, m, s, ms, summed in
 * any order), or null when it is not one.
 */
function parseOffset(at: string): number | null {
  if (!OFFSET_PATTERN.test(at)) return null;
  let ms = 0;
  for (const [, amount = '0', unit = 'ms'] of at.matchAll(/(\d+)(ms|[dhms])/g))
    ms += Number(amount) * OFFSET_UNITS_MS[unit as keyof typeof OFFSET_UNITS_MS];
  return Number.isSafeInteger(ms) ? ms : null;
}

/** `+30m`, `+2h`, `+1d2h` relative to ticket creation (replays of production use `ms`). */
const offsetSchema = z
  .string()
  .refine((at) => parseOffset(at) !== null, 'Use an offset like "+30m", "+2h" or "+1d2h"');

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
  /** Stop after this much virtual time, e.g. `72h` or `30d` (default 30 days). */
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
  return parseOffset(at) ?? 0;
}

/** A scripted event with its virtual due time. */
interface DueEvent {
  readonly event: ScriptedEvent;
  readonly index: number;
  readonly due: number;
}

/**
 * One ticket's simulation: the engine on a memory store and a virtual clock, and the script.
 * Kept in small methods: each is compiled on its own, which keeps the JIT's work small.
 */
class TicketSimulation {
  readonly start: number;
  readonly deadline: number;
  now: number;
  readonly store: MemoryStore;
  readonly engine: Engine;
  readonly recorded: EffectRecord[] = [];
  readonly steps: SimulationStep[] = [];
  readonly rejected: { at: string; type: string; reason: string }[] = [];
  readonly script: DueEvent[];
  ticketId = '';
  number = '';

  constructor(readonly input: SimulationInput) {
    this.start = input.start ?? DEFAULT_SIMULATION_START;
    this.now = this.start;
    this.deadline =
      this.start +
      (input.until === undefined ? DEFAULT_UNTIL : (parseOffset(input.until) ?? DEFAULT_UNTIL));
    this.store = createMemoryStore({
      versions: [input.version],
      agents: input.agents ?? getDefaultAgents(input.version),
      shareRecords: true,
    });
    this.engine = createEngine({
      store: this.store,
      clock: { now: () => this.now },
      effects: { deliver: (effect) => this.deliver(effect) },
      timeZone: input.timeZone ?? 'UTC',
      createId: () => 'sim',
      links: SIMULATION_LINKS,
      ...(input.models && { models: input.models }),
      ...(input.cache && { machineCache: input.cache }),
      ...(input.calendars && { calendars: input.calendars }),
    });
    this.script = (input.events ?? [])
      .map((event, index) => ({ event, index, due: this.start + offsetMs(event.at) }))
      .sort((a, b) => a.due - b.due || a.index - b.index);
  }

  /** Record an effect; HTTP calls get their canned answer (or fail for good without one). */
  deliver(effect: EffectRecord): Promise<DeliveryOutcome> {
    this.recorded.push(effect);
    if (effect.kind !== 'http') return Promise.resolve({ ok: true });
    const nodeId = (effect.payload as { nodeId?: string }).nodeId ?? '';
    const canned = this.input.httpResponses?.[nodeId];
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
  }

  async create(): Promise<void> {
    const created = await this.engine.createTicket(this.input.ticket, {
      flowVersionId: this.input.version.id,
    });
    this.ticketId = created.ticket.id;
    this.number = created.ticket.number;
    await this.sync();
    await this.drain();
  }

  /** Take every event the ticket's log gained since the last look (timers, HTTP answers, queue moves). */
  async sync(): Promise<void> {
    const events = await this.store.listEvents(this.ticketId);
    for (let i = this.steps.length; i < events.length; i++) {
      const entry = events[i];
      if (entry !== undefined)
        this.steps.push({ ...entry.trace, offsetMs: Date.parse(entry.at) - this.start });
    }
  }

  /** Deliver what is due now (HTTP answers come back as events) before time moves on. */
  async drain(): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      const before = this.steps.length;
      const delivered = await this.engine.deliverDueEffects(1000);
      if (delivered === 0) break;
      await this.sync();
      if (this.steps.length === before) break;
    }
  }

  async nextTimerDue(): Promise<number> {
    let next = Number.POSITIVE_INFINITY;
    for (const timer of await this.store.listTimers(this.ticketId)) {
      if (timer.status === 'scheduled') next = Math.min(next, Date.parse(timer.dueAt));
    }
    return next;
  }

  /** Move to the next timer or scripted event and handle it; false when nothing is left in time. */
  async advance(): Promise<boolean> {
    const nextTimer = await this.nextTimerDue();
    const nextEvent = this.script[0]?.due ?? Number.POSITIVE_INFINITY;
    const next = Math.min(nextTimer, nextEvent);
    if (!Number.isFinite(next) || next > this.deadline) return false;
    this.now = Math.max(this.now, next);
    if (nextTimer <= nextEvent) {
      await this.engine.fireDueTimers(1000);
      await this.sync();
    } else {
      const item = this.script.shift();
      if (item === undefined) return false;
      await this.sendScripted(item.event);
    }
    await this.drain();
    return true;
  }

  async sendScripted(scripted: ScriptedEvent): Promise<void> {
    const { at, ...event } = scripted;
    try {
      await this.engine.send(this.number, event);
      await this.sync();
    } catch (error: unknown) {
      this.rejected.push({
        at,
        type: scripted.type,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async finish(): Promise<SimulationResult> {
    for (const item of this.script)
      this.rejected.push({
        at: item.event.at,
        type: item.event.type,
        reason: 'after the simulation ended',
      });
    const final = await this.store.getTicketById(this.ticketId);
    if (final === null) throw new Error('simulated ticket vanished');
    const path = this.steps.flatMap((step) => step.entered);
    const coveredEdges = [...new Set(this.steps.flatMap((step) => step.edges))];
    return {
      steps: this.steps,
      ticket: final.ticket,
      path,
      coveredEdges,
      effects: this.recorded,
      done: final.done,
      rejected: this.rejected,
    };
  }
}

const SIMULATION_LINKS: LinkBuilder = {
  ticket: (n) => `/tickets/${n}`,
  survey: (n) => `/survey/${n}`,
  approval: (n) => `/tickets/${n}#approval`,
};

/**
 * Run one ticket through a flow on a virtual clock until it is quiescent or the deadline passes.
 * Timers fire in virtual time, in order; effects are recorded, never sent.
 *
 * @example
 * const result = await simulate({ version, ticket: { subject: 'Cannot log in' }, events: [{ at: '+30m', type: 'AGENT.RESOLVED' }] });
 * result.path; // ['intake', 'classify', …]
 */
export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const simulation = new TicketSimulation(input);
  await simulation.create();
  while (await simulation.advance()) {
    // Each round handles the next timer or scripted event.
  }
  return simulation.finish();
}
