import type { Calendar, Priority, Ticket, TicketInput, TicketStatus } from '@switchyard/flow';
import { QUEUE_ASSIGNMENT } from './engine';
import { PUBLIC_EVENT_TYPES } from './events';
import type { TicketEvent } from './events';
import type { IntentModel } from './runtime';
import { createSimulationCache, getDefaultAgents, simulate } from './simulator';
import type { ScriptedEvent, SimulationCache } from './simulator';
import type { AgentRecord, EventRecord, FlowVersionRecord } from './store';
import type { TraceStep } from './trace';

/**
 * Replay of production: re-run recorded tickets against a draft flow in the simulator and say,
 * per ticket, what would come out differently. Pure and browser-safe like the simulator: it reads
 * no clock and does no I/O; the caller hands over what the store recorded.
 */

/** One entry of a ticket's event log, as `Store.listEvents` returns it. */
export type RecordedEvent = Pick<EventRecord, 'event' | 'at'> & {
  readonly trace: Pick<TraceStep, 'entered'>;
};

/**
 * One production ticket, straight from the store: for a `TicketRecord` `r`,
 * `{ ticket: r.ticket, done: r.done, events: await store.listEvents(r.id) }`.
 *
 * What is replayed: the ticket's input (subject, description, channel, customer, impact, tags,
 * custom fields) from its `TICKET.CREATED` event, at the time it was created; every event sent
 * from outside (agent, customer, approver, integration: the public events), at the time it was
 * processed; and the answer each outbound HTTP call got (`ACTION.COMPLETED`), by node. What is not:
 * timer firings and the engine's own queue assignments, which the draft makes for itself.
 * What it is compared with: the path in the traces and the ticket as it is now.
 */
export interface RecordedTicket {
  /** The ticket as it is now (`TicketRecord.ticket`): production's outcome. */
  readonly ticket: Ticket;
  /** `TicketRecord.done`. */
  readonly done: boolean;
  /** The ticket's event log, oldest first, starting with `TICKET.CREATED`. */
  readonly events: readonly RecordedEvent[];
}

export interface ReplayOptions {
  /** The draft (or any version) to run the recorded tickets against. */
  readonly draft: FlowVersionRecord;
  readonly tickets: readonly RecordedTicket[];
  /**
   * Replay each ticket up to this instant (ms), normally "now": the draft's timers that would have
   * fired by then fire. Default: each ticket's last recorded event.
   */
  readonly asOf?: number;
  /** Agents the draft assigns to (default: an agent, a lead and a director per team of the draft). */
  readonly agents?: readonly AgentRecord[];
  readonly calendars?: readonly Calendar[];
  readonly models?: { get(modelId: string): IntentModel | undefined };
  readonly timeZone?: string;
  readonly cache?: SimulationCache;
}

/** What a replay compares. */
export const REPLAY_FIELDS = ['path', 'priority', 'team', 'slaBreached', 'status'] as const;
export type ReplayField = (typeof REPLAY_FIELDS)[number];

export interface ReplayOutcome {
  /** Node ids in the order they were entered. */
  readonly path: readonly string[];
  readonly priority: Priority;
  readonly team: string | null;
  readonly slaBreached: boolean;
  readonly status: TicketStatus;
  readonly done: boolean;
}

export type ReplayDifference = {
  [F in ReplayField]: {
    readonly field: F;
    readonly production: ReplayOutcome[F];
    readonly draft: ReplayOutcome[F];
  };
}[ReplayField];

export interface ReplayTicketResult {
  /** The production ticket number. */
  readonly number: string;
  readonly production: ReplayOutcome;
  readonly draft: ReplayOutcome;
  /** Empty when the draft treats the ticket exactly as production did (on these fields). */
  readonly differences: readonly ReplayDifference[];
  /** The path or the team differs. */
  readonly routedDifferently: boolean;
  /** How many recorded events were sent to the draft (those from outside: see RecordedTicket). */
  readonly replayedEvents: number;
  /** Recorded events the draft did not accept at their time (e.g. a survey answer with no survey). */
  readonly rejectedEvents: readonly {
    readonly at: string;
    readonly type: string;
    readonly reason: string;
  }[];
}

export interface ReplayResult {
  readonly tickets: readonly ReplayTicketResult[];
  readonly totals: {
    readonly tickets: number;
    /** Tickets with at least one difference. */
    readonly changed: number;
    /** Tickets whose path or team differs. */
    readonly routedDifferently: number;
    /** Tickets per field that differs. */
    readonly byField: Readonly<Record<ReplayField, number>>;
    /** e.g. "37 of 200 tickets would be routed differently". */
    readonly summary: string;
  };
}

/** The recorded tickets cannot be replayed as given; the message names the ticket and the entry. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
}

const PUBLIC = new Set<string>(PUBLIC_EVENT_TYPES);

/** Sent from outside (not a timer, not an HTTP answer, not the engine's own queue assignment). */
function isExternal(event: TicketEvent): boolean {
  if (!PUBLIC.has(event.type)) return false;
  return !(
    event.type === 'TICKET.TRANSFERRED' &&
    event.by === QUEUE_ASSIGNMENT.by &&
    event.reason === QUEUE_ASSIGNMENT.reason
  );
}

function toInput(ticket: Ticket): TicketInput {
  return {
    subject: ticket.subject,
    description: ticket.description,
    channel: ticket.channel,
    customer: ticket.customer,
    impact: ticket.impact,
    tags: ticket.tags,
    fields: ticket.fields,
  };
}

function outcomeOf(ticket: Ticket, done: boolean, path: readonly string[]): ReplayOutcome {
  return {
    path,
    priority: ticket.priority,
    team: ticket.team,
    slaBreached: ticket.sla.breached,
    status: ticket.status,
    done,
  };
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}

function compare(production: ReplayOutcome, draft: ReplayOutcome): ReplayDifference[] {
  const differences: ReplayDifference[] = [];
  if (!samePath(production.path, draft.path))
    differences.push({ field: 'path', production: production.path, draft: draft.path });
  if (production.priority !== draft.priority)
    differences.push({ field: 'priority', production: production.priority, draft: draft.priority });
  if (production.team !== draft.team)
    differences.push({ field: 'team', production: production.team, draft: draft.team });
  if (production.slaBreached !== draft.slaBreached)
    differences.push({
      field: 'slaBreached',
      production: production.slaBreached,
      draft: draft.slaBreached,
    });
  if (production.status !== draft.status)
    differences.push({ field: 'status', production: production.status, draft: draft.status });
  return differences;
}

/** The simulation input for one recorded ticket. */
function toScript(recorded: RecordedTicket, index: number, asOf: number | undefined) {
  const where = `tickets[${index}] (${recorded.ticket.number})`;
  const [created, ...rest] = recorded.events;
  if (created?.event.type !== 'TICKET.CREATED')
    throw new ReplayInputError(
      `${where}.events[0]: the event log must start with TICKET.CREATED, not ${created?.event.type ?? 'nothing'}`,
    );
  const start = Date.parse(created.at);
  if (!Number.isFinite(start))
    throw new ReplayInputError(`${where}.events[0].at: "${created.at}" is not an ISO time`);
  const events: ScriptedEvent[] = [];
  const httpResponses: Record<string, { ok: boolean; status: number; body?: unknown }> = {};
  let last = start;
  for (const [offset, entry] of rest.entries()) {
    const at = Date.parse(entry.at);
    if (!Number.isFinite(at) || at < start)
      throw new ReplayInputError(
        `${where}.events[${offset + 1}].at: "${entry.at}" is not an ISO time after the creation`,
      );
    last = Math.max(last, at);
    const { event } = entry;
    if (isExternal(event)) events.push({ ...event, at: `+${at - start}ms` });
    // The first answer per node stands for the node's call (a retried call keeps its first one).
    else if (event.type === 'ACTION.COMPLETED' && !Object.hasOwn(httpResponses, event.nodeId))
      httpResponses[event.nodeId] = {
        ok: event.ok,
        status: event.status ?? (event.ok ? 200 : 0),
        ...(event.body !== undefined && { body: event.body }),
      };
  }
  const until = Math.max(0, (asOf ?? last) - start);
  return { input: toInput(created.event.ticket), start, events, httpResponses, until };
}

/**
 * Re-run recorded production tickets against a draft and report, per ticket and in total, how
 * the draft would treat them differently (path, priority, team, SLA breach, final status).
 * Each ticket runs alone in the simulator: nothing is sent, nothing is stored.
 *
 * @example
 * const records = await listTicketsOfVersion(store, versionId, 200); // the server's query
 * const tickets = await Promise.all(
 *   records.map(async (r) => ({ ticket: r.ticket, done: r.done, events: await store.listEvents(r.id) })),
 * );
 * const { totals } = await replayTickets({ draft, tickets, asOf: Date.now() });
 * totals.summary; // '37 of 200 tickets would be routed differently'
 */
export async function replayTickets(options: ReplayOptions): Promise<ReplayResult> {
  const cache = options.cache ?? createSimulationCache();
  const agents = options.agents ?? getDefaultAgents(options.draft);
  const results: ReplayTicketResult[] = [];
  for (const [index, recorded] of options.tickets.entries()) {
    const script = toScript(recorded, index, options.asOf);
    const simulated = await simulate({
      version: options.draft,
      ticket: script.input,
      events: script.events,
      start: script.start,
      until: `${script.until}ms`,
      agents,
      httpResponses: script.httpResponses,
      cache,
      ...(options.calendars !== undefined && { calendars: options.calendars }),
      ...(options.models !== undefined && { models: options.models }),
      ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
    });
    const production = outcomeOf(
      recorded.ticket,
      recorded.done,
      recorded.events.flatMap((entry) => entry.trace.entered),
    );
    const draft = outcomeOf(simulated.ticket, simulated.done, simulated.path);
    const differences = compare(production, draft);
    results.push({
      number: recorded.ticket.number,
      production,
      draft,
      differences,
      routedDifferently: differences.some((d) => d.field === 'path' || d.field === 'team'),
      replayedEvents: script.events.length,
      rejectedEvents: simulated.rejected,
    });
  }
  const byField = Object.fromEntries(
    REPLAY_FIELDS.map((field) => [
      field,
      results.filter((r) => r.differences.some((d) => d.field === field)).length,
    ]),
  ) as Record<ReplayField, number>;
  const routedDifferently = results.filter((r) => r.routedDifferently).length;
  return {
    tickets: results,
    totals: {
      tickets: results.length,
      changed: results.filter((r) => r.differences.length > 0).length,
      routedDifferently,
      byField,
      summary: `${routedDifferently} of ${results.length} ${results.length === 1 ? 'ticket' : 'tickets'} would be routed differently`,
    },
  };
}
