import { isNodeKind, NODE_CATALOG } from '@switchyard/flow';
import type { FlowDiff, FlowDocument, NodeGroup } from '@switchyard/flow';
import type { Language } from '../../i18n';

/**
 * How an item fares between two versions. `moved` is a node whose only change is its position,
 * shown quieter than a real change.
 */
export type DiffStatus = 'added' | 'removed' | 'changed' | 'moved' | 'unchanged';

export interface FieldChangeView {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface DiffNode {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly group: NodeGroup | null;
  readonly position: { readonly x: number; readonly y: number };
  readonly status: DiffStatus;
  readonly fields: readonly FieldChangeView[];
}

export interface DiffEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly sourcePort: string;
  readonly status: Exclude<DiffStatus, 'moved'>;
  readonly fields: readonly FieldChangeView[];
}

export interface DiffGraph {
  readonly nodes: readonly DiffNode[];
  readonly edges: readonly DiffEdge[];
}

/** What a diff view needs of each side. */
export type DiffDocument = Pick<FlowDocument, 'nodes' | 'edges'>;

/** A node's name on the canvas: its own label, else its kind's label in the UI language. */
export function getNodeLabel(
  node: { readonly kind: string; readonly label?: string | undefined; readonly id: string },
  language: Language,
): string {
  if (node.label !== undefined && node.label.trim() !== '') return node.label;
  return isNodeKind(node.kind) ? NODE_CATALOG[node.kind].label[language] : node.id;
}

function isPositionOnly(fields: readonly FieldChangeView[]): boolean {
  return fields.length > 0 && fields.every((field) => /^position(\.|$)/.test(field.path));
}

/**
 * One graph with both versions on it: every node and edge of `to`, plus what `diff` says was
 * removed from `from` (at its old position), each marked added / removed / changed / moved /
 * unchanged. Removed edges whose ends are in neither version are left out.
 *
 * @example
 * const graph = getDiffGraph(v1.document, v2.document, diffFlows(v1.document, v2.document), 'en');
 * graph.nodes.filter((n) => n.status === 'added'); // nodes new in v2
 */
export function getDiffGraph(
  from: DiffDocument,
  to: DiffDocument,
  diff: FlowDiff,
  language: Language,
): DiffGraph {
  const added = new Set(diff.nodes.added);
  const changed = new Map(diff.nodes.changed.map((item) => [item.id, item.fields]));
  const removed = new Set(diff.nodes.removed);

  const nodes: DiffNode[] = [];
  for (const node of to.nodes) {
    const fields = changed.get(node.id) ?? [];
    const status: DiffStatus = added.has(node.id)
      ? 'added'
      : fields.length === 0
        ? 'unchanged'
        : isPositionOnly(fields)
          ? 'moved'
          : 'changed';
    nodes.push(toDiffNode(node, status, fields, language));
  }
  for (const node of from.nodes) {
    if (removed.has(node.id)) nodes.push(toDiffNode(node, 'removed', [], language));
  }

  const present = new Set(nodes.map((node) => node.id));
  const edgeAdded = new Set(diff.edges.added);
  const edgeChanged = new Map(diff.edges.changed.map((item) => [item.id, item.fields]));
  const edgeRemoved = new Set(diff.edges.removed);
  const edges: DiffEdge[] = [];
  for (const edge of to.edges) {
    const fields = edgeChanged.get(edge.id) ?? [];
    const status = edgeAdded.has(edge.id) ? 'added' : fields.length > 0 ? 'changed' : 'unchanged';
    edges.push({ ...pickEdge(edge), status, fields });
  }
  for (const edge of from.edges) {
    if (edgeRemoved.has(edge.id)) edges.push({ ...pickEdge(edge), status: 'removed', fields: [] });
  }
  return {
    nodes,
    edges: edges.filter((edge) => present.has(edge.source) && present.has(edge.target)),
  };
}

function toDiffNode(
  node: FlowDocument['nodes'][number],
  status: DiffStatus,
  fields: readonly FieldChangeView[],
  language: Language,
): DiffNode {
  return {
    id: node.id,
    kind: node.kind,
    label: getNodeLabel(node, language),
    group: isNodeKind(node.kind) ? NODE_CATALOG[node.kind].group : null,
    position: node.position,
    status,
    fields,
  };
}

function pickEdge(edge: FlowDocument['edges'][number]) {
  return { id: edge.id, source: edge.source, target: edge.target, sourcePort: edge.sourcePort };
}

/** Counts per status, for the summary above the diff. */
export interface DiffSummary {
  readonly nodes: Readonly<Record<'added' | 'removed' | 'changed' | 'moved', number>>;
  readonly edges: Readonly<Record<'added' | 'removed' | 'changed', number>>;
  readonly settings: number;
  /** True when the two versions are the same. */
  readonly identical: boolean;
}

export function getDiffSummary(graph: DiffGraph, diff: FlowDiff): DiffSummary {
  const count = (items: readonly { readonly status: DiffStatus }[], status: DiffStatus) =>
    items.filter((item) => item.status === status).length;
  const nodes = {
    added: count(graph.nodes, 'added'),
    removed: count(graph.nodes, 'removed'),
    changed: count(graph.nodes, 'changed'),
    moved: count(graph.nodes, 'moved'),
  };
  const edges = {
    added: count(graph.edges, 'added'),
    removed: count(graph.edges, 'removed'),
    changed: count(graph.edges, 'changed'),
  };
  const total =
    Object.values(nodes).reduce((a, b) => a + b, 0) +
    Object.values(edges).reduce((a, b) => a + b, 0) +
    diff.settings.length;
  return { nodes, edges, settings: diff.settings.length, identical: total === 0 };
}

type ChangedStatus = Exclude<DiffStatus, 'unchanged'>;

/** One line of the "what changed" list. */
export interface ChangeRow {
  readonly key: string;
  readonly type: 'node' | 'edge' | 'settings';
  /** The node or edge id; empty for document settings. */
  readonly id: string;
  readonly status: ChangedStatus;
  readonly fields: readonly FieldChangeView[];
}

const STATUS_ORDER: Readonly<Record<ChangedStatus, number>> = {
  added: 0,
  removed: 1,
  changed: 2,
  moved: 3,
};

/** Items that changed, by status (added, removed, changed, moved), in their order otherwise. */
function getChanged<T extends { readonly status: DiffStatus }>(
  items: readonly T[],
): (T & { readonly status: ChangedStatus })[] {
  return items
    .filter((item): item is T & { readonly status: ChangedStatus } => item.status !== 'unchanged')
    .map((item, index) => ({ item, index }))
    .sort((a, b) => STATUS_ORDER[a.item.status] - STATUS_ORDER[b.item.status] || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * The changes as a list: nodes, then edges (added, removed, changed, moved; graph order inside
 * each), then one row for document settings when any changed.
 */
export function getChangeRows(graph: DiffGraph, diff: FlowDiff): ChangeRow[] {
  return [
    ...getChanged(graph.nodes).map((node) => ({
      key: `node:${node.id}`,
      type: 'node' as const,
      id: node.id,
      status: node.status,
      fields: node.fields,
    })),
    ...getChanged(graph.edges).map((edge) => ({
      key: `edge:${edge.id}`,
      type: 'edge' as const,
      id: edge.id,
      status: edge.status,
      fields: edge.fields,
    })),
    ...(diff.settings.length > 0
      ? [
          {
            key: 'settings',
            type: 'settings' as const,
            id: '',
            status: 'changed' as const,
            fields: diff.settings,
          },
        ]
      : []),
  ];
}

/**
 * A changed value as short text: strings as they are, other JSON compactly, cut at `max`
 * characters with an ellipsis; a missing value is an em dash.
 */
export function formatValue(value: unknown, max = 140): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
