import { flowDocumentSchema } from '@switchyard/flow';
import type { FlowDocument, FlowEdge, FlowNode } from '@switchyard/flow';
import { batch } from './changes';
import type { FlowChange, XY } from './changes';
import { createUniqueId } from './ids';

/** Marks clipboard text as ours; other JSON with `nodes` (a whole flow file) is accepted too. */
export const FRAGMENT_TYPE = 'switchyard/flow-fragment';

/**
 * A piece of a flow on the clipboard: nodes and the edges between them, as plain Flow JSON, so
 * it can be pasted into another flow, another browser tab or a text editor.
 */
export interface FlowFragment {
  readonly type: typeof FRAGMENT_TYPE;
  readonly version: 1;
  /** The flow it was copied from, for information. */
  readonly sourceFlowId?: string;
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

const nodeSchema = flowDocumentSchema.shape.nodes.element;
const edgeSchema = flowDocumentSchema.shape.edges.element;

/** The selected nodes and every edge between two of them. */
export function createFragment(doc: FlowDocument, nodeIds: Iterable<string>): FlowFragment {
  const ids = new Set(nodeIds);
  return {
    type: FRAGMENT_TYPE,
    version: 1,
    sourceFlowId: doc.id,
    nodes: doc.nodes.filter((node) => ids.has(node.id)),
    edges: doc.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
  };
}

export function serializeFragment(fragment: FlowFragment): string {
  return JSON.stringify(fragment, null, 2);
}

export type ParseFragmentResult =
  | { readonly ok: true; readonly fragment: FlowFragment }
  | { readonly ok: false; readonly error: string };

/**
 * Read clipboard text: a fragment, a whole flow document (its nodes and edges) or a single node.
 * Never throws; the error says what is wrong with which node or edge.
 */
export function parseFragment(text: string): ParseFragmentResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The clipboard does not hold Flow JSON.' };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const single = value as Record<string, unknown>;
    if (!('nodes' in single) && 'kind' in single && 'id' in single) value = { nodes: [single] };
  }
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const rawNodes = record.nodes;
  const rawEdges = record.edges ?? [];
  if (!Array.isArray(rawNodes) || rawNodes.length === 0 || !Array.isArray(rawEdges)) {
    return { ok: false, error: 'The clipboard does not hold Flow nodes.' };
  }
  const nodes: FlowNode[] = [];
  for (const [index, raw] of rawNodes.entries()) {
    const parsed = nodeSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: describeIssue('nodes', index, parsed.error) };
    nodes.push(parsed.data);
  }
  const edges: FlowEdge[] = [];
  for (const [index, raw] of (rawEdges as unknown[]).entries()) {
    const parsed = edgeSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: describeIssue('edges', index, parsed.error) };
    edges.push(parsed.data);
  }
  return { ok: true, fragment: { type: FRAGMENT_TYPE, version: 1, nodes, edges } };
}

interface IssueList {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

function describeIssue(list: string, index: number, error: IssueList): string {
  const [issue] = error.issues;
  const path = [list, index, ...(issue?.path ?? [])].map(String).join('.');
  return `The pasted Flow JSON is not valid at ${path}: ${issue?.message ?? 'unknown shape'}.`;
}

/** Top-left corner of the nodes' positions. */
export function getFragmentOrigin(fragment: FlowFragment): XY {
  let x = Infinity;
  let y = Infinity;
  for (const node of fragment.nodes) {
    x = Math.min(x, node.position.x);
    y = Math.min(y, node.position.y);
  }
  return Number.isFinite(x) ? { x, y } : { x: 0, y: 0 };
}

export interface PasteResult {
  readonly change: FlowChange;
  /** Ids of the pasted nodes in the target document (to select them). */
  readonly nodeIds: readonly string[];
  /** Old id → new id, for nodes whose id was taken. */
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * Add a fragment to a document: ids that are taken get a fresh one (`assign` → `assign-2`), edges
 * follow their nodes, edges to nodes outside the fragment are dropped, and the nodes move so
 * their top-left corner lands at `at`.
 *
 * @example
 * const { change, nodeIds } = pasteFragment(doc, fragment, { x: 400, y: 120 });
 */
export function pasteFragment(doc: FlowDocument, fragment: FlowFragment, at: XY): PasteResult {
  const origin = getFragmentOrigin(fragment);
  const dx = Math.round(at.x - origin.x);
  const dy = Math.round(at.y - origin.y);
  const takenNodes = new Set(doc.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const idMap = new Map<string, string>();
  const changes: FlowChange[] = [];
  let nodeIndex = doc.nodes.length;
  for (const node of fragment.nodes) {
    if (idMap.has(node.id)) continue; // a repeated id in the fragment: keep the first
    const id = createUniqueId(node.id, takenNodes);
    takenNodes.add(id);
    idMap.set(node.id, id);
    if (id !== node.id) renamed.set(node.id, id);
    changes.push({
      type: 'add-node',
      node: {
        ...structuredClone(node),
        id,
        position: { x: node.position.x + dx, y: node.position.y + dy },
      },
      index: nodeIndex++,
    });
  }
  const takenEdges = new Set(doc.edges.map((edge) => edge.id));
  const usedPorts = new Set<string>();
  let edgeIndex = doc.edges.length;
  for (const edge of fragment.edges) {
    const source = idMap.get(edge.source);
    const target = idMap.get(edge.target);
    if (source === undefined || target === undefined) continue;
    const port = `${source}\u0000${edge.sourcePort}`;
    if (usedPorts.has(port)) continue;
    usedPorts.add(port);
    const id = createUniqueId(
      source === edge.source ? edge.id : `e-${source}-${edge.sourcePort}`,
      takenEdges,
    );
    takenEdges.add(id);
    changes.push({
      type: 'add-edge',
      edge: { id, source, sourcePort: edge.sourcePort, target },
      index: edgeIndex++,
    });
  }
  return { change: batch(changes), nodeIds: [...idMap.values()], renamed };
}
