import type { FlowDocument } from '@switchyard/flow';
import type { FlowChange } from './changes';

/** Why a save did not go through. */
export type SaveFailure =
  /** Someone else saved the draft since our base revision (flows.saveDraft CONFLICT). */
  | { readonly kind: 'conflict' }
  /** The server refused the document (names the paths); retrying the same document won't help. */
  | { readonly kind: 'invalid'; readonly message: string }
  /** Network or server trouble: retried with backoff. */
  | { readonly kind: 'failed'; readonly message: string };

/** What a `save` function throws to tell autosave how to react. */
export class SaveError extends Error {
  override readonly name = 'SaveError';
  constructor(readonly failure: SaveFailure) {
    super(failure.kind === 'conflict' ? 'The draft was changed elsewhere' : failure.message);
  }
}

export type AutosaveStatus =
  /** Everything is saved. */
  | 'saved'
  /** Edits wait for the debounce. */
  | 'pending'
  | 'saving'
  /** The last save failed for a transient reason; another try is scheduled. */
  | 'retrying'
  /** The server refused the document; the next edit tries again. */
  | 'invalid'
  /** Stopped: the draft changed elsewhere. Resolve with `rebase`. */
  | 'conflict';

export interface AutosaveState {
  readonly status: AutosaveStatus;
  /** The draft revision our next save is based on. */
  readonly revision: number;
  /** Edits not yet saved. */
  readonly pendingChanges: number;
  /** When the last save succeeded (from `now`), or null. */
  readonly savedAt: number | null;
  readonly error: string | null;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutosaveOptions {
  save(document: FlowDocument, baseRevision: number): Promise<{ readonly draftRevision: number }>;
  /** The revision of the draft as loaded. */
  readonly revision: number;
  /** Quiet time after the last edit before saving (ms). */
  readonly delay?: number;
  /** Longest an edit waits while edits keep coming (ms). */
  readonly maxDelay?: number;
  /** Waits before retries after transient failures (ms); the last repeats. */
  readonly retryDelays?: readonly number[];
  readonly timers?: Timers;
  readonly now?: () => number;
}

export interface Autosave {
  /** Note an edit (the change and the document after it); a save follows after the debounce. */
  record: (change: FlowChange, document: FlowDocument) => void;
  /** Save pending edits now and wait until nothing is pending or saving fails. */
  flush: () => Promise<void>;
  getState: () => AutosaveState;
  subscribe: (listener: (state: AutosaveState) => void) => () => void;
  /** Edits made since the last successful save, oldest first (to re-apply after a conflict). */
  getPendingChanges: () => readonly FlowChange[];
  /**
   * Continue after a conflict from the server's latest revision: with a document, it is saved
   * next (our edits re-applied on top, or ours overwriting theirs); with null, our pending edits
   * are dropped (we reloaded theirs).
   */
  rebase: (revision: number, document: FlowDocument | null) => void;
  dispose: () => void;
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};

/**
 * Debounced, batched saving of a draft with optimistic concurrency: every save sends the whole
 * document with the revision it was based on; edits made while a save is in flight go into the
 * next one; a conflict stops saving until the user decides.
 *
 * @example
 * const autosave = createAutosave({ revision: 3, save: (doc, base) => api.saveDraft(doc, base) });
 * autosave.record(change, nextDoc);
 */
export function createAutosave(options: AutosaveOptions): Autosave {
  const timers = options.timers ?? defaultTimers;
  const now = options.now ?? (() => Date.now());
  const delay = options.delay ?? 800;
  const maxDelay = options.maxDelay ?? 5000;
  const retryDelays = options.retryDelays ?? [2000, 5000, 15000];
  const listeners = new Set<(state: AutosaveState) => void>();

  let pending: FlowChange[] = [];
  let latest: FlowDocument | null = null;
  let firstPendingAt: number | null = null;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;
  let attempt = 0;
  let disposed = false;
  let state: AutosaveState = {
    status: 'saved',
    revision: options.revision,
    pendingChanges: 0,
    savedAt: null,
    error: null,
  };

  const setState = (patch: Partial<AutosaveState>) => {
    state = { ...state, ...patch, pendingChanges: pending.length };
    for (const listener of listeners) listener(state);
  };

  const clearTimer = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };

  const schedule = (ms: number) => {
    clearTimer();
    if (disposed) return;
    timer = timers.setTimeout(() => {
      timer = null;
      void startSave();
    }, ms);
  };

  const scheduleDebounced = () => {
    const waited = firstPendingAt === null ? 0 : now() - firstPendingAt;
    schedule(Math.max(0, Math.min(delay, maxDelay - waited)));
  };

  const startSave = (): Promise<void> => {
    if (inFlight !== null) return inFlight;
    if (disposed || latest === null || pending.length === 0 || state.status === 'conflict') {
      return Promise.resolve();
    }
    const document = latest;
    const count = pending.length;
    setState({ status: 'saving' });
    const run = async () => {
      try {
        const { draftRevision } = await options.save(document, state.revision);
        attempt = 0;
        pending = pending.slice(count);
        firstPendingAt = pending.length > 0 ? now() : null;
        setState({
          status: pending.length > 0 ? 'pending' : 'saved',
          revision: draftRevision,
          savedAt: now(),
          error: null,
        });
        if (pending.length > 0) scheduleDebounced();
      } catch (error: unknown) {
        const failure: SaveFailure =
          error instanceof SaveError
            ? error.failure
            : { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
        switch (failure.kind) {
          case 'conflict':
            clearTimer();
            setState({ status: 'conflict', error: null });
            break;
          case 'invalid':
            setState({ status: 'invalid', error: failure.message });
            break;
          case 'failed': {
            const wait = retryDelays[Math.min(attempt, retryDelays.length - 1)] ?? 5000;
            attempt++;
            setState({ status: 'retrying', error: failure.message });
            schedule(wait);
            break;
          }
        }
      } finally {
        inFlight = null;
      }
    };
    inFlight = run();
    return inFlight;
  };

  return {
    record(change, document) {
      if (disposed) return;
      pending.push(change);
      latest = document;
      firstPendingAt ??= now();
      if (state.status === 'conflict') {
        setState({});
        return;
      }
      if (inFlight === null) setState({ status: 'pending', error: null });
      else setState({});
      if (inFlight === null) scheduleDebounced();
    },
    async flush() {
      clearTimer();
      for (;;) {
        if (inFlight !== null) {
          await inFlight;
          continue;
        }
        if (pending.length === 0 || state.status === 'conflict' || state.status === 'invalid') {
          return;
        }
        const before = pending.length;
        await startSave();
        if (state.status !== 'saved' && state.status !== 'pending') return;
        if (pending.length >= before) return;
      }
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getPendingChanges: () => pending,
    rebase(revision, document) {
      attempt = 0;
      if (document === null) {
        pending = [];
        latest = null;
        firstPendingAt = null;
        setState({ status: 'saved', revision, error: null });
        return;
      }
      latest = document;
      if (pending.length === 0) pending = [{ type: 'batch', changes: [] }];
      firstPendingAt = now();
      setState({ status: 'pending', revision, error: null });
      schedule(0);
    },
    dispose() {
      disposed = true;
      clearTimer();
      listeners.clear();
    },
  };
}
