import type { FlowDocument, FlowEdge, FlowNode } from '@switchyard/flow';

/** A point on the canvas, in flow coordinates. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** A node's config as stored in the document (validated by lint, not here). */
export type NodeConfigValue = Readonly<Record<string, unknown>>;

/** Everything in a document except its graph: name, descriptions, ticket fields, teams, calendars. */
export type FlowSettings = Omit<FlowDocument, 'nodes' | 'edges'>;

/**
 * One edit of a Flow document. Every edit the designer makes — on the canvas, in the properties
 * panel, from the JSON view, by paste or auto-layout — is one of these, so undo/redo, autosave
 * and diffs all speak the same language. Each variant carries what its inverse needs (indices of
 * removed items, values before the edit), so `invertChange` needs no document.
 */
export type FlowChange =
  | { readonly type: 'add-node'; readonly node: FlowNode; readonly index: number }
  | { readonly type: 'remove-node'; readonly node: FlowNode; readonly index: number }
  | { readonly type: 'move-node'; readonly id: string; readonly from: XY; readonly to: XY }
  | {
      readonly type: 'set-node-config';
      readonly id: string;
      readonly before: NodeConfigValue;
      readonly after: NodeConfigValue;
    }
  | {
      readonly type: 'set-node-label';
      readonly id: string;
      readonly before: string | undefined;
      readonly after: string | undefined;
    }
  | { readonly type: 'add-edge'; readonly edge: FlowEdge; readonly index: number }
  | { readonly type: 'remove-edge'; readonly edge: FlowEdge; readonly index: number }
  | { readonly type: 'set-settings'; readonly before: FlowSettings; readonly after: FlowSettings }
  | { readonly type: 'batch'; readonly changes: readonly FlowChange[] };

/** Thrown when a change does not fit the document it is applied to (a bug or a stale change). */
export class ChangeConflictError extends Error {
  override readonly name = 'ChangeConflictError';
}

/**
 * The change that undoes `change`: `applyChange(applyChange(doc, c), invertChange(c))` is `doc`.
 *
 * @example
 * invertChange({ type: 'move-node', id: 'a', from: { x: 0, y: 0 }, to: { x: 10, y: 0 } });
 * // { type: 'move-node', id: 'a', from: { x: 10, y: 0 }, to: { x: 0, y: 0 } }
 */
export function invertChange(change: FlowChange): FlowChange {
  switch (change.type) {
    case 'add-node':
      return { type: 'remove-node', node: change.node, index: change.index };
    case 'remove-node':
      return { type: 'add-node', node: change.node, index: change.index };
    case 'move-node':
      return { type: 'move-node', id: change.id, from: change.to, to: change.from };
    case 'set-node-config':
      return { type: 'set-node-config', id: change.id, before: change.after, after: change.before };
    case 'set-node-label':
      return { type: 'set-node-label', id: change.id, before: change.after, after: change.before };
    case 'add-edge':
      return { type: 'remove-edge', edge: change.edge, index: change.index };
    case 'remove-edge':
      return { type: 'add-edge', edge: change.edge, index: change.index };
    case 'set-settings':
      return { type: 'set-settings', before: change.after, after: change.before };
    case 'batch':
      return { type: 'batch', changes: change.changes.map(invertChange).reverse() };
  }
}

/** Mutable copies of the arrays a change touches; the document itself is never mutated. */
interface Draft {
  settings: FlowSettings;
  nodes: FlowNode[] | null;
  edges: FlowEdge[] | null;
  source: FlowDocument;
}

function draftNodes(draft: Draft): FlowNode[] {
  draft.nodes ??= [...draft.source.nodes];
  return draft.nodes;
}

function draftEdges(draft: Draft): FlowEdge[] {
  draft.edges ??= [...draft.source.edges];
  return draft.edges;
}

function findNodeIndex(nodes: readonly FlowNode[], id: string, what: string): number {
  const index = nodes.findIndex((node) => node.id === id);
  if (index < 0) throw new ChangeConflictError(`Cannot ${what}: there is no node "${id}"`);
  return index;
}

function applyToDraft(draft: Draft, change: FlowChange): void {
  switch (change.type) {
    case 'add-node': {
      const nodes = draftNodes(draft);
      if (nodes.some((node) => node.id === change.node.id)) {
        throw new ChangeConflictError(`Cannot add node "${change.node.id}": the id is taken`);
      }
      if (change.index < 0 || change.index > nodes.length) {
        throw new ChangeConflictError(
          `Cannot add node "${change.node.id}" at index ${change.index} of ${nodes.length}`,
        );
      }
      nodes.splice(change.index, 0, change.node);
      return;
    }
    case 'remove-node': {
      const nodes = draftNodes(draft);
      if (nodes[change.index]?.id !== change.node.id) {
        throw new ChangeConflictError(
          `Cannot remove node "${change.node.id}": it is not at index ${change.index}`,
        );
      }
      nodes.splice(change.index, 1);
      return;
    }
    case 'move-node': {
      const nodes = draftNodes(draft);
      const index = findNodeIndex(nodes, change.id, 'move it');
      const node = nodes[index] as FlowNode;
      nodes[index] = { ...node, position: { x: change.to.x, y: change.to.y } };
      return;
    }
    case 'set-node-config': {
      const nodes = draftNodes(draft);
      const index = findNodeIndex(nodes, change.id, 'change its settings');
      const node = nodes[index] as FlowNode;
      nodes[index] = { ...node, config: change.after };
      return;
    }
    case 'set-node-label': {
      const nodes = draftNodes(draft);
      const index = findNodeIndex(nodes, change.id, 'rename it');
      const { label: _old, ...rest } = nodes[index] as FlowNode;
      nodes[index] = change.after === undefined ? rest : { ...rest, label: change.after };
      return;
    }
    case 'add-edge': {
      const edges = draftEdges(draft);
      if (edges.some((edge) => edge.id === change.edge.id)) {
        throw new ChangeConflictError(`Cannot add edge "${change.edge.id}": the id is taken`);
      }
      if (change.index < 0 || change.index > edges.length) {
        throw new ChangeConflictError(
          `Cannot add edge "${change.edge.id}" at index ${change.index} of ${edges.length}`,
        );
      }
      edges.splice(change.index, 0, change.edge);
      return;
    }
    case 'remove-edge': {
      const edges = draftEdges(draft);
      if (edges[change.index]?.id !== change.edge.id) {
        throw new ChangeConflictError(
          `Cannot remove edge "${change.edge.id}": it is not at index ${change.index}`,
        );
      }
      edges.splice(change.index, 1);
      return;
    }
    case 'set-settings':
      draft.settings = change.after;
      return;
    case 'batch':
      for (const inner of change.changes) applyToDraft(draft, inner);
      return;
  }
}

/**
 * Apply a change to a document and return the new document. Pure: the input is not mutated and
 * nodes and edges the change does not touch keep their identity (React memoisation relies on it).
 * Throws `ChangeConflictError` when the change does not fit, e.g. removing a node that moved.
 *
 * @example
 * const moved = applyChange(doc, { type: 'move-node', id: 'intake', from, to: { x: 40, y: 0 } });
 */
export function applyChange(doc: FlowDocument, change: FlowChange): FlowDocument {
  const { nodes: _nodes, edges: _edges, ...settings } = doc;
  const draft: Draft = { settings, nodes: null, edges: null, source: doc };
  applyToDraft(draft, change);
  if (draft.nodes === null && draft.edges === null && draft.settings === settings) return doc;
  return { ...draft.settings, nodes: draft.nodes ?? doc.nodes, edges: draft.edges ?? doc.edges };
}

/** The settings part of a document. */
export function getSettings(doc: FlowDocument): FlowSettings {
  const { nodes: _nodes, edges: _edges, ...settings } = doc;
  return settings;
}

/** A change that does nothing, for callers that build changes conditionally. */
export const EMPTY_CHANGE: FlowChange = { type: 'batch', changes: [] };

/** Flatten nested batches; a single change stays itself. */
export function batch(changes: readonly FlowChange[]): FlowChange {
  const flat: FlowChange[] = [];
  const visit = (change: FlowChange) => {
    if (change.type === 'batch') change.changes.forEach(visit);
    else flat.push(change);
  };
  changes.forEach(visit);
  return flat.length === 1 ? (flat[0] as FlowChange) : { type: 'batch', changes: flat };
}

/** True when a change has no effect on any document (an empty batch). */
export function isEmptyChange(change: FlowChange): boolean {
  return change.type === 'batch' && change.changes.every(isEmptyChange);
}

/** Every non-batch change inside a change, in order. */
export function flattenChange(change: FlowChange): FlowChange[] {
  return change.type === 'batch' ? change.changes.flatMap(flattenChange) : [change];
}

/**
 * True when the change can alter lint results. Moving nodes cannot (lint ignores positions), so
 * dragging a 1,000-node flow around does not re-lint it on every drop.
 */
export function affectsLint(change: FlowChange): boolean {
  return flattenChange(change).some((inner) => inner.type !== 'move-node');
}

/** Ids of the nodes and edges a change touches, for highlighting and autosave summaries. */
export function getTouchedIds(change: FlowChange): {
  readonly nodeIds: ReadonlySet<string>;
  readonly edgeIds: ReadonlySet<string>;
  readonly settings: boolean;
} {
  const nodeIds = new Set<string>();
  const edgeIds = new Set<string>();
  let settings = false;
  for (const inner of flattenChange(change)) {
    switch (inner.type) {
      case 'add-node':
      case 'remove-node':
        nodeIds.add(inner.node.id);
        break;
      case 'move-node':
      case 'set-node-config':
      case 'set-node-label':
        nodeIds.add(inner.id);
        break;
      case 'add-edge':
      case 'remove-edge':
        edgeIds.add(inner.edge.id);
        break;
      case 'set-settings':
        settings = true;
        break;
      case 'batch':
        break;
    }
  }
  return { nodeIds, edgeIds, settings };
}
