import type { FlowDocument } from '@switchyard/flow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affectsLint,
  applyChange,
  ChangeConflictError,
  getTouchedIds,
  invertChange,
} from '../src/designer/model/changes';
import type { FlowChange } from '../src/designer/model/changes';
import { diffDocuments } from '../src/designer/model/diff';
import {
  connectChange,
  createNode,
  moveNodesChange,
  removeElementsChange,
  setAtPath,
} from '../src/designer/model/edits';
import { docArb, editArb, emptyDoc } from './designer-arbitraries';

function editsArb(doc: FlowDocument, steps: number): fc.Arbitrary<FlowChange[]> {
  if (steps === 0) return fc.constant([]);
  return editArb(doc).chain((change) =>
    editsArb(applyChange(doc, change), steps - 1).map((rest) => [change, ...rest]),
  );
}

const node = (id: string, x = 0) => ({
  id,
  kind: 'end',
  position: { x, y: 0 },
  config: { outcome: 'closed' },
});

describe('applyChange / invertChange', () => {
  it('apply then inverse gives back the same document, for any edit of any document', () => {
    fc.assert(
      fc.property(
        docArb.chain((doc) => fc.tuple(fc.constant(doc), editArb(doc))),
        ([doc, change]) => {
          const after = applyChange(doc, change);
          expect(applyChange(after, invertChange(change))).toEqual(doc);
        },
      ),
    );
  });

  it('undoing a sequence of edits in reverse order restores the original', () => {
    fc.assert(
      fc.property(
        docArb.chain((doc) => fc.tuple(fc.constant(doc), editsArb(doc, 5))),
        ([doc, changes]) => {
          let current = doc;
          for (const change of changes) current = applyChange(current, change);
          for (const change of [...changes].reverse()) {
            current = applyChange(current, invertChange(change));
          }
          expect(current).toEqual(doc);
        },
      ),
    );
  });

  it('does not mutate its input and keeps untouched nodes identical', () => {
    const doc = emptyDoc([node('a'), node('b', 100)]);
    const frozen = structuredClone(doc);
    const moved = applyChange(doc, moveNodesChange(doc, [['a', { x: 50, y: 5 }]]));
    expect(doc).toEqual(frozen);
    expect(moved.nodes[0]?.position).toEqual({ x: 50, y: 5 });
    expect(moved.nodes[1]).toBe(doc.nodes[1]);
    expect(moved.edges).toBe(doc.edges);
  });

  it('refuses changes that do not fit the document, naming the node', () => {
    const doc = emptyDoc([node('a')]);
    expect(() => applyChange(doc, { type: 'add-node', node: node('a'), index: 1 })).toThrow(
      /node "a": the id is taken/,
    );
    expect(() => applyChange(doc, { type: 'remove-node', node: node('b'), index: 0 })).toThrow(
      ChangeConflictError,
    );
    expect(() =>
      applyChange(doc, { type: 'move-node', id: 'zz', from: { x: 0, y: 0 }, to: { x: 1, y: 1 } }),
    ).toThrow(/no node "zz"/);
  });

  it('removing a node removes the edges touching it, and undo restores the original order', () => {
    const doc = emptyDoc(
      [node('a'), node('b'), node('c')],
      [
        { id: 'e1', source: 'a', sourcePort: 'next', target: 'b' },
        { id: 'e2', source: 'b', sourcePort: 'next', target: 'c' },
        { id: 'e3', source: 'a', sourcePort: 'else', target: 'c' },
      ],
    );
    const change = removeElementsChange(doc, ['b']);
    const after = applyChange(doc, change);
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'c']);
    expect(after.edges.map((e) => e.id)).toEqual(['e3']);
    expect(applyChange(after, invertChange(change))).toEqual(doc);
  });

  it('connecting a port that already has an edge replaces that edge, keeping its id', () => {
    const doc = emptyDoc(
      [node('a'), node('b'), node('c')],
      [{ id: 'e1', source: 'a', sourcePort: 'next', target: 'b' }],
    );
    const after = applyChange(
      doc,
      connectChange(doc, { source: 'a', sourcePort: 'next', target: 'c' }),
    );
    expect(after.edges).toEqual([{ id: 'e1', source: 'a', sourcePort: 'next', target: 'c' }]);
    const fresh = connectChange(after, { source: 'b', sourcePort: 'next', target: 'c' });
    expect(applyChange(after, fresh).edges[1]).toEqual({
      id: 'e-b-next',
      source: 'b',
      sourcePort: 'next',
      target: 'c',
    });
    expect(connectChange(after, { source: 'a', sourcePort: 'next', target: 'c' })).toEqual({
      type: 'batch',
      changes: [],
    });
  });

  it('creates nodes with the catalog default config and a free id', () => {
    const doc = emptyDoc([{ ...node('assign'), kind: 'assign' }]);
    const created = createNode(doc, 'assign', { x: 10.4, y: 20.6 });
    expect(created.id).toBe('assign-2');
    expect(created.position).toEqual({ x: 10, y: 21 });
    expect(created.config).toEqual({
      team: 'support',
      strategy: 'least-loaded',
      teamRules: [],
      requiredSkills: [],
    });
  });

  it('moves do not need a re-lint; anything else does', () => {
    expect(
      affectsLint({ type: 'move-node', id: 'a', from: { x: 0, y: 0 }, to: { x: 1, y: 0 } }),
    ).toBe(false);
    expect(affectsLint({ type: 'batch', changes: [] })).toBe(false);
    expect(affectsLint({ type: 'set-node-label', id: 'a', before: undefined, after: 'x' })).toBe(
      true,
    );
  });

  it('setAtPath copies along the path and removes keys set to undefined', () => {
    const value = { a: { b: [1, 2], c: 'x' }, d: 1 };
    const next = setAtPath(value, ['a', 'b', 1], 5) as typeof value;
    expect(next).toEqual({ a: { b: [1, 5], c: 'x' }, d: 1 });
    expect(value.a.b).toEqual([1, 2]);
    expect(setAtPath(value, ['a', 'c'], undefined)).toEqual({ a: { b: [1, 2] }, d: 1 });
    expect(setAtPath({}, ['list', 0, 'k'], 1)).toEqual({ list: [{ k: 1 }] });
  });
});

describe('diffDocuments', () => {
  it('the diff of any two documents turns the first into the second', () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        expect(applyChange(a, diffDocuments(a, b))).toEqual(b);
      }),
    );
  });

  it('the diff after a sequence of edits touches only what the edits touched', () => {
    fc.assert(
      fc.property(
        docArb.chain((doc) => fc.tuple(fc.constant(doc), editsArb(doc, 3))),
        ([doc, changes]) => {
          let current = doc;
          const touched = new Set<string>();
          for (const change of changes) {
            current = applyChange(current, change);
            for (const id of getTouchedIds(change).nodeIds) touched.add(id);
          }
          const diff = diffDocuments(doc, current);
          for (const id of getTouchedIds(diff).nodeIds) expect(touched).toContain(id);
          expect(applyChange(doc, diff)).toEqual(current);
        },
      ),
    );
  });

  it('describes a config edit as one set-node-config, not remove and add', () => {
    const a = emptyDoc([node('a'), node('b')]);
    const b = emptyDoc([node('a'), { ...node('b'), config: { outcome: 'resolved' } }]);
    expect(diffDocuments(a, b)).toEqual({
      type: 'set-node-config',
      id: 'b',
      before: { outcome: 'closed' },
      after: { outcome: 'resolved' },
    });
    expect(diffDocuments(a, a)).toEqual({ type: 'batch', changes: [] });
  });
});
