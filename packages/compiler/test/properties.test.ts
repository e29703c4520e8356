import fc from 'fast-check';
import { NODE_CATALOG, NODE_KINDS } from '@switchyard/flow';
import type { NodeKind } from '@switchyard/flow';
import { createActor, createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../src';
import type { StateNodeJson } from '../src';
import { createHarnessMachine } from './harness';

const MIDDLE_KINDS = NODE_KINDS.filter((kind) => kind !== 'intake' && kind !== 'end');

interface GeneratedFlow {
  schemaVersion: 1;
  id: string;
  name: string;
  teams: { id: string; name: string }[];
  nodes: { id: string; kind: string; position: { x: number; y: number }; config: unknown }[];
  edges: { id: string; source: string; sourcePort: string; target: string }[];
}

function portsOf(kind: NodeKind, config: unknown): string[] {
  const definition = NODE_CATALOG[kind];
  const parsed = definition.configSchema.parse(config);
  return (definition.getPorts as (c: unknown) => readonly { id: string }[])(parsed).map(
    (port) => port.id,
  );
}

function waits(kind: NodeKind, config: unknown): boolean {
  const definition = NODE_CATALOG[kind];
  return (definition.waits as (c: unknown) => boolean)(definition.configSchema.parse(config));
}

/**
 * Random valid flows from the catalog: intake, a few nodes with their default configs, and end
 * nodes. Forward edges keep instant steps acyclic; back edges start only at waiting steps, so every
 * loop contains one.
 */
const validFlow = fc
  .record({
    kinds: fc.array(fc.constantFrom(...MIDDLE_KINDS), { minLength: 0, maxLength: 8 }),
    choices: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    backEdges: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  })
  .map(({ kinds, choices, backEdges }): GeneratedFlow => {
    const middle = kinds.map((kind, index) => ({ id: `n${index + 1}`, kind }));
    const nodes: GeneratedFlow['nodes'] = [
      {
        id: 'start',
        kind: 'intake',
        position: { x: 0, y: 0 },
        config: NODE_CATALOG.intake.defaultConfig,
      },
      ...middle.map((node, index) => ({
        ...node,
        position: { x: (index + 1) * 200, y: 0 },
        config: NODE_CATALOG[node.kind].defaultConfig,
      })),
      { id: 'done', kind: 'end', position: { x: 2000, y: 0 }, config: { outcome: 'closed' } },
    ];
    const edges: GeneratedFlow['edges'] = [];
    let pick = 0;
    nodes.forEach((node, index) => {
      if (node.kind === 'end') return;
      const kind = node.kind as NodeKind;
      for (const port of portsOf(kind, node.config)) {
        const choice = choices[pick % choices.length] ?? 0;
        const back =
          (backEdges[pick % backEdges.length] ?? false) && waits(kind, node.config) && index > 1;
        pick++;
        const later = nodes.slice(index + 1);
        const candidates = back ? nodes.slice(1, index + 1) : later;
        const target = candidates[choice % candidates.length] ?? nodes[nodes.length - 1];
        edges.push({
          id: `e${edges.length}`,
          source: node.id,
          sourcePort: port,
          target: target?.id ?? 'done',
        });
      }
    });
    return {
      schemaVersion: 1,
      id: 'generated',
      name: 'Generated',
      teams: [{ id: 'support', name: 'Support' }],
      nodes,
      edges,
    };
  });

function statePaths(state: StateNodeJson, prefix: string, out: string[] = []): string[] {
  for (const [key, child] of Object.entries(state.states ?? {})) {
    const path = `${prefix}.${key}`;
    out.push(path);
    statePaths(child, path, out);
  }
  return out;
}

describe('compiling random valid flows', () => {
  it('always compiles, loads in createMachine, and maps every state back to a node', () => {
    fc.assert(
      fc.property(validFlow, (flow) => {
        const result = compileFlow(flow);
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const { machine, sourceMap } = result;
        if (machine === undefined || sourceMap === undefined) throw new Error('no machine');
        createMachine(machine as never);
        const nodeIds = new Set(flow.nodes.map((node) => node.id));
        for (const path of statePaths(machine.states?.main ?? {}, 'main')) {
          const origin = sourceMap.states[path];
          if (path === 'main._closed') {
            expect(origin).toEqual({ builtin: 'closed' });
            continue;
          }
          expect(origin !== undefined && 'nodeId' in origin && nodeIds.has(origin.nodeId)).toBe(
            true,
          );
        }
        for (const path of statePaths(machine.states?.sla ?? {}, 'sla')) {
          expect(sourceMap.states[path]).toMatchObject({ region: 'sla' });
        }
        expect(Object.keys(sourceMap.edges).sort()).toEqual(
          flow.edges.map((edge) => edge.id).sort(),
        );
        expect(Object.keys(sourceMap.nodes).sort()).toEqual([...nodeIds].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('runs without errors in xstate when driven by arbitrary events', () => {
    const event = fc.oneof(
      fc.constant({ type: 'AGENT.RESOLVED' }),
      fc.constant({ type: 'AGENT.REPLIED' }),
      fc.constant({ type: 'CUSTOMER.REPLIED' }),
      fc.record({ type: fc.constant('APPROVAL.DECIDED'), approved: fc.boolean() }),
      fc.record({
        type: fc.constant('SURVEY.ANSWERED'),
        score: fc.integer({ min: 1, max: 5 }),
        resolved: fc.boolean(),
      }),
      fc.record({
        type: fc.constant('TIMER.FIRED'),
        timerId: fc.constantFrom('sla:response', 'n1:timeout', 'n2:send', 'n2:expire'),
      }),
      fc.record({
        type: fc.constant('ACTION.COMPLETED'),
        nodeId: fc.constantFrom('n1', 'n2', 'n3'),
        ok: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(validFlow, fc.array(event, { maxLength: 12 }), (flow, events) => {
        const { machine } = compileFlow(flow);
        if (machine === undefined) throw new Error('no machine');
        const actor = createActor(createHarnessMachine(machine), {
          input: {
            category: null,
            priority: 'medium',
            status: 'new',
            subject: 'help',
            customer: { tier: 'vip' },
          },
        });
        actor.start();
        for (const item of events) actor.send(item);
        expect(actor.getSnapshot().status).not.toBe('error');
        const visited = actor.getSnapshot().context.visited;
        expect(visited[0]).toBe('start');
      }),
      { numRuns: 200 },
    );
  });
});

describe('compiling mutated flows', () => {
  it('never throws: broken flows yield diagnostics instead of a machine', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('dangle' as const), index: fc.nat(), target: fc.string() }),
      fc.record({ op: fc.constant('remove' as const), index: fc.nat() }),
      fc.record({ op: fc.constant('garbage' as const), index: fc.nat(), config: fc.jsonValue() }),
      fc.record({ op: fc.constant('cel' as const), text: fc.string() }),
      fc.record({ op: fc.constant('kind' as const), index: fc.nat(), kind: fc.string() }),
    );
    fc.assert(
      fc.property(
        validFlow,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (flow, mutations) => {
          const doc = structuredClone(flow);
          for (const m of mutations) {
            switch (m.op) {
              case 'dangle': {
                const edge = doc.edges[m.index % Math.max(1, doc.edges.length)];
                if (edge) edge.target = m.target;
                break;
              }
              case 'remove':
                doc.nodes.splice(m.index % doc.nodes.length, 1);
                break;
              case 'garbage': {
                const node = doc.nodes[m.index % doc.nodes.length];
                if (node) node.config = m.config;
                break;
              }
              case 'cel':
                doc.nodes.push({
                  id: 'cond',
                  kind: 'condition',
                  position: { x: 0, y: 0 },
                  config: { branches: [{ id: 'a', label: 'A', when: m.text }] },
                });
                break;
              case 'kind': {
                const node = doc.nodes[m.index % doc.nodes.length];
                if (node) node.kind = m.kind;
                break;
              }
            }
          }
          const result = compileFlow(doc);
          if (result.machine === undefined) {
            expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
