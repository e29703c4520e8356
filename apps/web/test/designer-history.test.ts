import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChange } from '../src/designer/model/changes';
import type { FlowChange } from '../src/designer/model/changes';
import { setNodeConfigChange, setNodeLabelChange } from '../src/designer/model/edits';
import { EMPTY_HISTORY, recordEdit, redo, sealHistory, undo } from '../src/designer/model/history';
import type { History } from '../src/designer/model/history';
import { createDesignerStore } from '../src/designer/model/store';
import { docArb, editArb, emptyDoc } from './designer-arbitraries';

const move = (id: string, x: number): FlowChange => ({
  type: 'move-node',
  id,
  from: { x: x - 1, y: 0 },
  to: { x, y: 0 },
});

describe('undo/redo history', () => {
  it('undo pops the last step and redo puts it back; a new edit clears redo', () => {
    let history: History = EMPTY_HISTORY;
    history = recordEdit(history, { change: move('a', 1), label: 'move', at: 0 });
    history = recordEdit(history, { change: move('b', 2), label: 'move', at: 10 });
    const undone = undo(history);
    expect(undone?.change).toEqual({
      type: 'move-node',
      id: 'b',
      from: { x: 2, y: 0 },
      to: { x: 1, y: 0 },
    });
    history = undone?.history ?? history;
    expect(history.past).toHaveLength(1);
    expect(history.future).toHaveLength(1);
    expect(redo(history)?.change).toEqual(move('b', 2));
    history = recordEdit(history, { change: move('c', 3), label: 'move', at: 20 });
    expect(history.future).toEqual([]);
    expect(redo(history)).toBeNull();
    expect(undo(EMPTY_HISTORY)).toBeNull();
  });

  it('merges typing in one field into one step within the window, not beyond it', () => {
    const doc = emptyDoc([
      { id: 'a', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'c' } },
    ]);
    let current = doc;
    let history: History = EMPTY_HISTORY;
    for (const [index, text] of ['cl', 'clo', 'clos'].entries()) {
      const change = setNodeConfigChange(current, 'a', { outcome: text });
      current = applyChange(current, change);
      history = recordEdit(history, {
        change,
        label: 'edit',
        coalesceKey: 'a:outcome',
        at: index * 300,
      });
    }
    expect(history.past).toHaveLength(1);
    expect(history.past[0]?.change).toEqual({
      type: 'set-node-config',
      id: 'a',
      before: { outcome: 'c' },
      after: { outcome: 'clos' },
    });
    const late = setNodeConfigChange(current, 'a', { outcome: 'closed' });
    history = recordEdit(history, {
      change: late,
      label: 'edit',
      coalesceKey: 'a:outcome',
      at: 5000,
    });
    expect(history.past).toHaveLength(2);
    const sealed = sealHistory(history);
    const again = setNodeLabelChange(applyChange(current, late), 'a', 'x');
    expect(
      recordEdit(sealed, { change: again, label: 'rename', coalesceKey: 'a:outcome', at: 5001 })
        .past,
    ).toHaveLength(3);
  });

  it('drops the oldest steps beyond the limit and ignores empty edits', () => {
    let history: History = EMPTY_HISTORY;
    for (let i = 0; i < 5; i++) {
      history = recordEdit(history, { change: move('a', i), label: 'move', at: i }, { limit: 3 });
    }
    expect(history.past.map((entry) => entry.at)).toEqual([2, 3, 4]);
    expect(
      recordEdit(history, { change: { type: 'batch', changes: [] }, label: 'move', at: 9 }),
    ).toBe(history);
  });

  it('the store undoes every edit back to the loaded document and redoes to the last', () => {
    fc.assert(
      fc.property(
        docArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        (doc, seeds, coalesce) => {
          let clock = 0;
          const store = createDesignerStore(doc, { now: () => (clock += 100) });
          const seen = [doc];
          for (const [index, seed] of seeds.entries()) {
            const current = store.getState().doc;
            const [change] = fc.sample(editArb(current), { seed, numRuns: 1 });
            if (change === undefined) continue;
            store.dispatch(change, {
              label: 'edit',
              ...(coalesce[index] === true && { coalesceKey: 'same' }),
            });
            seen.push(store.getState().doc);
          }
          const last = store.getState().doc;
          while (store.undo()) {
            expect(seen).toContainEqual(store.getState().doc);
          }
          expect(store.getState().doc).toEqual(doc);
          while (store.redo()) {
            /* redo everything */
          }
          expect(store.getState().doc).toEqual(last);
        },
      ),
    );
  });

  it('the store tells change listeners about edits, undo and redo, and re-lints', () => {
    const doc = emptyDoc([
      { id: 'intake', kind: 'intake', position: { x: 0, y: 0 }, config: { channels: ['web'] } },
    ]);
    const store = createDesignerStore(doc);
    const origins: string[] = [];
    store.onChange((_change, _doc, origin) => origins.push(origin));
    expect(store.getState().lint.byNode.get('intake')?.errors).toBe(1); // dead end
    store.dispatch(
      {
        type: 'add-node',
        node: {
          id: 'done',
          kind: 'end',
          position: { x: 300, y: 0 },
          config: { outcome: 'resolved' },
        },
        index: 1,
      },
      { label: 'add' },
    );
    store.dispatch(
      {
        type: 'add-edge',
        edge: { id: 'e1', source: 'intake', sourcePort: 'next', target: 'done' },
        index: 0,
      },
      { label: 'connect' },
    );
    expect(store.getState().lint.errorCount).toBe(0);
    expect(store.getState().lint.canPublish).toBe(true);
    store.undo();
    expect(store.getState().lint.canPublish).toBe(false);
    store.redo();
    expect(origins).toEqual(['edit', 'edit', 'undo', 'redo']);
    expect(store.getState().selection.edgeIds).toEqual(['e1']);
  });
});
