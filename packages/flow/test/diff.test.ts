import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffFlows, isEmptyDiff, NODE_KINDS } from '../src';
import type { DiffableFlow, FieldChange, FlowDiff } from '../src';
import { loadTemplate } from './fixtures';

const EMPTY: FlowDiff = {
  nodes: { added: [], removed: [], changed: [] },
  edges: { added: [], removed: [], changed: [] },
  settings: [],
};

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The same value with every object's keys in reverse order (equal as JSON data). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, child]) => [key, reverseKeys(child)]),
    );
  }
  return value;
}

describe('diffFlows on the SaaS template', () => {
  it('finds nothing between a flow and itself', () => {
    const flow = loadTemplate();
    expect(diffFlows(flow, clone(flow))).toEqual(EMPTY);
    expect(isEmptyDiff(diffFlows(flow, flow))).toBe(true);
  });

  it('names the changed config path with before and after', () => {
    const before = loadTemplate();
    const after = clone(before);
    const sla = after.nodes.find((node) => node.kind === 'sla');
    if (sla === undefined) throw new Error('template has no sla node');
    const targets = sla.config.targets as Record<string, { response?: string }>;
    const high = targets.high;
    if (high === undefined) throw new Error('template has no high target');
    const old = high.response;
    high.response = '45m';
    expect(diffFlows(before, after)).toEqual({
      ...EMPTY,
      nodes: {
        added: [],
        removed: [],
        changed: [
          {
            id: sla.id,
            fields: [{ path: 'config.targets.high.response', before: old, after: '45m' }],
          },
        ],
      },
    });
  });

  it('reports added and removed nodes and edges, and a retargeted edge', () => {
    const before = loadTemplate();
    const after = clone(before);
    const removed = after.nodes.splice(1, 1)[0];
    after.nodes.push({ id: 'extra', kind: 'end', position: { x: 1, y: 2 }, config: {} });
    const edge = after.edges[0];
    if (removed === undefined || edge === undefined) throw new Error('template too small');
    const oldTarget = edge.target;
    edge.target = 'extra';
    after.edges.push({ id: 'e-new', source: 'extra', sourcePort: 'next', target: 'extra' });
    const diff = diffFlows(before, after);
    expect(diff.nodes.added).toEqual(['extra']);
    expect(diff.nodes.removed).toEqual([removed.id]);
    expect(diff.nodes.changed).toEqual([]);
    expect(diff.edges.added).toEqual(['e-new']);
    expect(diff.edges.removed).toEqual([]);
    expect(diff.edges.changed).toEqual([
      { id: edge.id, fields: [{ path: 'target', before: oldTarget, after: 'extra' }] },
    ]);
  });

  it('reports document settings, matching teams by id', () => {
    const before = loadTemplate();
    const after = clone(before);
    after.name = 'Renamed';
    const [first, ...rest] = after.teams;
    if (first === undefined) throw new Error('template has no teams');
    after.teams = [...rest, { ...first, skills: [...first.skills, 'vip'] }];
    after.description = undefined;
    const diff = diffFlows(before, after);
    expect(diff.settings).toEqual([
      { path: 'description', before: before.description },
      { path: 'name', before: before.name, after: 'Renamed' },
      { path: `teams[${first.id}].skills`, before: first.skills, after: [...first.skills, 'vip'] },
    ]);
  });

  it('stays total on drafts with repeated ids', () => {
    const node = { id: 'a', kind: 'end', position: { x: 0, y: 0 }, config: {} };
    const diff = diffFlows(
      { nodes: [node], edges: [] },
      { nodes: [node, { ...node, label: 'copy' }], edges: [] },
    );
    expect(diff.nodes.added).toEqual(['a#2']);
  });
});

// --- properties ---------------------------------------------------------------------------------

const idArb = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const keyArb = fc.stringMatching(/^[a-z]{1,6}$/);
const jsonArb = fc.jsonValue({ maxDepth: 3 });

const flowArb: fc.Arbitrary<DiffableFlow> = fc
  .record({
    nodeIds: fc.uniqueArray(idArb, { maxLength: 8 }),
    edgeIds: fc.uniqueArray(idArb, { maxLength: 8 }),
    kinds: fc.array(fc.constantFrom(...NODE_KINDS), { minLength: 8, maxLength: 8 }),
    configs: fc.array(fc.dictionary(keyArb, jsonArb, { maxKeys: 4 }), {
      minLength: 8,
      maxLength: 8,
    }),
    positions: fc.array(fc.record({ x: fc.integer(), y: fc.integer() }), {
      minLength: 8,
      maxLength: 8,
    }),
    name: fc.string({ minLength: 1 }),
    extra: fc.dictionary(keyArb, jsonArb, { maxKeys: 3 }),
  })
  .map(({ nodeIds, edgeIds, kinds, configs, positions, name, extra }) => ({
    ...extra,
    schemaVersion: 1,
    id: 'flow',
    name,
    nodes: nodeIds.map((id, index) => ({
      id,
      kind: kinds[index] ?? 'end',
      position: positions[index] ?? { x: 0, y: 0 },
      config: configs[index] ?? {},
    })),
    edges: edgeIds.map((id, index) => ({
      id,
      source: nodeIds[index % Math.max(1, nodeIds.length)] ?? 'a',
      sourcePort: 'next',
      target: nodeIds[(index + 1) % Math.max(1, nodeIds.length)] ?? 'b',
    })),
  }));

type Mutation = (flow: DiffableFlow) => { flow: DiffableFlow; expected: FlowDiff } | null;

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Add a node with a fresh id.
  fc
    .record({ id: idArb, kind: fc.constantFrom(...NODE_KINDS) })
    .map(({ id, kind }): Mutation => (flow) => {
      if (flow.nodes.some((node) => node.id === id)) return null;
      const node = { id, kind, position: { x: 0, y: 0 }, config: {} };
      return {
        flow: { ...flow, nodes: [...flow.nodes, node] },
        expected: { ...EMPTY, nodes: { added: [id], removed: [], changed: [] } },
      };
    }),
  // Remove a node.
  fc.nat().map((n): Mutation => (flow) => {
    const node = flow.nodes[n % Math.max(1, flow.nodes.length)];
    if (node === undefined) return null;
    return {
      flow: { ...flow, nodes: flow.nodes.filter((other) => other !== node) },
      expected: { ...EMPTY, nodes: { added: [], removed: [node.id], changed: [] } },
    };
  }),
  // Set a config key to a new primitive value.
  fc
    .record({ n: fc.nat(), key: keyArb, value: fc.oneof(fc.string(), fc.integer(), fc.boolean()) })
    .map(({ n, key, value }): Mutation => (flow) => {
      const index = n % Math.max(1, flow.nodes.length);
      const node = flow.nodes[index];
      if (node === undefined || Object.is(node.config[key], value)) return null;
      const before = node.config[key];
      const nodes = flow.nodes.map((other, i) =>
        i === index ? { ...other, config: { ...other.config, [key]: value } } : other,
      );
      const field: FieldChange =
        before === undefined
          ? { path: `config.${key}`, after: value }
          : { path: `config.${key}`, before, after: value };
      return {
        flow: { ...flow, nodes },
        expected: {
          ...EMPTY,
          nodes: { added: [], removed: [], changed: [{ id: node.id, fields: [field] }] },
        },
      };
    }),
  // Move a node.
  fc
    .record({ n: fc.nat(), dx: fc.integer({ min: 1, max: 500 }) })
    .map(({ n, dx }): Mutation => (flow) => {
      const index = n % Math.max(1, flow.nodes.length);
      const node = flow.nodes[index];
      if (node === undefined) return null;
      const x = node.position.x + dx;
      const nodes = flow.nodes.map((other, i) =>
        i === index ? { ...other, position: { ...other.position, x } } : other,
      );
      return {
        flow: { ...flow, nodes },
        expected: {
          ...EMPTY,
          nodes: {
            added: [],
            removed: [],
            changed: [
              { id: node.id, fields: [{ path: 'position.x', before: node.position.x, after: x }] },
            ],
          },
        },
      };
    }),
  // Retarget an edge.
  fc.record({ n: fc.nat(), target: idArb }).map(({ n, target }): Mutation => (flow) => {
    const index = n % Math.max(1, flow.edges.length);
    const edge = flow.edges[index];
    if (edge === undefined || edge.target === target) return null;
    const edges = flow.edges.map((other, i) => (i === index ? { ...other, target } : other));
    return {
      flow: { ...flow, edges },
      expected: {
        ...EMPTY,
        edges: {
          added: [],
          removed: [],
          changed: [
            { id: edge.id, fields: [{ path: 'target', before: edge.target, after: target }] },
          ],
        },
      },
    };
  }),
  // Remove an edge.
  fc.nat().map((n): Mutation => (flow) => {
    const edge = flow.edges[n % Math.max(1, flow.edges.length)];
    if (edge === undefined) return null;
    return {
      flow: { ...flow, edges: flow.edges.filter((other) => other !== edge) },
      expected: { ...EMPTY, edges: { added: [], removed: [edge.id], changed: [] } },
    };
  }),
  // Rename the flow.
  fc.string({ minLength: 1 }).map(
    (name): Mutation =>
      (flow) =>
        flow.name === name
          ? null
          : {
              flow: { ...flow, name },
              expected: { ...EMPTY, settings: [{ path: 'name', before: flow.name, after: name }] },
            },
  ),
);

function swapField(field: FieldChange): FieldChange {
  return {
    path: field.path,
    ...(field.after !== undefined && { before: field.after }),
    ...(field.before !== undefined && { after: field.before }),
  };
}

describe('diffFlows properties', () => {
  it('the diff of a flow with itself is empty, whatever the key order', () => {
    fc.assert(
      fc.property(flowArb, (flow) => {
        expect(diffFlows(flow, clone(flow))).toEqual(EMPTY);
        expect(diffFlows(flow, reverseKeys(flow) as DiffableFlow)).toEqual(EMPTY);
      }),
    );
  });

  it('a random mutation shows up in the diff, and only it', () => {
    fc.assert(
      fc.property(flowArb, mutationArb, (flow, mutate) => {
        const result = mutate(flow);
        fc.pre(result !== null);
        expect(diffFlows(flow, result.flow)).toEqual(result.expected);
      }),
    );
  });

  it('is antisymmetric: swapping the sides swaps added/removed and before/after', () => {
    fc.assert(
      fc.property(flowArb, flowArb, (a, b) => {
        const forward = diffFlows(a, b);
        const backward = diffFlows(b, a);
        expect(new Set(backward.nodes.added)).toEqual(new Set(forward.nodes.removed));
        expect(new Set(backward.edges.removed)).toEqual(new Set(forward.edges.added));
        expect(isEmptyDiff(forward)).toBe(isEmptyDiff(backward));
        for (const change of forward.nodes.changed) {
          const other = backward.nodes.changed.find((c) => c.id === change.id);
          expect(other?.fields).toEqual(
            expect.arrayContaining(change.fields.map((field) => swapField(field))),
          );
        }
        expect(backward.settings).toEqual(
          expect.arrayContaining(forward.settings.map((field) => swapField(field))),
        );
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(flowArb, flowArb, (a, b) => {
        expect(JSON.stringify(diffFlows(a, b))).toBe(JSON.stringify(diffFlows(clone(a), clone(b))));
      }),
    );
  });
});
