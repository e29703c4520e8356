import { getNodeKind } from '@switchyard/flow';
import type { FlowDocument, FlowEdge, FlowNode, NodeKind } from '@switchyard/flow';
import { batch, EMPTY_CHANGE, getSettings } from './changes';
import type { FlowChange, FlowSettings, NodeConfigValue, XY } from './changes';
import { isJsonEqual } from './equal';
import { createUniqueId } from './ids';

/**
 * Builders of `FlowChange`s from user intent. They read the current document to fill in what the
 * change needs to be invertible (indices, previous values) and return `EMPTY_CHANGE` when there
 * is nothing to do.
 */

/** A new node of `kind` with the catalog's default config and a free id such as `assign-2`. */
export function createNode(doc: FlowDocument, kind: NodeKind, position: XY): FlowNode {
  const taken = new Set(doc.nodes.map((node) => node.id));
  return {
    id: createUniqueId(kind, taken),
    kind,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: structuredClone(getNodeKind(kind).defaultConfig) as Record<string, unknown>,
  };
}

export function addNodeChange(doc: FlowDocument, node: FlowNode): FlowChange {
  return { type: 'add-node', node, index: doc.nodes.length };
}

/**
 * Remove nodes and edges; edges touching a removed node go too. Removals run from the highest
 * index down, so each recorded index is right when applied and when undone in reverse.
 */
export function removeElementsChange(
  doc: FlowDocument,
  nodeIds: Iterable<string>,
  edgeIds: Iterable<string> = [],
): FlowChange {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  const changes: FlowChange[] = [];
  for (let index = doc.edges.length - 1; index >= 0; index--) {
    const edge = doc.edges[index] as FlowEdge;
    if (edges.has(edge.id) || nodes.has(edge.source) || nodes.has(edge.target)) {
      changes.push({ type: 'remove-edge', edge, index });
    }
  }
  for (let index = doc.nodes.length - 1; index >= 0; index--) {
    const node = doc.nodes[index] as FlowNode;
    if (nodes.has(node.id)) changes.push({ type: 'remove-node', node, index });
  }
  return batch(changes);
}

/** Move nodes to new positions (rounded to whole pixels); unchanged positions are left out. */
export function moveNodesChange(
  doc: FlowDocument,
  positions: ReadonlyMap<string, XY> | Iterable<readonly [string, XY]>,
): FlowChange {
  const byId = new Map(positions);
  const changes: FlowChange[] = [];
  for (const node of doc.nodes) {
    const target = byId.get(node.id);
    if (target === undefined) continue;
    const to = { x: Math.round(target.x), y: Math.round(target.y) };
    if (to.x !== node.position.x || to.y !== node.position.y) {
      changes.push({ type: 'move-node', id: node.id, from: node.position, to });
    }
  }
  return batch(changes);
}

export interface Connection {
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
}

/**
 * Connect an output port to a node. A port has one outgoing edge, so an existing edge from the
 * same port is replaced (one undoable step) rather than left for lint to complain about.
 */
export function connectChange(doc: FlowDocument, connection: Connection): FlowChange {
  const existingIndex = doc.edges.findIndex(
    (edge) => edge.source === connection.source && edge.sourcePort === connection.sourcePort,
  );
  const existing = doc.edges[existingIndex];
  if (existing?.target === connection.target) return EMPTY_CHANGE;
  const taken = new Set(doc.edges.map((edge) => edge.id));
  if (existing !== undefined) taken.delete(existing.id);
  const edge: FlowEdge = {
    id: existing?.id ?? createUniqueId(`e-${connection.source}-${connection.sourcePort}`, taken),
    source: connection.source,
    sourcePort: connection.sourcePort,
    target: connection.target,
  };
  if (existing === undefined) return { type: 'add-edge', edge, index: doc.edges.length };
  return batch([
    { type: 'remove-edge', edge: existing, index: existingIndex },
    { type: 'add-edge', edge, index: existingIndex },
  ]);
}

export function getNode(doc: FlowDocument, id: string): FlowNode | undefined {
  return doc.nodes.find((node) => node.id === id);
}

export function setNodeConfigChange(
  doc: FlowDocument,
  id: string,
  config: NodeConfigValue,
): FlowChange {
  const node = getNode(doc, id);
  if (node === undefined || isJsonEqual(node.config, config)) return EMPTY_CHANGE;
  return { type: 'set-node-config', id, before: node.config, after: config };
}

export function setNodeLabelChange(
  doc: FlowDocument,
  id: string,
  label: string | undefined,
): FlowChange {
  const node = getNode(doc, id);
  const after = label === '' ? undefined : label;
  if (node === undefined || node.label === after) return EMPTY_CHANGE;
  return { type: 'set-node-label', id, before: node.label, after };
}

export function setSettingsChange(doc: FlowDocument, settings: FlowSettings): FlowChange {
  const before = getSettings(doc);
  if (isJsonEqual(before, settings)) return EMPTY_CHANGE;
  return { type: 'set-settings', before, after: settings };
}

type PathSegment = string | number;

/** Read the value at a path inside a JSON value (undefined when any step is missing). */
export function getAtPath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Object.hasOwn(current, segment)
      ? (current as Record<PathSegment, unknown>)[segment]
      : undefined;
  }
  return current;
}

/**
 * A copy of `value` with `next` at `path`, creating objects (or arrays for numeric segments) on
 * the way. Setting `undefined` removes the key (optional fields stay absent, not `null`).
 */
export function setAtPath(value: unknown, path: readonly PathSegment[], next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  const container: unknown =
    typeof value === 'object' && value !== null ? value : typeof head === 'number' ? [] : {};
  const child = setAtPath((container as Record<PathSegment, unknown>)[head], rest, next);
  if (Array.isArray(container)) {
    const copy: unknown[] = [...(container as unknown[])];
    copy[Number(head)] = child;
    return copy;
  }
  const key = String(head);
  const source = container as Record<string, unknown>;
  // Rebuilt rather than `delete`d, keeping key order (the JSON view shows it).
  const entries = Object.hasOwn(source, key)
    ? Object.entries(source).map(([k, v]): [string, unknown] => [k, k === key ? child : v])
    : [...Object.entries(source), [key, child] as [string, unknown]];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}
