import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFlow } from '@switchyard/compiler';
import type { Calendar } from '@switchyard/flow';
import type { AgentRecord, EffectRecord, FlowVersionRecord } from '../src';
import { createEngine, createMemoryStore } from '../src';
import type { DeliveryOutcome, EngineOptions } from '../src';

export function loadTemplate(id: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(`../../../templates/${id}/flow.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function compileVersion(flow: unknown, id = 'v1'): FlowVersionRecord {
  const result = compileFlow(flow);
  if (result.machine === undefined || result.sourceMap === undefined) {
    throw new Error(`flow does not compile: ${JSON.stringify(result.diagnostics)}`);
  }
  const flowId = (flow as { id: string }).id;
  return {
    id,
    flowId,
    contentHash: `hash-${id}`,
    machine: result.machine,
    sourceMap: result.sourceMap,
  };
}

export function agent(id: string, teamId: string, extra: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id,
    name: id,
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

export const SAAS_AGENTS: AgentRecord[] = [
  agent('li', 'tech', { skills: ['login'] }),
  agent('wang', 'tech', { skills: ['login', 'senior'] }),
  agent('lead', 'tech', { role: 'lead', skills: ['login', 'senior'], capacity: 50 }),
  agent('director', 'tech', { role: 'director', capacity: 50 }),
  agent('zhao', 'billing', { skills: ['billing'] }),
  agent('chen', 'support'),
];

/** A virtual clock the test moves by hand. */
export function createTestClock(start = Date.parse('2026-03-02T01:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(at: number) {
      now = at;
    },
  };
}

/** Effects that records every delivery; `fail` decides per effect whether delivery fails. */
export function createRecordingEffects(
  fail: (effect: EffectRecord) => DeliveryOutcome | null = () => null,
) {
  const delivered: EffectRecord[] = [];
  return {
    delivered,
    deliver(effect: EffectRecord): Promise<DeliveryOutcome> {
      const failure = fail(effect);
      if (failure !== null) return Promise.resolve(failure);
      delivered.push(effect);
      return Promise.resolve({ ok: true });
    },
  };
}

export function createTestEngine(
  options: {
    flow?: unknown;
    agents?: AgentRecord[];
    effects?: EngineOptions['effects'];
    maxAttempts?: number;
    models?: EngineOptions['models'];
    calendars?: EngineOptions['calendars'];
    start?: number;
  } = {},
) {
  const version = compileVersion(options.flow ?? loadTemplate('saas-login'));
  const store = createMemoryStore({ versions: [version], agents: options.agents ?? SAAS_AGENTS });
  const clock = createTestClock(options.start);
  const effects = options.effects ?? createRecordingEffects();
  let ids = 0;
  const engine = createEngine({
    store,
    clock,
    effects,
    timeZone: 'Asia/Shanghai',
    createId: () => `t${++ids}`,
    links: {
      ticket: (n) => `http://localhost:3000/tickets/${n}`,
      survey: (n) => `http://localhost:3000/survey/token-${n}`,
      approval: (n) => `http://localhost:3000/tickets/${n}#approve`,
    },
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    ...(options.models !== undefined && { models: options.models }),
    ...(options.calendars !== undefined && { calendars: options.calendars }),
  });
  return { engine, store, clock, effects, version };
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

interface NodeSpec {
  id: string;
  kind: string;
  config?: Record<string, unknown>;
}

/**
 * A flow from a compact description: `intake` is added in front, edges are `source.port -> target`.
 * Teams `tech`, `billing` and `support` are declared.
 */
export function buildFlow(
  nodes: NodeSpec[],
  edges: string[],
  extra: { ticketFields?: unknown[]; calendars?: unknown[] } = {},
): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'test-flow',
    name: 'Test flow',
    ticketFields: extra.ticketFields ?? [],
    calendars: extra.calendars ?? [],
    teams: [
      { id: 'tech', name: 'Tech' },
      { id: 'billing', name: 'Billing' },
      { id: 'support', name: 'Support' },
    ],
    nodes: [
      {
        id: 'in',
        kind: 'intake',
        position: { x: 0, y: 0 },
        config: { channels: ['web', 'email', 'api'], acknowledge: false },
      },
      ...nodes.map((node, index) => ({
        id: node.id,
        kind: node.kind,
        position: { x: (index + 1) * 100, y: 0 },
        config: node.config ?? {},
      })),
    ],
    edges: edges.map((text, index) => {
      const match = /^([\w-]+)\.([\w-]+) -> ([\w-]+)$/.exec(text);
      if (!match) throw new Error(`bad edge ${text}`);
      const [, source = '', sourcePort = '', target = ''] = match;
      return { id: `e${index}`, source, sourcePort, target };
    }),
  };
}

export const SHANGHAI_HOURS: Calendar = {
  id: 'work',
  name: 'Mon–Fri 09:00–18:00',
  timeZone: 'Asia/Shanghai',
  week: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
  holidays: ['2026-10-01'],
};
