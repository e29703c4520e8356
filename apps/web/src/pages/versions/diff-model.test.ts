import { diffFlows } from '@switchyard/flow';
import type { FlowEdge, FlowNode } from '@switchyard/flow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatValue,
  getChangeRows,
  getDiffGraph,
  getDiffSummary,
  getNodeLabel,
} from './diff-model';
import type { DiffDocument } from './diff-model';

function node(
  id: string,
  kind: string,
  x = 0,
  config: Record<string, unknown> = {},
  label?: string,
): FlowNode {
  return { id, kind, position: { x, y: 0 }, config, ...(label !== undefined && { label }) };
}
function edge(id: string, source: string, target: string, sourcePort = 'next'): FlowEdge {
  return { id, source, target, sourcePort };
}

const v1: DiffDocument = {
  nodes: [
    node('intake', 'intake'),
    node('sla', 'sla', 260, { targets: { high: '2h' } }),
    node('old', 'notify', 520),
    node('end', 'end', 780),
  ],
  edges: [edge('e1', 'intake', 'sla'), edge('e2', 'sla', 'old'), edge('e3', 'old', 'end')],
};
const v2: DiffDocument = {
  nodes: [
    node('intake', 'intake', 40),
    node('sla', 'sla', 260, { targets: { high: '1h' } }),
    node('vip', 'assign', 520, {}, 'VIP desk'),
    node('end', 'end', 780),
  ],
  edges: [edge('e1', 'intake', 'sla'), edge('e4', 'sla', 'vip'), edge('e5', 'vip', 'end')],
};

describe('getDiffGraph', () => {
  const diff = diffFlows(v1, v2);
  const graph = getDiffGraph(v1, v2, diff, 'en');
  const status = Object.fromEntries(graph.nodes.map((n) => [n.id, n.status]));

  it('marks nodes added, removed, changed, moved and unchanged', () => {
    expect(status).toEqual({
      intake: 'moved',
      sla: 'changed',
      vip: 'added',
      end: 'unchanged',
      old: 'removed',
    });
    const sla = graph.nodes.find((n) => n.id === 'sla');
    expect(sla?.fields).toEqual([{ path: 'config.targets.high', before: '2h', after: '1h' }]);
  });

  it('keeps removed nodes at their old position and their edges', () => {
    expect(graph.nodes.find((n) => n.id === 'old')?.position).toEqual({ x: 520, y: 0 });
    expect(Object.fromEntries(graph.edges.map((e) => [e.id, e.status]))).toEqual({
      e1: 'unchanged',
      e4: 'added',
      e5: 'added',
      e2: 'removed',
      e3: 'removed',
    });
  });

  it('labels nodes by their own label, else the catalog label in the UI language', () => {
    expect(graph.nodes.find((n) => n.id === 'vip')?.label).toBe('VIP desk');
    expect(getNodeLabel({ id: 'x', kind: 'sla' }, 'en')).toBe('SLA');
    expect(getNodeLabel({ id: 'x', kind: 'assign', label: '  ' }, 'zh-CN')).toBe('分派');
    expect(getNodeLabel({ id: 'x', kind: 'teleport' }, 'en')).toBe('x');
  });

  it('summarises and lists the changes, added first, with settings last', () => {
    const withSettings = diffFlows({ ...v1, name: 'A' }, { ...v2, name: 'B' });
    const summary = getDiffSummary(getDiffGraph(v1, v2, withSettings, 'en'), withSettings);
    expect(summary).toEqual({
      nodes: { added: 1, removed: 1, changed: 1, moved: 1 },
      edges: { added: 2, removed: 2, changed: 0 },
      settings: 1,
      identical: false,
    });
    const rows = getChangeRows(getDiffGraph(v1, v2, withSettings, 'en'), withSettings);
    expect(rows.map((row) => row.key)).toEqual([
      'node:vip',
      'node:old',
      'node:sla',
      'node:intake',
      'edge:e4',
      'edge:e5',
      'edge:e2',
      'edge:e3',
      'settings',
    ]);
    expect(rows.at(-1)?.fields).toEqual([{ path: 'name', before: 'A', after: 'B' }]);
  });

  it('finds nothing between a version and itself', () => {
    const same = diffFlows(v2, v2);
    const graph2 = getDiffGraph(v2, v2, same, 'en');
    expect(getDiffSummary(graph2, same).identical).toBe(true);
    expect(getChangeRows(graph2, same)).toEqual([]);
  });
});

describe('getDiffGraph on any two flows', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const documentArbitrary = fc
    .record({
      nodes: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom(...ids),
          kind: fc.constantFrom('assign', 'sla', 'end'),
          x: fc.integer({ min: 0, max: 3 }),
        }),
        { selector: (n) => n.id, maxLength: 6 },
      ),
      edges: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom('e1', 'e2', 'e3', 'e4'),
          source: fc.constantFrom(...ids),
          target: fc.constantFrom(...ids),
        }),
        { selector: (e) => e.id, maxLength: 4 },
      ),
    })
    .map(({ nodes, edges }): DiffDocument => ({
      nodes: nodes.map((n) => node(n.id, n.kind, n.x)),
      edges: edges.map((e) => edge(e.id, e.source, e.target)),
    }));

  it('shows every node of both sides once, with a status that matches where it exists', () => {
    fc.assert(
      fc.property(documentArbitrary, documentArbitrary, (from, to) => {
        const graph = getDiffGraph(from, to, diffFlows(from, to), 'en');
        const inFrom = new Set(from.nodes.map((n) => n.id));
        const inTo = new Set(to.nodes.map((n) => n.id));
        const shown = graph.nodes.map((n) => n.id);
        expect(new Set(shown).size).toBe(shown.length);
        expect(new Set(shown)).toEqual(new Set([...inFrom, ...inTo]));
        for (const n of graph.nodes) {
          if (!inFrom.has(n.id)) expect(n.status).toBe('added');
          else if (!inTo.has(n.id)) expect(n.status).toBe('removed');
          else expect(['changed', 'moved', 'unchanged']).toContain(n.status);
        }
        // Every drawn edge joins two drawn nodes.
        const drawn = new Set(shown);
        for (const e of graph.edges) {
          expect(drawn.has(e.source) && drawn.has(e.target)).toBe(true);
        }
      }),
    );
  });
});

describe('formatValue', () => {
  it('shows strings as they are, JSON otherwise, a dash for nothing, cut when long', () => {
    expect(formatValue('2h')).toBe('2h');
    expect(formatValue({ high: '1h' })).toBe('{"high":"1h"}');
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(null)).toBe('null');
    expect(formatValue('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
