import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFlow } from '@switchyard/compiler';
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
  } = {},
) {
  const version = compileVersion(options.flow ?? loadTemplate('saas-login'));
  const store = createMemoryStore({ versions: [version], agents: options.agents ?? SAAS_AGENTS });
  const clock = createTestClock();
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
  });
  return { engine, store, clock, effects, version };
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
