import { hasErrors, lintFlow } from '@switchyard/flow';
import type { Diagnostic, FlowDocument } from '@switchyard/flow';

export type PathSegment = string | number;

/**
 * Split a JSON path as lint writes it (`$.nodes[2].config.headers["X-Key"]`) into segments.
 * Returns null for text that is not such a path.
 *
 * @example
 * parseJsonPath('$.nodes[2].config.branches[0].when'); // ['nodes', 2, 'config', 'branches', 0, 'when']
 */
export function parseJsonPath(path: string): PathSegment[] | null {
  if (!path.startsWith('$')) return null;
  const segments: PathSegment[] = [];
  const pattern = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (match === null) return null;
    const [, name, index, quoted] = match;
    if (name !== undefined) segments.push(name);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push(JSON.parse(quoted as string) as string);
  }
  return segments;
}

/** Where a diagnostic points in the designer: a node (and a field in its config) or an edge. */
export interface ProblemLocation {
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** Path inside the node's config, when the problem is in a config field. */
  readonly configPath?: readonly PathSegment[];
  /** True when the problem is in the node's envelope (id, label, kind, position). */
  readonly field?: 'label' | 'id' | 'kind';
  /** True for problems in the flow's settings (ticket fields, teams, calendars, name). */
  readonly settings?: boolean;
}

export function locateDiagnostic(doc: FlowDocument, diagnostic: Diagnostic): ProblemLocation {
  const segments = parseJsonPath(diagnostic.path) ?? [];
  const [head, index, part, ...rest] = segments;
  if (head === 'nodes' && typeof index === 'number') {
    const nodeId = diagnostic.nodeId ?? doc.nodes[index]?.id;
    if (part === 'config') return { nodeId, configPath: rest };
    if (part === 'label' || part === 'id' || part === 'kind') return { nodeId, field: part };
    return { nodeId };
  }
  if (head === 'edges') {
    const edgeId =
      diagnostic.edgeId ?? (typeof index === 'number' ? doc.edges[index]?.id : undefined);
    return { edgeId, nodeId: diagnostic.nodeId };
  }
  if (diagnostic.nodeId !== undefined) return { nodeId: diagnostic.nodeId };
  if (head === 'ticketFields' || head === 'teams' || head === 'calendars' || head === 'name') {
    return { settings: true };
  }
  return {};
}

/** Counts and messages for one node, for the badge on the canvas. */
export interface NodeProblems {
  readonly errors: number;
  readonly warnings: number;
  readonly messages: readonly string[];
}

export interface LintSummary {
  readonly diagnostics: readonly Diagnostic[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly byNode: ReadonlyMap<string, NodeProblems>;
  readonly byEdge: ReadonlyMap<string, NodeProblems>;
  /** Diagnostics by JSON path, for field-level messages in the properties panel. */
  readonly byPath: ReadonlyMap<string, readonly Diagnostic[]>;
  readonly canPublish: boolean;
}

function addTo(map: Map<string, NodeProblems>, id: string, diagnostic: Diagnostic) {
  const current = map.get(id) ?? { errors: 0, warnings: 0, messages: [] };
  map.set(id, {
    errors: current.errors + (diagnostic.severity === 'error' ? 1 : 0),
    warnings: current.warnings + (diagnostic.severity === 'warning' ? 1 : 0),
    messages: [...current.messages, diagnostic.message],
  });
}

/** Index diagnostics for the canvas, the problems panel and the properties panel. */
export function summarizeDiagnostics(
  doc: FlowDocument,
  diagnostics: readonly Diagnostic[],
): LintSummary {
  const byNode = new Map<string, NodeProblems>();
  const byEdge = new Map<string, NodeProblems>();
  const byPath = new Map<string, Diagnostic[]>();
  let errorCount = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 'error') errorCount++;
    const location = locateDiagnostic(doc, diagnostic);
    if (location.edgeId !== undefined) addTo(byEdge, location.edgeId, diagnostic);
    else if (location.nodeId !== undefined) addTo(byNode, location.nodeId, diagnostic);
    const list = byPath.get(diagnostic.path);
    if (list === undefined) byPath.set(diagnostic.path, [diagnostic]);
    else list.push(diagnostic);
  }
  return {
    diagnostics,
    errorCount,
    warningCount: diagnostics.length - errorCount,
    byNode,
    byEdge,
    byPath,
    canPublish: !hasErrors(diagnostics),
  };
}

/** Lint a document in the browser with the same code as the CLI and the server. */
export function lintDocument(doc: FlowDocument): LintSummary {
  return summarizeDiagnostics(doc, lintFlow(doc).diagnostics);
}

/** Order for the problems panel: errors first, then by node order in the document. */
export function sortDiagnostics(
  doc: FlowDocument,
  diagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const order = new Map(doc.nodes.map((node, index) => [node.id, index]));
  const rank = (d: Diagnostic) => order.get(d.nodeId ?? '') ?? -1;
  return [...diagnostics].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || rank(a) - rank(b),
  );
}
