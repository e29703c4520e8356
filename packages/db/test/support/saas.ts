// The SaaS login template wired to the engine on a SQLite store: shared by the crash,
// concurrency and benchmark runs.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFlow } from '@switchyard/compiler';
import { createEngine } from '@switchyard/engine';
import type { AgentRecord, Clock, Effects, FlowVersionRecord } from '@switchyard/engine';
import { createSqliteStore, openSqlite } from '../../src/index';
import type { SqliteStoreOptions } from '../../src/index';

const TEMPLATE = fileURLToPath(
  new URL('../../../../templates/saas-login/flow.json', import.meta.url),
);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The SaaS login template, with the SLA, escalation and survey durations shrunk to seconds when
 * `fast` is set, so timers come due while a test runs.
 */
export function loadSaasFlow({ fast }: { fast: boolean }): Json {
  const flow: unknown = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
  if (!isRecord(flow) || !Array.isArray(flow.nodes)) throw new Error('unexpected template shape');
  if (!fast) return flow;
  const nodes: unknown[] = flow.nodes.map((node: unknown) => {
    if (!isRecord(node) || !isRecord(node.config)) return node;
    if (node.kind === 'sla') {
      const config = node.config;
      const targets = Object.fromEntries(
        ['urgent', 'high', 'medium', 'low'].map((p) => [p, { response: '2s', resolution: '6s' }]),
      );
      const escalation = Array.isArray(config.escalation)
        ? config.escalation.map((level: unknown, i) =>
            isRecord(level) ? { ...level, after: i === 0 ? '0m' : '1s' } : level,
          )
        : config.escalation;
      return { ...node, config: { ...config, targets, escalation } };
    }
    if (node.kind === 'survey') {
      return { ...node, config: { ...node.config, delay: '1s', expiresAfter: '3s' } };
    }
    return node;
  });
  return { ...flow, nodes };
}

/** Compiles a flow into the record the engine loads. */
export function compileSaasVersion(flow: Json, id: string): FlowVersionRecord {
  const result = compileFlow(flow);
  if (result.machine === undefined || result.sourceMap === undefined) {
    throw new Error(`the flow does not compile: ${JSON.stringify(result.diagnostics)}`);
  }
  return {
    id,
    flowId: String(flow.id),
    contentHash: `${id}-hash`,
    machine: result.machine,
    sourceMap: result.sourceMap,
  };
}

function agent(id: string, teamId: string, extra: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id,
    name: id,
    email: `${id}@example.com`,
    teamId,
    skills: [],
    capacity: 100_000,
    openTickets: 0,
    active: true,
    shiftCalendarId: null,
    lastAssignedAt: null,
    role: 'agent',
    ...extra,
  };
}

/** Agents with room for any load, so tickets never wait in a team queue. */
export const SAAS_AGENTS: readonly AgentRecord[] = [
  agent('li', 'tech', { skills: ['login'] }),
  agent('wang', 'tech', { skills: ['login', 'senior'] }),
  agent('lead', 'tech', { role: 'lead', skills: ['login', 'senior'] }),
  agent('director', 'tech', { role: 'director' }),
  agent('zhao', 'billing', { skills: ['billing'] }),
  agent('chen', 'support'),
];

/** Writes the flow version and agents into a new database file. */
export function seedDatabase(path: string, version: FlowVersionRecord): void {
  const db = openSqlite(path);
  try {
    const store = createSqliteStore(db, { writer: 'inline' });
    store.addFlowVersion(version);
    store.saveAgents(SAAS_AGENTS);
  } finally {
    db.close();
  }
}

/** Ticket inputs that travel different paths through the SaaS flow. */
export const SAAS_INPUTS = [
  {
    subject: '无法登录后台 — password reset loop',
    channel: 'web' as const,
    customer: { name: 'Alice', email: 'alice@corp.example', tier: 'vip' as const },
  },
  {
    subject: 'Invoice shows the wrong VAT number',
    description: 'Our billing address changed.',
    channel: 'email' as const,
    customer: { name: 'Bob', email: 'bob@shop.example' },
  },
  {
    subject: 'Feature question about exports',
    channel: 'api' as const,
    customer: { name: 'Carol', email: 'carol@example.com' },
  },
];

/** The engine on a SQLite file (migrated on open), with the given clock and effects. */
export function createSqliteEngine(options: {
  path: string;
  effects: Effects;
  clock?: Clock;
  store?: SqliteStoreOptions;
}) {
  const db = openSqlite(options.path);
  const store = createSqliteStore(db, options.store);
  const engine = createEngine({
    store,
    clock: options.clock ?? { now: () => Date.now() },
    effects: options.effects,
    timeZone: 'Asia/Shanghai',
    createId: () => randomUUID(),
    links: {
      ticket: (n) => `http://localhost:3000/tickets/${n}`,
      survey: (n) => `http://localhost:3000/survey/token-${n}`,
      approval: (n) => `http://localhost:3000/tickets/${n}#approve`,
    },
  });
  return {
    db,
    store,
    engine,
    close: async () => {
      await store.close();
      db.close();
    },
  };
}
