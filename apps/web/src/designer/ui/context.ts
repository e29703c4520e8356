import { createContext, useCallback, useContext, useRef, useSyncExternalStore } from 'react';
import type { DesignerBackend } from '../backend';
import type { Autosave, AutosaveState } from '../model/autosave';
import type { DesignerState, DesignerStore } from '../model/store';

export interface DesignerSession {
  readonly flowId: string;
  readonly store: DesignerStore;
  readonly autosave: Autosave;
  readonly backend: DesignerBackend;
}

export const DesignerSessionContext = createContext<DesignerSession | null>(null);

export function useSession(): DesignerSession {
  const session = useContext(DesignerSessionContext);
  if (session === null) throw new Error('useSession is used outside a designer session');
  return session;
}

/**
 * Subscribe to a slice of the designer state. The component re-renders only when the selected
 * value changes (by `equal`), so a node on the canvas re-renders when its own badge changes,
 * not on every edit of the flow.
 */
export function useDesigner<T>(
  selector: (state: DesignerState) => T,
  equal: (a: T, b: T) => boolean = Object.is,
): T {
  const { store } = useSession();
  const cache = useRef<{ state: DesignerState; value: T } | null>(null);
  const selectorRef = useRef(selector);
  const equalRef = useRef(equal);
  if (selectorRef.current !== selector) {
    selectorRef.current = selector;
    cache.current = null; // a new selector (new closure) must be re-evaluated
  }
  equalRef.current = equal;
  const getSnapshot = useCallback(() => {
    const state = store.getState();
    const cached = cache.current;
    if (cached !== null && cached.state === state) return cached.value;
    const value = selectorRef.current(state);
    if (cached !== null && equalRef.current(cached.value, value)) {
      cache.current = { state, value: cached.value };
      return cached.value;
    }
    cache.current = { state, value };
    return value;
  }, [store]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}

export function useAutosaveState(): AutosaveState {
  const { autosave } = useSession();
  return useSyncExternalStore(autosave.subscribe, autosave.getState, autosave.getState);
}

/** Shallow equality of arrays, for selectors that return lists. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => Object.is(item, b[index]));
}
