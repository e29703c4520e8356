import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TicketInput } from '@switchyard/flow';
import { describe, expect, it } from 'vitest';
import {
  createEngine,
  createMemoryStore,
  ReplayInputError,
  replayTickets,
  scenarioFileSchema,
  toAgentRecord,
} from '../src';
import type {
  AgentRecord,
  DeliveryOutcome,
  FlowVersionRecord,
  PublicEventInput,
  RecordedTicket,
  ReplayTicketResult,
} from '../src';
import { compileVersion, HOUR, loadTemplate, MINUTE } from './fixtures';

// Issue 6, replay of production: tickets recorded by the engine as the server runs it (a store
// shared by all tickets, a clock, a scheduler firing timers and delivering effects) are re-run
// against drafts in the simulator.

type HttpAnswers = Readonly<Record<string, { ok: boolean; status: number; body?: unknown }>>;

interface ProductionTicket {
  readonly input: TicketInput;
  /** Creation time. */
  readonly at: number;
  /** Events with their time after the creation. */
  readonly events?: readonly (readonly [number, PublicEventInput])[];
}

const FAR_FUTURE = '9999-01-01T00:00:00.000Z';

/** Run tickets through the published version the way the server does, up to `until`. */
async function runProduction(options: {
  version: FlowVersionRecord;
  agents: readonly AgentRecord[];
  tickets: readonly ProductionTicket[];
  until: number;
  http?: HttpAnswers;
}): Promise<RecordedTicket[]> {
  const store = createMemoryStore({ versions: [options.version], agents: options.agents });
  let now = Math.min(...options.tickets.map((t) => t.at));
  let ids = 0;
  const engine = createEngine({
    store,
    clock: { now: () => now },
    effects: {
      deliver(effect): Promise<DeliveryOutcome> {
        if (effect.kind !== 'http') return Promise.resolve({ ok: true });
        const answer = options.http?.[(effect.payload as { nodeId: string }).nodeId];
        if (answer === undefined)
          return Promise.resolve({ ok: false, error: 'unreachable', retryable: false });
        const response = { status: answer.status, body: answer.body ?? null };
        return Promise.resolve(
          answer.ok
            ? { ok: true, response }
            : { ok: false, error: `HTTP ${answer.status}`, retryable: false, response },
        );
      },
    },
    timeZone: 'Asia/Shanghai',
    createId: () => `prod-${++ids}`,
    links: { ticket: (n) => `/t/${n}`, survey: (n) => `/s/${n}`, approval: (n) => `/a/${n}` },
  });
  const numbers: string[] = [];
  const actions: { at: number; run: () => Promise<unknown> }[] = [];
  for (const [index, ticket] of options.tickets.entries()) {
    actions.push({
      at: ticket.at,
      run: async () => {
        const { ticket: record } = await engine.createTicket(ticket.input, {
          flowVersionId: options.version.id,
        });
        numbers[index] = record.number;
      },
    });
    for (const [offset, event] of ticket.events ?? [])
      actions.push({
        at: ticket.at + offset,
        run: () => engine.send(numbers[index] ?? '', event),
      });
  }
  actions.sort((a, b) => a.at - b.at);
  for (;;) {
    const timer = (await store.getDueTimers(FAR_FUTURE, 1))[0];
    const nextTimer = timer === undefined ? Number.POSITIVE_INFINITY : Date.parse(timer.dueAt);
    const nextAction = actions[0]?.at ?? Number.POSITIVE_INFINITY;
    const next = Math.min(nextTimer, nextAction);
    if (next > options.until) break;
    now = Math.max(now, next);
    if (nextTimer <= nextAction) await engine.fireDueTimers();
    else await actions.shift()?.run();
    while ((await engine.deliverDueEffects()) > 0) {
      // Deliver until nothing is due (HTTP answers come back as events with effects of their own).
    }
  }
  return Promise.all(
    store.listTickets().map(async (record) => ({
      ticket: record.ticket,
      done: record.done,
      events: await store.listEvents(record.id),
    })),
  );
}

const saasFile = scenarioFileSchema.parse(
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../../templates/saas-login/scenarios.json', import.meta.url)),
      'utf8',
    ),
  ),
);
const saasAgents = (saasFile.agents ?? []).map(toAgentRecord);

type Json = Record<string, unknown>;
/** The SaaS template with one node's config (or the node list) changed: a draft. */
function saasDraft(change: (nodes: Json[], edges: Json[]) => void): FlowVersionRecord {
  const flow = structuredClone(loadTemplate('saas-login'));
  change(flow.nodes as Json[], flow.edges as Json[]);
  return compileVersion(flow, 'draft');
}
const published = compileVersion(loadTemplate('saas-login'), 'published');

// Monday 2026-03-02 09:00:00.123 in Shanghai: production times have milliseconds.
const T0 = Date.parse('2026-03-02T01:00:00.123Z');
const vip = { name: 'Alice', email: 'alice@corp.example', tier: 'vip' as const };
const standard = { name: 'Bob', email: 'bob@shop.example', tier: 'standard' as const };

const PRODUCTION: ProductionTicket[] = [
  {
    // 1. VIP login fault, answered after 40 minutes, resolved, happy survey.
    input: { subject: '无法登录后台', channel: 'web', customer: vip },
    at: T0,
    events: [
      [40 * MINUTE + 7, { type: 'AGENT.REPLIED', by: 'li' }],
      [90 * MINUTE, { type: 'AGENT.RESOLVED', by: 'li' }],
      [2 * HOUR + 311, { type: 'SURVEY.ANSWERED', score: 5, resolved: true }],
    ],
  },
  {
    // 2. VIP login fault nobody answers: breach at 2 h, team lead, director at 3 h.
    input: { subject: 'Cannot log in after password reset', channel: 'email', customer: vip },
    at: T0 + 7 * MINUTE + 450,
    events: [[3.5 * HOUR, { type: 'AGENT.RESOLVED', by: 'director' }]],
  },
  {
    // 3. Billing question, unhappy survey reopens it to a senior agent, then happy.
    input: { subject: 'Need the March invoice', channel: 'web', customer: standard },
    at: T0 + 12 * MINUTE,
    events: [
      [HOUR, { type: 'AGENT.RESOLVED', by: 'zhao' }],
      [2 * HOUR, { type: 'SURVEY.ANSWERED', score: 2, resolved: false }],
      [3 * HOUR, { type: 'AGENT.RESOLVED', by: 'sun' }],
      [4 * HOUR, { type: 'SURVEY.ANSWERED', score: 5, resolved: true }],
    ],
  },
  {
    // 4. Unrecognised question, still open.
    input: { subject: 'How do I export my data?', channel: 'api', customer: standard },
    at: T0 + 20 * MINUTE,
  },
  {
    // 5. Billing refund put back into the billing queue: the engine reassigns it itself.
    input: { subject: 'Refund for a double charge', channel: 'email', customer: standard },
    at: T0 + 25 * MINUTE + 999,
    events: [
      [20 * MINUTE, { type: 'TICKET.TRANSFERRED', team: 'billing', by: 'zhao' }],
      [2 * HOUR, { type: 'AGENT.RESOLVED' }],
    ],
  },
];
const AS_OF = T0 + 5 * 24 * HOUR;

function byNumber(results: readonly ReplayTicketResult[]) {
  return Object.fromEntries(results.map((r) => [r.number, r]));
}

describe('replayTickets', () => {
  it('finds nothing to change when the draft is the published flow', async () => {
    const tickets = await runProduction({
      version: published,
      agents: saasAgents,
      tickets: PRODUCTION,
      until: AS_OF,
    });
    // Production did what the tickets above say (otherwise "no differences" would prove little).
    const replayed = byNumber(
      (await replayTickets({ draft: published, tickets, agents: saasAgents, asOf: AS_OF })).tickets,
    );
    expect(tickets.map((t) => [t.ticket.number, t.ticket.status, t.ticket.team])).toEqual([
      ['CS20260302001', 'closed', 'tech'],
      ['CS20260302002', 'closed', 'tech'],
      ['CS20260302003', 'closed', 'billing'],
      // Low priority, nobody answered in five days: the 8 h response target was missed.
      ['CS20260302004', 'escalated', 'support'],
      ['CS20260302005', 'closed', 'billing'],
    ]);
    const log5 = tickets[4]?.events.map((e) => e.event) ?? [];
    expect(log5).toContainEqual(
      expect.objectContaining({ type: 'TICKET.TRANSFERRED', by: 'system' }),
    );

    for (const result of Object.values(replayed)) {
      expect(result.differences).toEqual([]);
      expect(result.rejectedEvents).toEqual([]);
      expect(result.draft).toEqual(result.production);
    }
    // The engine's own queue assignment is not replayed: the draft makes it itself.
    expect(replayed.CS20260302005?.replayedEvents).toBe(2);
    expect(replayed.CS20260302003?.replayedEvents).toBe(4);
    expect(replayed.CS20260302003?.production.path).toEqual([
      ...['intake', 'classify', 'prioritize', 'assign', 'sla', 'await-resolution', 'survey'],
      ...['reopen-senior', 'await-resolution', 'survey', 'closed'],
    ]);
  });

  it('reports the tickets a stricter priority rule would breach, routing unchanged', async () => {
    const tickets = await runProduction({
      version: published,
      agents: saasAgents,
      tickets: PRODUCTION,
      until: AS_OF,
    });
    // VIP faults become urgent: a 30-minute response target instead of 2 hours.
    const draft = saasDraft((nodes) => {
      const prioritize = nodes.find((n) => n.id === 'prioritize') as { config: { rules: Json[] } };
      prioritize.config.rules[1] = { category: 'fault', tier: 'vip', priority: 'urgent' };
    });
    const { tickets: results, totals } = await replayTickets({
      draft,
      tickets,
      agents: saasAgents,
      asOf: AS_OF,
    });
    const result = byNumber(results);
    // Ticket 1 was answered after 40 minutes: in time for 2 h, late for 30 minutes.
    expect(result.CS20260302001?.differences).toEqual([
      { field: 'priority', production: 'high', draft: 'urgent' },
      { field: 'slaBreached', production: false, draft: true },
    ]);
    // Ticket 2 breached anyway.
    expect(result.CS20260302002?.differences).toEqual([
      { field: 'priority', production: 'high', draft: 'urgent' },
    ]);
    for (const number of ['CS20260302003', 'CS20260302004', 'CS20260302005'])
      expect(result[number]?.differences).toEqual([]);
    expect(totals).toEqual({
      tickets: 5,
      changed: 2,
      routedDifferently: 0,
      byField: { path: 0, priority: 2, team: 0, slaBreached: 1, status: 0 },
      summary: '0 of 5 tickets would be routed differently',
    });
  });

  it('reports paths and teams that change, and recorded events the draft no longer takes', async () => {
    const tickets = await runProduction({
      version: published,
      agents: saasAgents,
      tickets: PRODUCTION,
      until: AS_OF,
    });
    // No survey: resolved tickets close at once. Unrecognised questions go to tech.
    const draft = saasDraft((nodes, edges) => {
      nodes.splice(
        0,
        nodes.length,
        ...nodes.filter((n) => n.id !== 'survey' && n.id !== 'reopen-senior'),
      );
      const kept = edges.filter(
        (e) =>
          !['e-satisfied', 'e-unsatisfied', 'e-no-answer', 'e-reopened'].includes(String(e.id)),
      );
      edges.splice(0, edges.length, ...kept);
      const resolved = edges.find((e) => e.id === 'e-resolved');
      if (resolved) resolved.target = 'closed';
      const assign = nodes.find((n) => n.id === 'assign') as { config: { team: string } };
      assign.config.team = 'tech';
    });
    const { tickets: results, totals } = await replayTickets({
      draft,
      tickets,
      agents: saasAgents,
      asOf: AS_OF,
    });
    const result = byNumber(results);
    const shortPath = ['intake', 'classify', 'prioritize', 'assign', 'sla', 'await-resolution'];
    expect(result.CS20260302001?.draft.path).toEqual([...shortPath, 'closed']);
    expect(result.CS20260302001?.differences.map((d) => d.field)).toEqual(['path']);
    expect(result.CS20260302001?.rejectedEvents.map((r) => r.type)).toEqual(['SURVEY.ANSWERED']);
    // Ticket 3 closes at its first resolution: the survey answers and the second resolution
    // have nowhere to go.
    expect(result.CS20260302003?.rejectedEvents.map((r) => r.type)).toEqual([
      'SURVEY.ANSWERED',
      'AGENT.RESOLVED',
      'SURVEY.ANSWERED',
    ]);
    expect(result.CS20260302003?.draft).toMatchObject({ status: 'closed', team: 'billing' });
    // Ticket 4 is still waiting (and breached) in both, but with another team.
    expect(result.CS20260302004?.differences).toEqual([
      { field: 'team', production: 'support', draft: 'tech' },
    ]);
    expect(totals.routedDifferently).toBe(5);
    expect(totals.byField).toEqual({ path: 4, priority: 0, team: 1, slaBreached: 0, status: 0 });
    expect(totals.summary).toBe('5 of 5 tickets would be routed differently');
  });

  it('replays recorded HTTP answers: the invoices template against itself has no differences', async () => {
    const path = fileURLToPath(
      new URL('../../../templates/invoices/scenarios.json', import.meta.url),
    );
    const file = scenarioFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    const version = compileVersion(loadTemplate('invoices'), 'invoices');
    let calls = 0;
    for (const scenario of file.scenarios) {
      const agents = (scenario.agents ?? file.agents ?? []).map(toAgentRecord);
      const at = scenario.start === undefined ? T0 : Date.parse(scenario.start);
      const until = at + 30 * 24 * HOUR;
      const tickets = await runProduction({
        version,
        agents,
        tickets: [
          {
            input: scenario.ticket,
            at,
            events: scenario.events.map(({ at: offset, ...event }) => [
              parseScriptOffset(offset),
              event as PublicEventInput,
            ]),
          },
        ],
        until,
        ...(scenario.httpResponses !== undefined && { http: scenario.httpResponses }),
      });
      calls += tickets[0]?.events.filter((e) => e.event.type === 'ACTION.COMPLETED').length ?? 0;
      const { tickets: results } = await replayTickets({
        draft: version,
        tickets,
        agents,
        asOf: until,
      });
      expect(results[0]?.differences, scenario.name).toEqual([]);
      expect(results[0]?.rejectedEvents, scenario.name).toEqual([]);
    }
    expect(calls).toBeGreaterThan(3);
  });

  it('names the ticket whose event log does not start with its creation', async () => {
    const [first] = await runProduction({
      version: published,
      agents: saasAgents,
      tickets: PRODUCTION.slice(0, 1),
      until: AS_OF,
    });
    if (first === undefined) throw new Error('no ticket recorded');
    const broken = { ...first, events: first.events.slice(1) };
    await expect(replayTickets({ draft: published, tickets: [first, broken] })).rejects.toThrow(
      new ReplayInputError(
        'tickets[1] (CS20260302001).events[0]: the event log must start with TICKET.CREATED, not AGENT.REPLIED',
      ),
    );
  });
});

function parseScriptOffset(at: string): number {
  let ms = 0;
  for (const [, amount, unit] of at.matchAll(/(\d+)([dhms])/g))
    ms += Number(amount) * { d: 24 * HOUR, h: HOUR, m: MINUTE, s: 1000 }[unit as 'd'];
  return ms;
}
