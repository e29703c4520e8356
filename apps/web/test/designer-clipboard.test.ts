import type { FlowDocument } from '@switchyard/flow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChange } from '../src/designer/model/changes';
import {
  createFragment,
  parseFragment,
  pasteFragment,
  serializeFragment,
} from '../src/designer/model/clipboard';
import { createUniqueId } from '../src/designer/model/ids';
import { docArb, emptyDoc } from './designer-arbitraries';

const node = (id: string, x: number, y = 0) => ({
  id,
  kind: 'end',
  position: { x, y },
  config: { outcome: 'closed' },
});

describe('clipboard fragments', () => {
  const doc: FlowDocument = emptyDoc(
    [node('a', 0), node('b', 200, 40), node('c', 400)],
    [
      { id: 'e1', source: 'a', sourcePort: 'next', target: 'b' },
      { id: 'e2', source: 'b', sourcePort: 'next', target: 'c' },
    ],
  );

  it('copies the selected nodes and only the edges between them', () => {
    const fragment = createFragment(doc, ['a', 'b']);
    expect(fragment.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(fragment.edges.map((e) => e.id)).toEqual(['e1']);
    expect(fragment.sourceFlowId).toBe('test-flow');
  });

  it('pasting into the same flow remaps taken ids, keeps edges with their nodes and places the copy', () => {
    const fragment = createFragment(doc, ['a', 'b']);
    const { change, nodeIds, renamed } = pasteFragment(doc, fragment, { x: 1000, y: 500 });
    const after = applyChange(doc, change);
    expect(nodeIds).toEqual(['a-2', 'b-2']);
    expect([...renamed]).toEqual([
      ['a', 'a-2'],
      ['b', 'b-2'],
    ]);
    expect(after.nodes.slice(3).map((n) => [n.id, n.position])).toEqual([
      ['a-2', { x: 1000, y: 500 }],
      ['b-2', { x: 1200, y: 540 }],
    ]);
    expect(after.edges.at(-1)).toEqual({
      id: 'e-a-2-next',
      source: 'a-2',
      sourcePort: 'next',
      target: 'b-2',
    });
    expect(after.nodes.slice(0, 3)).toEqual(doc.nodes);
  });

  it('pasting into another flow keeps free ids; the text round-trips through the clipboard', () => {
    const text = serializeFragment(createFragment(doc, ['b', 'c']));
    const parsed = parseFragment(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const other = emptyDoc([node('x', 0)]);
    const after = applyChange(other, pasteFragment(other, parsed.fragment, { x: 0, y: 0 }).change);
    expect(after.nodes.map((n) => n.id)).toEqual(['x', 'b', 'c']);
    expect(after.edges).toEqual([{ id: 'e2', source: 'b', sourcePort: 'next', target: 'c' }]);
  });

  it('accepts a whole flow document or a single node, and explains what is wrong otherwise', () => {
    const whole = parseFragment(JSON.stringify(doc));
    expect(whole.ok && whole.fragment.nodes.length).toBe(3);
    const single = parseFragment(JSON.stringify(node('solo', 5)));
    expect(single.ok && single.fragment.nodes[0]?.id).toBe('solo');
    expect(parseFragment('hello')).toEqual({
      ok: false,
      error: 'The clipboard does not hold Flow JSON.',
    });
    const bad = parseFragment(
      JSON.stringify({
        nodes: [{ id: '1bad', kind: 'end', position: { x: 0, y: 0 }, config: {} }],
      }),
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/nodes\.0\.id/);
  });

  it('after any paste every node and edge id is unique and every pasted edge joins pasted nodes', () => {
    fc.assert(
      fc.property(docArb, docArb, fc.integer({ min: -500, max: 500 }), (target, source, at) => {
        const fragment = createFragment(
          source,
          source.nodes.map((n) => n.id),
        );
        const { change, nodeIds } = pasteFragment(target, fragment, { x: at, y: at });
        const after = applyChange(target, change);
        expect(new Set(after.nodes.map((n) => n.id)).size).toBe(after.nodes.length);
        expect(new Set(after.edges.map((e) => e.id)).size).toBe(after.edges.length);
        const pasted = new Set(nodeIds);
        for (const edge of after.edges.slice(target.edges.length)) {
          expect(pasted.has(edge.source) && pasted.has(edge.target)).toBe(true);
        }
        expect(nodeIds).toHaveLength(source.nodes.length);
      }),
    );
  });

  it('unique ids replace a numeric suffix instead of stacking them', () => {
    expect(createUniqueId('assign', new Set())).toBe('assign');
    expect(createUniqueId('assign-2', new Set(['assign-2']))).toBe('assign-3');
    expect(createUniqueId('9lives', new Set())).toBe('n-9lives');
  });
});
