// Issue 6: the simulator IS the engine. The same tickets and event scripts run through the
// simulator (memory store, virtual clock) and through the runtime on the SQLite store with a test
// clock must leave identical traces, final tickets and effects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  createSimulationVersion,
  DEFAULT_SIMULATION_START,
  getDefaultAgents,
  scenarioFileSchema,
  simulate,
  toAgentRecord,
} from '@switchyard/engine';
import type {
  AgentRecord,
  DeliveryOutcome,
  EffectRecord,
  FlowVersionRecord,
  Scenario,
  ScriptedEvent,
  SimulationInput,
  SimulationResult,
} from '@switchyard/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSqliteStore, openSqlite } from '../src/index';
import type { SqliteDatabase } from '../src/index';
import { createTempDir } from './support/temp';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

function parseOffset(at: string): number {
  let ms = 0;
  for (const [, amount, unit] of at.matchAll(/(\d+)([dhms])/g)) {
    const size = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[unit as 'd' | 'h' | 'm' | 's'];
    ms += Number(amount) * size;
  }
  return ms;
}

/** The Calendar rows agents' shifts point at (the engine reads the calendars from the flow). */
function saveShiftCalendars(
  db: SqliteDatabase,
  version: FlowVersionRecord,
  agents: readonly AgentRecord[],
): void {
  const declared = Array.isArray(version.machine.meta?.calendars)
    ? (version.machine.meta.calendars as { id: string; name: string; timeZone: string }[])
    : [];
  const insert = db.prepare(
    `INSERT INTO "Calendar" ("id", "name", "timeZone", "hours", "holidays")
     VALUES (@id, @name, @timeZone, @hours, '[]')`,
  );
  for (const id of new Set(agents.flatMap((a) => a.shiftCalendarId ?? []))) {
    const calendar = declared.find((c) => c.id === id);
    if (calendar === undefined) throw new Error(`agents name calendar ${id}, which the flow lacks`);
    insert.run({ ...calendar, hours: JSON.stringify(calendar) });
  }
}

interface RuntimeRun {
  readonly steps: readonly unknown[];
  readonly ticket: unknown;
  readonly done: boolean;
  readonly effects: readonly { kind: string; idempotencyKey: string; payload: unknown }[];
  readonly rejected: readonly { at: string; type: string }[];
}

/**
 * The runtime as the server runs it: the engine on a SQLite file (writer thread), driven by a
 * scheduler on a test clock that sends each scripted event at its time and fires each timer when
 * it comes due, delivering effects after every step.
 */
async function runOnSqlite(
  version: FlowVersionRecord,
  agents: readonly AgentRecord[],
  input: SimulationInput,
): Promise<RuntimeRun> {
  using dir = createTempDir();
  const db = openSqlite(join(dir.path, 'switchyard.db'));
  const store = createSqliteStore(db);
  try {
    store.addFlowVersion(version);
    saveShiftCalendars(db, version, agents);
    store.saveAgents(agents);
    const start = input.start ?? DEFAULT_SIMULATION_START;
    const deadline = start + parseOffset(input.until ?? '30d');
    let now = start;
    const delivered: EffectRecord[] = [];
    const engine = createEngine({
      store,
      clock: { now: () => now },
      effects: {
        deliver(effect): Promise<DeliveryOutcome> {
          delivered.push(effect);
          if (effect.kind !== 'http') return Promise.resolve({ ok: true });
          const nodeId = (effect.payload as { nodeId?: string }).nodeId ?? '';
          const canned = input.httpResponses?.[nodeId];
          if (canned === undefined)
            return Promise.resolve({
              ok: false,
              error: `no answer for ${nodeId}`,
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
      timeZone: 'UTC',
      createId: () => 'sim',
      links: {
        ticket: (n) => `/tickets/${n}`,
        survey: (n) => `/survey/${n}`,
        approval: (n) => `/tickets/${n}#approval`,
      },
      ...(input.calendars && { calendars: input.calendars }),
    });
    const deliverAll = async () => {
      for (let round = 0; round < 100; round++) {
        if ((await engine.deliverDueEffects(1000)) === 0) break;
      }
    };
    const created = await engine.createTicket(input.ticket, { flowVersionId: version.id });
    await deliverAll();
    const script = (input.events ?? [])
      .map((event, index) => ({ event, index, due: start + parseOffset(event.at) }))
      .sort((a, b) => a.due - b.due || a.index - b.index);
    const rejected: { at: string; type: string }[] = [];
    for (;;) {
      const timers = await store.listTimers(created.ticket.id);
      const nextTimer = Math.min(
        ...timers.filter((t) => t.status === 'scheduled').map((t) => Date.parse(t.dueAt)),
      );
      const nextEvent = script[0]?.due ?? Number.POSITIVE_INFINITY;
      const next = Math.min(nextTimer, nextEvent);
      if (!Number.isFinite(next) || next > deadline) break;
      now = Math.max(now, next);
      if (nextTimer <= nextEvent) await engine.fireDueTimers(1000);
      else {
        const item = script.shift();
        if (item === undefined) break;
        const { at, ...event } = item.event;
        try {
          await engine.send(created.ticket.number, event);
        } catch {
          rejected.push({ at, type: event.type });
        }
      }
      await deliverAll();
    }
    for (const item of script) rejected.push({ at: item.event.at, type: item.event.type });
    const record = await store.getTicketById(created.ticket.id);
    if (record === null) throw new Error('the ticket vanished from SQLite');
    return {
      steps: (await store.listEvents(created.ticket.id)).map((entry) => ({
        ...entry.trace,
        offsetMs: Date.parse(entry.at) - start,
      })),
      ticket: record.ticket,
      done: record.done,
      effects: delivered.map(({ kind, idempotencyKey, payload }) => ({
        kind,
        idempotencyKey,
        payload,
      })),
      rejected,
    };
  } finally {
    await store.close();
    db.close();
  }
}

function fromSimulator(result: SimulationResult): RuntimeRun {
  return {
    steps: result.steps,
    ticket: result.ticket,
    done: result.done,
    effects: result.effects.map(({ kind, idempotencyKey, payload }) => ({
      kind,
      idempotencyKey,
      payload,
    })),
    rejected: result.rejected.map(({ at, type }) => ({ at, type })),
  };
}

function loadTemplate(id: string) {
  const compiled = createSimulationVersion(
    JSON.parse(readFileSync(join(TEMPLATES, id, 'flow.json'), 'utf8')),
  );
  if (compiled.version === undefined) throw new Error(`template ${id} does not compile`);
  const file = scenarioFileSchema.parse(
    JSON.parse(readFileSync(join(TEMPLATES, id, 'scenarios.json'), 'utf8')),
  );
  return { version: compiled.version, file };
}

function toInput(
  version: FlowVersionRecord,
  scenario: Scenario,
  fileAgents: readonly AgentRecord[] | undefined,
) {
  const agents = scenario.agents?.map(toAgentRecord) ?? fileAgents ?? getDefaultAgents(version);
  const input: SimulationInput = {
    version,
    agents,
    ticket: scenario.ticket,
    events: scenario.events,
    ...(scenario.until !== undefined && { until: scenario.until }),
    ...(scenario.start !== undefined && { start: Date.parse(scenario.start) }),
    ...(scenario.httpResponses !== undefined && { httpResponses: scenario.httpResponses }),
  };
  return { agents, input };
}

const templateIds = readdirSync(TEMPLATES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('simulator ≡ runtime on SQLite (issue 6)', () => {
  it('finds the templates', () => {
    expect(templateIds).toContain('saas-login');
  });

  for (const id of templateIds) {
    const { version, file } = loadTemplate(id);
    const fileAgents = file.agents?.map(toAgentRecord);
    for (const scenario of file.scenarios) {
      it(`${id}: ${scenario.name}`, async () => {
        const { agents, input } = toInput(version, scenario, fileAgents);
        const simulated = fromSimulator(await simulate(input));
        const live = await runOnSqlite(version, agents, input);
        // Every scenario runs its ticket from the intake on.
        expect(simulated.steps[0]).toMatchObject({ event: 'TICKET.CREATED' });
        expect(live.steps).toEqual(simulated.steps);
        expect(live.ticket).toEqual(simulated.ticket);
        expect(live.done).toBe(simulated.done);
        expect(live.effects).toEqual(simulated.effects);
        expect(live.rejected).toEqual(simulated.rejected);
      }, 60_000);
    }
  }

  it('generated tickets and event scripts through the SaaS flow', async () => {
    const { version, file } = loadTemplate('saas-login');
    const agents = file.agents?.map(toAgentRecord) ?? [];
    const offset = fc
      .record({ h: fc.integer({ min: 0, max: 80 }), m: fc.integer({ min: 1, max: 59 }) })
      .map(({ h, m }) => `+${h}h${m}m`);
    const event: fc.Arbitrary<ScriptedEvent> = fc.oneof(
      fc.record({
        at: offset,
        type: fc.constant('AGENT.REPLIED'),
        by: fc.constantFrom('li', 'wang'),
      }),
      fc.record({ at: offset, type: fc.constant('CUSTOMER.REPLIED') }),
      fc.record({ at: offset, type: fc.constant('AGENT.RESOLVED') }),
      fc.record({
        at: offset,
        type: fc.constant('SURVEY.ANSWERED'),
        score: fc.integer({ min: 1, max: 5 }),
        resolved: fc.boolean(),
      }),
      fc.record({
        at: offset,
        type: fc.constant('TICKET.UPDATED'),
        changes: fc.record({ priority: fc.constantFrom('low', 'medium', 'high', 'urgent') }),
      }),
      fc.record({
        at: offset,
        type: fc.constant('TICKET.TRANSFERRED'),
        team: fc.constantFrom('tech', 'billing', 'support'),
      }),
      fc.record({
        at: offset,
        type: fc.constant('COMMENT.ADDED'),
        by: fc.constant('li'),
        text: fc.constant('noted'),
      }),
      fc.record({ at: offset, type: fc.constant('TICKET.CLOSED') }),
      fc.record({ at: offset, type: fc.constant('TICKET.REOPENED'), by: fc.constant('li') }),
    );
    const ticket = fc.record({
      subject: fc.constantFrom(
        '无法登录后台',
        'Cannot log in after password reset',
        'Need the March invoice',
        'How do I export?',
        'API error 500, site down',
      ),
      description: fc.constantFrom('', 'SSO loop since this morning', 'refund please'),
      channel: fc.constantFrom('web' as const, 'email' as const, 'api' as const),
      customer: fc.record({
        email: fc.constantFrom('a@example.com', 'b@corp.example'),
        tier: fc.constantFrom('standard' as const, 'vip' as const),
      }),
    });
    await fc.assert(
      fc.asyncProperty(ticket, fc.array(event, { maxLength: 5 }), async (t, events) => {
        const input: SimulationInput = { version, agents, ticket: t, events, until: '10d' };
        const simulated = fromSimulator(await simulate(input));
        const live = await runOnSqlite(version, agents, input);
        expect(live).toEqual(simulated);
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});
