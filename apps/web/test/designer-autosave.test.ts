import type { FlowDocument } from '@switchyard/flow';
import { describe, expect, it } from 'vitest';
import { createAutosave, SaveError } from '../src/designer/model/autosave';
import type { Timers } from '../src/designer/model/autosave';
import type { FlowChange } from '../src/designer/model/changes';
import { emptyDoc } from './designer-arbitraries';

/** A manual clock: timers run only when the test advances time. */
function createFakeTime() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    now: () => now,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, timer]) => timer.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await settle();
      }
      now = until;
      await settle();
    },
  };
}

async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const change = (x: number): FlowChange => ({
  type: 'move-node',
  id: 'a',
  from: { x: 0, y: 0 },
  to: { x, y: 0 },
});
const docNamed = (name: string): FlowDocument => ({ ...emptyDoc(), name });

describe('autosave', () => {
  it('batches edits made within the debounce into one save of the latest document', async () => {
    const time = createFakeTime();
    const saves: [string, number][] = [];
    const autosave = createAutosave({
      revision: 4,
      delay: 500,
      timers: time.timers,
      now: time.now,
      save: (doc, base) => {
        saves.push([doc.name, base]);
        return Promise.resolve({ draftRevision: base + 1 });
      },
    });
    autosave.record(change(1), docNamed('one'));
    await time.advance(300);
    autosave.record(change(2), docNamed('two'));
    await time.advance(300);
    autosave.record(change(3), docNamed('three'));
    expect(autosave.getState()).toMatchObject({ status: 'pending', pendingChanges: 3 });
    expect(saves).toEqual([]);
    await time.advance(500);
    expect(saves).toEqual([['three', 4]]);
    expect(autosave.getState()).toMatchObject({
      status: 'saved',
      revision: 5,
      pendingChanges: 0,
      savedAt: 1100,
    });
  });

  it('saves at the latest after maxDelay while edits keep coming', async () => {
    const time = createFakeTime();
    let saves = 0;
    const autosave = createAutosave({
      revision: 1,
      delay: 500,
      maxDelay: 2000,
      timers: time.timers,
      now: time.now,
      save: (_doc, base) => {
        saves++;
        return Promise.resolve({ draftRevision: base + 1 });
      },
    });
    for (let i = 0; i < 10; i++) {
      autosave.record(change(i), docNamed(`v${i}`));
      await time.advance(400);
    }
    expect(saves).toBeGreaterThanOrEqual(2);
  });

  it('edits made while a save is in flight go into the next save, based on the new revision', async () => {
    const time = createFakeTime();
    const calls: {
      name: string;
      base: number;
      done: ReturnType<typeof deferred<{ draftRevision: number }>>;
    }[] = [];
    const autosave = createAutosave({
      revision: 1,
      delay: 100,
      timers: time.timers,
      now: time.now,
      save: (doc, base) => {
        const done = deferred<{ draftRevision: number }>();
        calls.push({ name: doc.name, base, done });
        return done.promise;
      },
    });
    autosave.record(change(1), docNamed('first'));
    await time.advance(100);
    expect(autosave.getState().status).toBe('saving');
    autosave.record(change(2), docNamed('second'));
    await time.advance(1000);
    expect(calls).toHaveLength(1);
    expect(autosave.getState()).toMatchObject({ status: 'saving', pendingChanges: 2 });
    calls[0]?.done.resolve({ draftRevision: 2 });
    await settle();
    expect(autosave.getState()).toMatchObject({
      status: 'pending',
      pendingChanges: 1,
      revision: 2,
    });
    await time.advance(100);
    expect(calls.map((c) => [c.name, c.base])).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
    calls[1]?.done.resolve({ draftRevision: 3 });
    await settle();
    expect(autosave.getState()).toMatchObject({ status: 'saved', revision: 3 });
  });

  it('stops on a conflict until rebased; pending edits are kept for re-applying', async () => {
    const time = createFakeTime();
    let conflict = true;
    const bases: number[] = [];
    const autosave = createAutosave({
      revision: 7,
      delay: 100,
      timers: time.timers,
      now: time.now,
      save: (_doc, base) => {
        bases.push(base);
        if (conflict) return Promise.reject(new SaveError({ kind: 'conflict' }));
        return Promise.resolve({ draftRevision: base + 1 });
      },
    });
    autosave.record(change(1), docNamed('mine'));
    await time.advance(100);
    expect(autosave.getState().status).toBe('conflict');
    autosave.record(change(2), docNamed('mine 2'));
    await time.advance(5000);
    expect(bases).toEqual([7]);
    expect(autosave.getPendingChanges()).toEqual([change(1), change(2)]);
    conflict = false;
    autosave.rebase(9, docNamed('merged'));
    await time.advance(0);
    expect(bases).toEqual([7, 9]);
    expect(autosave.getState()).toMatchObject({ status: 'saved', revision: 10, pendingChanges: 0 });
  });

  it('retries transient failures with backoff and reports a refused document without retrying', async () => {
    const time = createFakeTime();
    let failures = 2;
    let refuse = false;
    let calls = 0;
    const autosave = createAutosave({
      revision: 1,
      delay: 100,
      retryDelays: [1000, 3000],
      timers: time.timers,
      now: time.now,
      save: (_doc, base) => {
        calls++;
        if (refuse)
          return Promise.reject(new SaveError({ kind: 'invalid', message: 'At nodes.0.id: bad' }));
        if (failures-- > 0) return Promise.reject(new Error('network down'));
        return Promise.resolve({ draftRevision: base + 1 });
      },
    });
    autosave.record(change(1), docNamed('x'));
    await time.advance(100);
    expect(autosave.getState()).toMatchObject({ status: 'retrying', error: 'network down' });
    await time.advance(999);
    expect(calls).toBe(1);
    await time.advance(1);
    expect(calls).toBe(2);
    await time.advance(3000);
    expect(calls).toBe(3);
    expect(autosave.getState().status).toBe('saved');
    refuse = true;
    autosave.record(change(2), docNamed('y'));
    await time.advance(100);
    expect(autosave.getState()).toMatchObject({ status: 'invalid', error: 'At nodes.0.id: bad' });
    await time.advance(60_000);
    expect(calls).toBe(4);
  });

  it('flush saves right away and waits for it', async () => {
    const time = createFakeTime();
    const names: string[] = [];
    const autosave = createAutosave({
      revision: 1,
      delay: 10_000,
      timers: time.timers,
      now: time.now,
      save: (doc, base) => {
        names.push(doc.name);
        return Promise.resolve({ draftRevision: base + 1 });
      },
    });
    autosave.record(change(1), docNamed('now'));
    await autosave.flush();
    expect(names).toEqual(['now']);
    expect(autosave.getState().status).toBe('saved');
  });
});
