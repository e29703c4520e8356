import { batch, invertChange, isEmptyChange } from './changes';
import type { FlowChange } from './changes';

/** One undoable step: a change and a short label for menus ("Move 3 nodes"). */
export interface HistoryEntry {
  readonly change: FlowChange;
  readonly label: string;
  /**
   * Edits with the same key made in quick succession become one step (typing in a field, nudging
   * with arrow keys). Undefined never merges.
   */
  readonly coalesceKey?: string;
  /** When the edit was made (ms, from the caller's clock); only compared for coalescing. */
  readonly at: number;
}

export interface History {
  readonly past: readonly HistoryEntry[];
  readonly future: readonly HistoryEntry[];
}

export const EMPTY_HISTORY: History = { past: [], future: [] };

export interface HistoryOptions {
  /** Steps kept; the oldest are dropped. */
  readonly limit?: number;
  /** Edits with the same coalesce key at most this far apart merge (ms). */
  readonly coalesceWindow?: number;
}

const DEFAULT_LIMIT = 200;
const DEFAULT_COALESCE_WINDOW = 1000;

/**
 * Merge two consecutive changes into one. Two config (or label) edits of the same node keep the
 * first `before` and the last `after`; anything else becomes a batch.
 */
function mergeChanges(first: FlowChange, second: FlowChange): FlowChange {
  if (first.type === 'set-node-config' && second.type === 'set-node-config') {
    if (first.id === second.id) return { ...second, before: first.before };
  }
  if (first.type === 'set-node-label' && second.type === 'set-node-label') {
    if (first.id === second.id) return { ...second, before: first.before };
  }
  if (first.type === 'set-settings' && second.type === 'set-settings') {
    return { ...second, before: first.before };
  }
  if (first.type === 'move-node' && second.type === 'move-node' && first.id === second.id) {
    return { ...second, from: first.from };
  }
  return batch([first, second]);
}

/**
 * Record a new edit: it goes on the undo stack (merged with the previous one when they share a
 * coalesce key within the window) and the redo stack is cleared.
 */
export function recordEdit(
  history: History,
  entry: HistoryEntry,
  options: HistoryOptions = {},
): History {
  if (isEmptyChange(entry.change)) return history;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const window = options.coalesceWindow ?? DEFAULT_COALESCE_WINDOW;
  const last = history.past.at(-1);
  if (
    last !== undefined &&
    entry.coalesceKey !== undefined &&
    last.coalesceKey === entry.coalesceKey &&
    entry.at - last.at <= window &&
    history.future.length === 0
  ) {
    const merged: HistoryEntry = {
      ...entry,
      change: mergeChanges(last.change, entry.change),
    };
    return { past: [...history.past.slice(0, -1), merged], future: [] };
  }
  const past = [...history.past, entry];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [] };
}

export interface HistoryStep {
  readonly history: History;
  /** The change to apply to the current document. */
  readonly change: FlowChange;
  readonly entry: HistoryEntry;
}

/** Undo the last step: the inverse change to apply, and the history after it. */
export function undo(history: History): HistoryStep | null {
  const entry = history.past.at(-1);
  if (entry === undefined) return null;
  return {
    history: { past: history.past.slice(0, -1), future: [...history.future, entry] },
    change: invertChange(entry.change),
    entry,
  };
}

/** Redo the last undone step. */
export function redo(history: History): HistoryStep | null {
  const entry = history.future.at(-1);
  if (entry === undefined) return null;
  return {
    history: { past: [...history.past, entry], future: history.future.slice(0, -1) },
    change: entry.change,
    entry,
  };
}

/** Break coalescing: the next edit starts a new step even with the same key. */
export function sealHistory(history: History): History {
  const last = history.past.at(-1);
  if (last?.coalesceKey === undefined) return history;
  const { coalesceKey: _key, ...sealed } = last;
  return { past: [...history.past.slice(0, -1), sealed], future: history.future };
}
