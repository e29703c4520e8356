import type { StateNodeJson } from '@switchyard/compiler';
import { calendarSchema, ticketInputSchema } from '@switchyard/flow';
import { z } from 'zod';
import type { IntentModel } from './runtime';
import type { SimulationResult } from './simulator';
import {
  createSimulationCache,
  getDefaultAgents,
  httpResponseSchema,
  scriptedEventSchema,
  simulate,
  simulationAgentSchema,
  toAgentRecord,
} from './simulator';
import type { FlowVersionRecord } from './store';

const expectationSchema = z
  .object({
    status: z.string().optional(),
    priority: z.string().optional(),
    category: z.string().nullable().optional(),
    subcategory: z.string().nullable().optional(),
    team: z.string().nullable().optional(),
    assignee: z.string().nullable().optional(),
    escalationLevel: z.number().int().optional(),
    slaBreached: z.boolean().optional(),
    done: z.boolean().optional(),
    tags: z.array(z.string()).optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    csatScore: z.number().int().nullable().optional(),
    /** Nodes that must appear in the path, in this order (others may come between). */
    nodesVisited: z.array(z.string()).optional(),
    /** Nodes that must not appear in the path. */
    nodesNotVisited: z.array(z.string()).optional(),
    /** Effects that must have been sent (each matches at least one recorded effect). */
    effects: z
      .array(
        z.object({
          kind: z.enum(['email', 'in-app', 'webhook', 'http']),
          to: z.string().optional(),
          subjectContains: z.string().optional(),
          urlContains: z.string().optional(),
        }),
      )
      .optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    ticket: ticketInputSchema,
    events: z.array(scriptedEventSchema).default([]),
    until: z.string().optional(),
    start: z.iso.datetime({ offset: true }).optional(),
    httpResponses: z.record(z.string(), httpResponseSchema).optional(),
    agents: z.array(simulationAgentSchema).optional(),
    expect: expectationSchema,
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

/** `scenarios.json` beside a template's `flow.json`. */
export const scenarioFileSchema = z
  .object({
    $schema: z.string().optional(),
    agents: z.array(simulationAgentSchema).optional(),
    calendars: z.array(calendarSchema).optional(),
    scenarios: z.array(scenarioSchema).min(1, 'Add at least one scenario'),
  })
  .strict();
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;

export interface ScenarioResult {
  readonly name: string;
  readonly passed: boolean;
  /** Every expectation that did not hold, the first one first. */
  readonly failures: readonly string[];
  readonly result: SimulationResult;
}

export interface EdgeSuggestion {
  readonly edgeId: string;
  readonly from: string;
  readonly port: string;
  /** The transitions to take from the intake, each with the event it needs and its condition. */
  readonly via: readonly {
    readonly edgeId: string;
    readonly event: string;
    readonly condition: string | null;
  }[];
}

export interface SuiteResult {
  readonly scenarios: readonly ScenarioResult[];
  readonly passed: number;
  readonly failed: number;
  readonly coverage: {
    readonly nodes: number;
    readonly edges: number;
    readonly uncoveredNodes: readonly string[];
    readonly uncoveredEdges: readonly string[];
  };
  readonly suggestions: readonly EdgeSuggestion[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compare a simulation with its expectations; the messages name the field and both values. */
export function checkExpectations(expect: Scenario['expect'], result: SimulationResult): string[] {
  const failures: string[] = [];
  const { ticket } = result;
  const compare = (name: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && !same(expected, actual)) {
      failures.push(`${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  };
  compare('status', expect.status, ticket.status);
  compare('priority', expect.priority, ticket.priority);
  compare('category', expect.category, ticket.category);
  compare('subcategory', expect.subcategory, ticket.subcategory);
  compare('team', expect.team, ticket.team);
  compare('assignee', expect.assignee, ticket.assignee);
  compare('escalationLevel', expect.escalationLevel, ticket.escalationLevel);
  compare('slaBreached', expect.slaBreached, ticket.sla.breached);
  compare('done', expect.done, result.done);
  compare('csatScore', expect.csatScore, ticket.csat.score);
  if (expect.tags !== undefined) compare('tags', [...expect.tags].sort(), [...ticket.tags].sort());
  for (const [key, value] of Object.entries(expect.fields ?? {}))
    compare(`fields.${key}`, value, ticket.fields[key]);
  if (expect.nodesVisited !== undefined) {
    let position = 0;
    for (const node of expect.nodesVisited) {
      const found = result.path.indexOf(node, position);
      if (found === -1) {
        failures.push(
          `nodesVisited: expected "${node}" after position ${position} in path ${result.path.join(' → ')}`,
        );
        break;
      }
      position = found + 1;
    }
  }
  for (const node of expect.nodesNotVisited ?? []) {
    if (result.path.includes(node))
      failures.push(`nodesNotVisited: "${node}" was visited (path ${result.path.join(' → ')})`);
  }
  for (const wanted of expect.effects ?? []) {
    const match = result.effects.find((effect) => {
      const payload = effect.payload as { to?: unknown; subject?: unknown; url?: unknown } | null;
      if (effect.kind !== wanted.kind) return false;
      if (
        wanted.to !== undefined &&
        !(Array.isArray(payload?.to) && payload.to.includes(wanted.to))
      )
        return false;
      if (
        wanted.subjectContains !== undefined &&
        !(typeof payload?.subject === 'string' && payload.subject.includes(wanted.subjectContains))
      )
        return false;
      if (
        wanted.urlContains !== undefined &&
        !(typeof payload?.url === 'string' && payload.url.includes(wanted.urlContains))
      )
        return false;
      return true;
    });
    if (match === undefined)
      failures.push(
        `effects: no ${wanted.kind} effect matching ${JSON.stringify(wanted)} (sent: ${result.effects.map((e) => e.kind).join(', ') || 'none'})`,
      );
  }
  return failures;
}

/** Run every scenario of a suite and measure node and edge coverage across it. */
export async function runScenarios(
  version: FlowVersionRecord,
  file: ScenarioFile,
  options: { models?: { get(modelId: string): IntentModel | undefined } } = {},
): Promise<SuiteResult> {
  const sharedAgents = file.agents?.map(toAgentRecord);
  const results: ScenarioResult[] = [];
  const cache = createSimulationCache();
  for (const scenario of file.scenarios) {
    const agents = scenario.agents?.map(toAgentRecord) ?? sharedAgents ?? getDefaultAgents(version);
    const result = await simulate({
      version,
      ticket: scenario.ticket,
      events: scenario.events,
      agents,
      ...(scenario.until !== undefined && { until: scenario.until }),
      ...(scenario.start !== undefined && { start: Date.parse(scenario.start) }),
      ...(scenario.httpResponses !== undefined && { httpResponses: scenario.httpResponses }),
      ...(file.calendars !== undefined && { calendars: file.calendars }),
      cache,
      ...(options.models !== undefined && { models: options.models }),
    });
    const failures = [
      ...checkExpectations(scenario.expect, result),
      ...result.rejected.map((r) => `event ${r.type} at ${r.at} was rejected: ${r.reason}`),
    ];
    results.push({ name: scenario.name, passed: failures.length === 0, failures, result });
  }
  const allNodes = Object.keys(version.sourceMap.nodes);
  const allEdges = Object.keys(version.sourceMap.edges);
  const visited = new Set(results.flatMap((r) => r.result.path));
  const covered = new Set(results.flatMap((r) => r.result.coveredEdges));
  const uncoveredNodes = allNodes.filter((n) => !visited.has(n));
  const uncoveredEdges = allEdges.filter((e) => !covered.has(e));
  return {
    scenarios: results,
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    coverage: {
      nodes:
        allNodes.length === 0 ? 1 : (allNodes.length - uncoveredNodes.length) / allNodes.length,
      edges:
        allEdges.length === 0 ? 1 : (allEdges.length - uncoveredEdges.length) / allEdges.length,
      uncoveredNodes,
      uncoveredEdges,
    },
    suggestions: suggestPaths(version, uncoveredEdges),
  };
}

interface EdgeInfo {
  readonly edgeId: string;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly event: string;
  readonly condition: string | null;
}

function collectEdges(state: StateNodeJson, nodeId: string | null, out: EdgeInfo[]): void {
  const owner = typeof state.meta?.nodeId === 'string' ? state.meta.nodeId : nodeId;
  const visit = (event: string, list: StateNodeJson['always']) => {
    for (const transition of list ?? []) {
      const edgeId = transition.meta?.edgeId;
      if (edgeId === undefined || owner === null) continue;
      const expression = transition.guard?.params.expression;
      const timer = transition.guard?.params.timer;
      out.push({
        edgeId,
        from: owner,
        to: (transition.target ?? '').replace(/^#/, ''),
        port: transition.meta?.port ?? '',
        event:
          event === ''
            ? '(automatic)'
            : event === 'TIMER.FIRED' && typeof timer === 'string'
              ? `wait for timer ${timer}`
              : event,
        condition: typeof expression === 'string' ? expression : null,
      });
    }
  };
  visit('', state.always);
  for (const [event, list] of Object.entries(state.on ?? {})) visit(event, list);
  for (const child of Object.values(state.states ?? {})) collectEdges(child, owner, out);
}

/**
 * For each uncovered edge, the shortest route from the intake that takes it: which events to send
 * and which conditions must hold along the way. A starting point for a new scenario.
 */
export function suggestPaths(
  version: FlowVersionRecord,
  edgeIds: readonly string[],
): EdgeSuggestion[] {
  const edges: EdgeInfo[] = [];
  collectEdges(version.machine, null, edges);
  const main = version.machine.states?.main;
  const start = main?.initial;
  if (start === undefined) return [];
  // Breadth-first search over nodes: the route (edges) to reach each node.
  const routes = new Map<string, EdgeInfo[]>([[start, []]]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const edge of edges.filter((e) => e.from === node)) {
      if (!routes.has(edge.to)) {
        routes.set(edge.to, [...(routes.get(node) ?? []), edge]);
        queue.push(edge.to);
      }
    }
  }
  return edgeIds.flatMap((edgeId) => {
    const edge = edges.find((e) => e.edgeId === edgeId);
    const route = edge === undefined ? undefined : routes.get(edge.from);
    if (edge === undefined || route === undefined) return [];
    return [
      {
        edgeId,
        from: edge.from,
        port: edge.port,
        via: [...route, edge].map((e) => ({
          edgeId: e.edgeId,
          event: e.event,
          condition: e.condition,
        })),
      },
    ];
  });
}
