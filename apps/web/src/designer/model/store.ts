import type { FlowDocument } from '@switchyard/flow';
import { affectsLint, applyChange, getTouchedIds, isEmptyChange } from './changes';
import type { FlowChange } from './changes';
import { EMPTY_HISTORY, recordEdit, redo, sealHistory, undo } from './history';
import type { History } from './history';
import { lintDocument } from './problems';
import type { LintSummary, PathSegment } from './problems';

export interface Selection {
  readonly nodeIds: readonly string[];
  readonly edgeIds: readonly string[];
}

export const EMPTY_SELECTION: Selection = { nodeIds: [], edgeIds: [] };

/** A request to show a field in the properties panel (from the problems panel). */
export interface FocusRequest {
  readonly nodeId: string;
  readonly path: readonly PathSegment[];
  /** Increases with every request, so asking twice for the same field focuses it again. */
  readonly sequence: number;
}

/** Why the document changed last. */
export type ChangeOrigin = 'edit' | 'undo' | 'redo' | 'reload';

/** Short names of edits for undo tooltips; translated by the UI (`history.<label>`). */
export type EditLabel =
  | 'add'
  | 'delete'
  | 'move'
  | 'connect'
  | 'edit'
  | 'rename'
  | 'settings'
  | 'paste'
  | 'duplicate'
  | 'layout'
  | 'json';

export interface DesignerState {
  readonly doc: FlowDocument;
  readonly lint: LintSummary;
  readonly history: History;
  readonly selection: Selection;
  readonly focus: FocusRequest | null;
  /** Incremented on every document change (cheap "did it change" for subscribers). */
  readonly version: number;
}

export interface DispatchOptions {
  readonly label: EditLabel;
  /** Edits with the same key in quick succession are one undo step (typing). */
  readonly coalesceKey?: string;
  /** Select these after the edit. */
  readonly select?: Selection;
}

/** Called after every applied change (edits, undo, redo), e.g. to autosave. */
export type ChangeListener = (change: FlowChange, doc: FlowDocument, origin: ChangeOrigin) => void;

export interface DesignerStore {
  getState: () => DesignerState;
  subscribe: (listener: () => void) => () => void;
  /** Apply an edit, record it for undo, re-lint, and tell change listeners. */
  dispatch: (change: FlowChange, options: DispatchOptions) => void;
  undo: () => boolean;
  redo: () => boolean;
  /** Stop merging the next edit into the current undo step (a field lost focus). */
  seal: () => void;
  select: (selection: Selection) => void;
  focusField: (nodeId: string, path: readonly PathSegment[]) => void;
  /** Replace the document without undo (loaded someone else's newer draft). */
  reload: (doc: FlowDocument) => void;
  onChange: (listener: ChangeListener) => () => void;
}

export interface DesignerStoreOptions {
  /** Clock for coalescing undo steps (ms). */
  readonly now?: () => number;
  readonly historyLimit?: number;
}

function keepExisting(doc: FlowDocument, selection: Selection): Selection {
  if (selection.nodeIds.length === 0 && selection.edgeIds.length === 0) return selection;
  const nodes = new Set(doc.nodes.map((node) => node.id));
  const edges = new Set(doc.edges.map((edge) => edge.id));
  const nodeIds = selection.nodeIds.filter((id) => nodes.has(id));
  const edgeIds = selection.edgeIds.filter((id) => edges.has(id));
  return nodeIds.length === selection.nodeIds.length && edgeIds.length === selection.edgeIds.length
    ? selection
    : { nodeIds, edgeIds };
}

/**
 * The designer's state outside React: the document, lint results, undo history and selection.
 * Components subscribe with selectors; every edit goes through `dispatch` as a `FlowChange`.
 *
 * @example
 * const store = createDesignerStore(doc);
 * store.dispatch(addNodeChange(doc, node), { label: 'add' });
 * store.undo();
 */
export function createDesignerStore(
  initial: FlowDocument,
  options: DesignerStoreOptions = {},
): DesignerStore {
  const now = options.now ?? (() => Date.now());
  const listeners = new Set<() => void>();
  const changeListeners = new Set<ChangeListener>();
  let state: DesignerState = {
    doc: initial,
    lint: lintDocument(initial),
    history: EMPTY_HISTORY,
    selection: EMPTY_SELECTION,
    focus: null,
    version: 0,
  };

  const emit = () => {
    for (const listener of listeners) listener();
  };

  const commit = (
    change: FlowChange,
    history: History,
    origin: ChangeOrigin,
    selection?: Selection,
  ) => {
    const doc = applyChange(state.doc, change);
    const lint = affectsLint(change) ? lintDocument(doc) : state.lint;
    state = {
      ...state,
      doc,
      lint,
      history,
      selection: keepExisting(doc, selection ?? state.selection),
      version: state.version + 1,
    };
    for (const listener of changeListeners) listener(change, doc, origin);
    emit();
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch(change, dispatchOptions) {
      if (isEmptyChange(change)) return;
      const history = recordEdit(
        state.history,
        {
          change,
          label: dispatchOptions.label,
          at: now(),
          ...(dispatchOptions.coalesceKey !== undefined && {
            coalesceKey: dispatchOptions.coalesceKey,
          }),
        },
        options.historyLimit === undefined ? {} : { limit: options.historyLimit },
      );
      commit(change, history, 'edit', dispatchOptions.select);
    },
    undo() {
      const step = undo(state.history);
      if (step === null) return false;
      const touched = getTouchedIds(step.change);
      commit(step.change, step.history, 'undo', {
        nodeIds: [...touched.nodeIds],
        edgeIds: [...touched.edgeIds],
      });
      return true;
    },
    redo() {
      const step = redo(state.history);
      if (step === null) return false;
      const touched = getTouchedIds(step.change);
      commit(step.change, step.history, 'redo', {
        nodeIds: [...touched.nodeIds],
        edgeIds: [...touched.edgeIds],
      });
      return true;
    },
    seal() {
      const history = sealHistory(state.history);
      if (history !== state.history) state = { ...state, history };
    },
    select(selection) {
      const next = keepExisting(state.doc, selection);
      const same =
        next.nodeIds.length === state.selection.nodeIds.length &&
        next.edgeIds.length === state.selection.edgeIds.length &&
        next.nodeIds.every((id, index) => state.selection.nodeIds[index] === id) &&
        next.edgeIds.every((id, index) => state.selection.edgeIds[index] === id);
      if (same) return;
      state = { ...state, selection: next };
      emit();
    },
    focusField(nodeId, path) {
      state = {
        ...state,
        selection: { nodeIds: [nodeId], edgeIds: [] },
        focus: { nodeId, path, sequence: (state.focus?.sequence ?? 0) + 1 },
      };
      emit();
    },
    reload(doc) {
      state = {
        ...state,
        doc,
        lint: lintDocument(doc),
        history: EMPTY_HISTORY,
        selection: keepExisting(doc, state.selection),
        version: state.version + 1,
      };
      emit();
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
}
