import { createExpressionEnvironment } from '@switchyard/expr';
import type { ExpressionEnvironment } from '@switchyard/expr';
import { z } from 'zod';
import { getNodeKind, isNodeKind, NODE_KINDS } from './catalog';
import type { NodeConfig, NodeKind } from './catalog';
import type { PortDefinition } from './catalog/types';
import type { Diagnostic, DiagnosticCode } from './diagnostics';
import { createDiagnostic, hasErrors } from './diagnostics';
import type { FlowDocument, FlowEdge, FlowNode } from './document';
import {
  calendarSchema,
  CURRENT_SCHEMA_VERSION,
  flowEdgeSchema,
  flowNodeSchema,
  getConditionSchema,
  teamSchema,
  ticketFieldSchema,
} from './document';
import { checkPlaceholder, getPlaceholders } from './message-template';
import { getSourceSpan } from '@switchyard/expr';

/** A node whose config passed its kind's schema (defaults applied). */
export type ValidNode = {
  [K in NodeKind]: Omit<FlowNode, 'kind' | 'config'> & {
    readonly kind: K;
    readonly config: NodeConfig<K>;
  };
}[NodeKind];

/** A flow that lints without errors: every node config parsed, every reference resolved. */
export interface ValidFlow extends Omit<FlowDocument, 'nodes'> {
  readonly nodes: readonly ValidNode[];
}

export interface LintResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Present only when there are no errors (warnings are allowed). */
  readonly flow?: ValidFlow;
}

type Path = readonly PropertyKey[];

const envelopeSchema = z.object({
  schemaVersion: z.number(),
  id: flowEdgeSchema.shape.id,
  name: z.string().min(1).max(200),
  names: z.record(z.string(), z.string()).optional(),
  description: z.string().max(4000).optional(),
  descriptions: z.record(z.string(), z.string()).optional(),
  industry: z.string().optional(),
  ticketFields: z.array(z.unknown()).default([]),
  teams: z.array(z.unknown()).default([]),
  calendars: z.array(z.unknown()).default([]),
  nodes: z.array(z.unknown()),
  edges: z.array(z.unknown()),
});

class DiagnosticList {
  readonly items: Diagnostic[] = [];
  add(
    code: DiagnosticCode,
    path: Path,
    message: string,
    extra?: Parameters<typeof createDiagnostic>[3],
  ) {
    this.items.push(createDiagnostic(code, path, message, extra));
  }
  addZodIssues(
    code: DiagnosticCode,
    base: Path,
    error: z.ZodError,
    extra?: { nodeId?: string; edgeId?: string },
  ) {
    for (const issue of error.issues) {
      this.add(code, [...base, ...issue.path], describeIssue(issue), extra);
    }
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `"${issue.path.map(String).join('.')}": ` : '';
  return `${where}${issue.message}.`.replace(/\.\.$/, '.');
}

/**
 * Validate and lint a Flow document of unknown shape. Never throws: every problem becomes a
 * diagnostic with a stable code, the node or edge id and a JSON path.
 *
 * @example
 * const { diagnostics, flow } = lintFlow(JSON.parse(text));
 * if (flow) compileFlow(flow);
 */
export function lintFlow(input: unknown): LintResult {
  const out = new DiagnosticList();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    out.add(
      'invalid-document',
      [],
      'A flow document must be a JSON object with schemaVersion, id, name, nodes and edges.',
    );
    return { diagnostics: out.items };
  }
  const version = (input as Record<string, unknown>).schemaVersion;
  if (version !== CURRENT_SCHEMA_VERSION) {
    out.add(
      'unsupported-schema-version',
      ['schemaVersion'],
      typeof version === 'number' && version > CURRENT_SCHEMA_VERSION
        ? `This flow uses schemaVersion ${version}, made by a newer Switchyard; this version reads schemaVersion ${CURRENT_SCHEMA_VERSION}. Upgrade Switchyard to open it.`
        : `Set "schemaVersion" to ${CURRENT_SCHEMA_VERSION}; found ${describeFound(version)}.`,
    );
    return { diagnostics: out.items };
  }
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    out.addZodIssues('invalid-document', [], envelope.error);
    return { diagnostics: out.items };
  }
  const doc = envelope.data;

  const ticketFields = parseList(
    out,
    doc.ticketFields,
    ['ticketFields'],
    ticketFieldSchema,
    (f) => f.key,
    'field key',
  );
  const teams = parseList(out, doc.teams, ['teams'], teamSchema, (t) => t.id, 'team id');
  const calendars = parseList(
    out,
    doc.calendars,
    ['calendars'],
    calendarSchema,
    (c) => c.id,
    'calendar id',
  );

  const nodes = parseNodes(out, doc.nodes);
  const edges = parseEdges(out, doc.edges);

  const environment = createExpressionEnvironment(getConditionSchema(ticketFields));
  const context: LintContext = {
    out,
    environment,
    teamIds: new Set(teams.map((t) => t.id)),
    calendarIds: new Set(calendars.map((c) => c.id)),
    fieldKeys: new Set(ticketFields.map((f) => f.key)),
  };
  for (const entry of nodes.valid) checkNodeContent(context, entry);
  checkGraph(out, nodes, edges);

  const diagnostics = out.items;
  if (hasErrors(diagnostics)) return { diagnostics };
  const flow: ValidFlow = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    id: doc.id,
    name: doc.name,
    ...(doc.names && { names: doc.names }),
    ...(doc.description !== undefined && { description: doc.description }),
    ...(doc.descriptions && { descriptions: doc.descriptions }),
    ...(doc.industry !== undefined && { industry: doc.industry }),
    ticketFields,
    teams,
    calendars,
    nodes: nodes.valid.map((entry) => entry.node),
    edges: edges.map((entry) => entry.edge),
  };
  return { diagnostics, flow };
}

/** A found value for a message. Never throws: `JSON.stringify` throws on bigint. */
function describeFound(value: unknown): string {
  if (typeof value === 'bigint') return `${String(value)}n`;
  // JSON.stringify gives undefined (despite its declared type) for undefined, functions, symbols.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? 'nothing';
}

function parseList<T>(
  out: DiagnosticList,
  items: readonly unknown[],
  base: Path,
  schema: z.ZodType<T>,
  key: (item: T) => string,
  what: string,
): T[] {
  const result: T[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      out.addZodIssues('invalid-document', [...base, index], parsed.error);
      return;
    }
    const id = key(parsed.data);
    if (seen.has(id)) {
      out.add(
        'duplicate-id',
        [...base, index],
        `The ${what} "${id}" is used twice; give each one a unique ${what}.`,
      );
      return;
    }
    seen.add(id);
    result.push(parsed.data);
  });
  return result;
}

interface NodeEntry {
  readonly index: number;
  readonly node: ValidNode;
  readonly ports: readonly PortDefinition[];
  readonly waits: boolean;
}

interface ParsedNodes {
  readonly valid: NodeEntry[];
  /** Every node id that exists in the document (valid or not), to tell "unknown" from "broken". */
  readonly ids: Map<string, number>;
  /** Kinds of every node that names one, even when its envelope or config is broken. */
  readonly kinds: Set<string>;
}

function parseNodes(out: DiagnosticList, items: readonly unknown[]): ParsedNodes {
  const valid: NodeEntry[] = [];
  const ids = new Map<string, number>();
  const kinds = new Set<string>();
  items.forEach((item, index) => {
    const parsed = flowNodeSchema.safeParse(item);
    if (!parsed.success) {
      const id =
        typeof item === 'object' && item !== null
          ? (item as Record<string, unknown>).id
          : undefined;
      out.addZodIssues(
        'invalid-document',
        ['nodes', index],
        parsed.error,
        typeof id === 'string' ? { nodeId: id } : {},
      );
      if (typeof id === 'string' && !ids.has(id)) ids.set(id, index);
      // A broken intake is still an intake: don't also ask the user to add one.
      const kind =
        typeof item === 'object' && item !== null
          ? (item as Record<string, unknown>).kind
          : undefined;
      if (typeof kind === 'string') kinds.add(kind);
      return;
    }
    const node = parsed.data;
    if (ids.has(node.id)) {
      out.add(
        'duplicate-id',
        ['nodes', index, 'id'],
        `Node id "${node.id}" is used by another node; give each node a unique id.`,
        {
          nodeId: node.id,
        },
      );
      return;
    }
    ids.set(node.id, index);
    kinds.add(node.kind);
    if (!isNodeKind(node.kind)) {
      out.add(
        'unknown-node-kind',
        ['nodes', index, 'kind'],
        `Node "${node.id}" has unknown kind "${node.kind}"; use one of ${NODE_KINDS.join(', ')}.`,
        { nodeId: node.id },
      );
      return;
    }
    const definition = getNodeKind(node.kind);
    const config = definition.configSchema.safeParse(node.config);
    if (!config.success) {
      for (const issue of config.error.issues) {
        out.add(
          'invalid-config',
          ['nodes', index, 'config', ...issue.path],
          `${definition.label.en} node "${node.id}": ${describeIssue(issue)}`,
          { nodeId: node.id },
        );
      }
      return;
    }
    const validNode = { ...node, kind: node.kind, config: config.data } as ValidNode;
    valid.push({
      index,
      node: validNode,
      ports: definition.getPorts(config.data),
      waits: definition.waits(config.data),
    });
  });
  return { valid, ids, kinds };
}

interface EdgeEntry {
  readonly index: number;
  readonly edge: FlowEdge;
}

function parseEdges(out: DiagnosticList, items: readonly unknown[]): EdgeEntry[] {
  const result: EdgeEntry[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const parsed = flowEdgeSchema.safeParse(item);
    const id =
      typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
    if (!parsed.success) {
      out.addZodIssues(
        'invalid-document',
        ['edges', index],
        parsed.error,
        typeof id === 'string' ? { edgeId: id } : {},
      );
      return;
    }
    if (seen.has(parsed.data.id)) {
      out.add(
        'duplicate-id',
        ['edges', index, 'id'],
        `Edge id "${parsed.data.id}" is used by another edge; give each edge a unique id.`,
        {
          edgeId: parsed.data.id,
        },
      );
      return;
    }
    seen.add(parsed.data.id);
    result.push({ index, edge: parsed.data });
  });
  return result;
}

interface LintContext {
  readonly out: DiagnosticList;
  readonly environment: ExpressionEnvironment;
  readonly teamIds: ReadonlySet<string>;
  readonly calendarIds: ReadonlySet<string>;
  readonly fieldKeys: ReadonlySet<string>;
}

const UNKNOWN_NAME_CODES = new Set(['no_such_key', 'unknown_variable']);

function checkNodeContent(context: LintContext, { index, node }: NodeEntry): void {
  const { out, environment } = context;
  const definition = getNodeKind(node.kind);
  const base = ['nodes', index, 'config'];
  const nodeId = node.id;

  for (const expression of definition.getExpressions(node.config)) {
    const result = environment.check(expression.source);
    const path = [...base, ...expression.path];
    if (result.ok) {
      if (result.type !== 'bool' && result.type !== 'dyn') {
        out.add(
          'cel-type',
          path,
          `This condition gives a ${result.type}, not true/false; compare it with something (e.g. == "high").`,
          {
            nodeId,
          },
        );
      }
      continue;
    }
    const { error } = result;
    const code: DiagnosticCode =
      error.kind === 'parse' || error.kind === 'limit'
        ? 'cel-syntax'
        : UNKNOWN_NAME_CODES.has(error.code)
          ? 'unknown-field'
          : 'cel-type';
    const hint =
      code === 'unknown-field'
        ? ' Check the spelling, or declare the custom field under ticketFields.'
        : code === 'cel-syntax'
          ? ' Fix the expression syntax.'
          : ' Compare values of the same type (strings in quotes, numbers without).';
    out.add(
      code,
      path,
      `Condition at line ${error.span.line}, column ${error.span.column}: ${error.message}.${hint}`,
      {
        nodeId,
        span: error.span,
      },
    );
  }

  for (const template of definition.getTemplates(node.config)) {
    for (const placeholder of getPlaceholders(template.text)) {
      const problem = checkPlaceholder(placeholder.path, environment.schema);
      if (problem !== null) {
        out.add('unknown-placeholder', [...base, ...template.path], `${problem}.`, {
          nodeId,
          span: getSourceSpan(template.text, placeholder.start, placeholder.end),
        });
      }
    }
  }

  for (const reference of definition.getReferences(node.config)) {
    const path = [...base, ...reference.path];
    switch (reference.type) {
      case 'team':
        if (!context.teamIds.has(reference.id)) {
          out.add(
            'unknown-team',
            path,
            `Team "${reference.id}" is not declared in this flow's teams; add it there or pick a declared team.`,
            {
              nodeId,
            },
          );
        }
        break;
      case 'calendar':
        if (!context.calendarIds.has(reference.id)) {
          out.add(
            'unknown-calendar',
            path,
            `Calendar "${reference.id}" is not declared in this flow's calendars; add it there or pick a declared calendar.`,
            { nodeId },
          );
        }
        break;
      case 'field':
        if (!context.fieldKeys.has(reference.id)) {
          out.add(
            'unknown-field',
            path,
            `Custom field "${reference.id}" is not declared in ticketFields; declare it or pick another field.`,
            {
              nodeId,
            },
          );
        }
        break;
    }
  }
}

function checkGraph(out: DiagnosticList, nodes: ParsedNodes, edges: readonly EdgeEntry[]): void {
  const byId = new Map(nodes.valid.map((entry) => [entry.node.id, entry]));
  const intakes = nodes.valid.filter((entry) => entry.node.kind === 'intake');
  if (!nodes.kinds.has('intake')) {
    out.add(
      'missing-intake',
      ['nodes'],
      'Add an intake node: every flow starts where tickets come in.',
    );
  }
  for (const extra of intakes.slice(1)) {
    out.add(
      'multiple-intakes',
      ['nodes', extra.index],
      `Node "${extra.node.id}" is a second intake; a flow has exactly one. Delete it or change its kind.`,
      {
        nodeId: extra.node.id,
      },
    );
  }

  const outgoing = new Map<string, Map<string, FlowEdge>>();
  /** Targets of edges leaving nodes with a broken config: not checked, only followed. */
  const uncheckedTargets = new Map<string, string[]>();
  for (const { index, edge } of edges) {
    const extra = { edgeId: edge.id, ...(nodes.ids.has(edge.source) && { nodeId: edge.source }) };
    if (!nodes.ids.has(edge.source)) {
      out.add(
        'unknown-edge-source',
        ['edges', index, 'source'],
        `Edge "${edge.id}" starts at node "${edge.source}", which does not exist; reconnect or delete the edge.`,
        extra,
      );
      continue;
    }
    if (!nodes.ids.has(edge.target)) {
      out.add(
        'unknown-edge-target',
        ['edges', index, 'target'],
        `Edge "${edge.id}" points to node "${edge.target}", which does not exist; reconnect or delete the edge.`,
        extra,
      );
      continue;
    }
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (target?.node.kind === 'intake') {
      out.add(
        'edge-into-intake',
        ['edges', index, 'target'],
        `Edge "${edge.id}" points into the intake node; nothing can flow back into intake. Point it at another step.`,
        extra,
      );
      continue;
    }
    if (source === undefined) {
      // The source node is broken and already reported. Still follow the edge, or every step
      // after it would also be reported as unreachable.
      uncheckedTargets.set(edge.source, [
        ...(uncheckedTargets.get(edge.source) ?? []),
        edge.target,
      ]);
      continue;
    }
    if (!source.ports.some((p) => p.id === edge.sourcePort)) {
      const available = source.ports.map((p) => p.id).join(', ') || 'none';
      out.add(
        'unknown-port',
        ['edges', index, 'sourcePort'],
        `Edge "${edge.id}" leaves node "${edge.source}" from port "${edge.sourcePort}", which it does not have (ports: ${available}).`,
        extra,
      );
      continue;
    }
    const ports = outgoing.get(edge.source) ?? new Map<string, FlowEdge>();
    const existing = ports.get(edge.sourcePort);
    if (existing !== undefined) {
      out.add(
        'duplicate-port-edge',
        ['edges', index],
        `Port "${edge.sourcePort}" of node "${edge.source}" already leads to "${existing.target}" (edge "${existing.id}"); a port has one outgoing edge. Delete one.`,
        extra,
      );
      continue;
    }
    ports.set(edge.sourcePort, edge);
    outgoing.set(edge.source, ports);
  }

  for (const entry of nodes.valid) {
    const connected = outgoing.get(entry.node.id);
    if (entry.ports.length > 0 && (connected === undefined || connected.size === 0)) {
      out.add(
        'dead-end',
        ['nodes', entry.index],
        `Node "${entry.node.id}" leads nowhere; connect its output to the next step or end the flow with an End node.`,
        {
          nodeId: entry.node.id,
        },
      );
      continue;
    }
    for (const port of entry.ports) {
      if (port.required && !connected?.has(port.id)) {
        out.add(
          'unconnected-port',
          ['nodes', entry.index],
          `Port "${port.id}" of node "${entry.node.id}" is not connected; connect it to the step that should follow.`,
          {
            nodeId: entry.node.id,
          },
        );
      }
    }
  }

  const [intake] = intakes;
  if (intake !== undefined) {
    checkReachability(out, nodes, outgoing, uncheckedTargets, intake.node.id);
  }
  checkEventlessCycles(out, nodes, outgoing);
}

function successors(
  outgoing: ReadonlyMap<string, ReadonlyMap<string, FlowEdge>>,
  id: string,
): string[] {
  return [...(outgoing.get(id)?.values() ?? [])].map((edge) => edge.target);
}

function checkReachability(
  out: DiagnosticList,
  nodes: ParsedNodes,
  outgoing: ReadonlyMap<string, ReadonlyMap<string, FlowEdge>>,
  uncheckedTargets: ReadonlyMap<string, readonly string[]>,
  start: string,
): void {
  const reached = new Set([start]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of [...successors(outgoing, id), ...(uncheckedTargets.get(id) ?? [])]) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  for (const entry of nodes.valid) {
    if (!reached.has(entry.node.id)) {
      out.add(
        'unreachable-node',
        ['nodes', entry.index],
        `No path from the intake reaches node "${entry.node.id}"; connect an edge into it or delete it.`,
        {
          nodeId: entry.node.id,
        },
      );
    }
  }
}

/**
 * Steps that don't wait move on immediately; a loop made only of them would spin forever.
 * Find strongly connected components (Tarjan) among non-waiting nodes and report each loop once.
 */
function checkEventlessCycles(
  out: DiagnosticList,
  nodes: ParsedNodes,
  outgoing: ReadonlyMap<string, ReadonlyMap<string, FlowEdge>>,
): void {
  const instant = new Map(nodes.valid.filter((e) => !e.waits).map((e) => [e.node.id, e]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;

  // Iterative, not recursive: a long chain of steps in an imported file must not overflow the
  // call stack (lintFlow never throws). `frames` plays the role of the recursion stack.
  interface Frame {
    readonly id: string;
    readonly next: readonly string[];
    position: number;
  }
  const frames: Frame[] = [];
  const open = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    frames.push({ id, next: successors(outgoing, id), position: 0 });
  };
  const close = (id: string): void => {
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === id) break;
    }
    const selfLoop = component.length === 1 && successors(outgoing, id).includes(id);
    if (component.length > 1 || selfLoop) {
      const members = component.reverse();
      const first = instant.get(members[0] ?? id);
      out.add(
        'cycle-without-wait',
        ['nodes', first?.index ?? 0],
        `Nodes ${members.map((m) => `"${m}"`).join(' → ')} form a loop with no waiting step; it would repeat forever. Add a Wait, Approval or Survey step to the loop or break it.`,
        { nodeId: members[0] ?? id },
      );
    }
  };

  for (const root of instant.keys()) {
    if (index.has(root)) continue;
    open(root);
    for (let frame = frames.at(-1); frame !== undefined; frame = frames.at(-1)) {
      const next = frame.next[frame.position];
      if (next !== undefined) {
        frame.position++;
        if (!instant.has(next)) continue;
        if (!index.has(next)) open(next);
        else if (onStack.has(next)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(next) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent !== undefined) {
        low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      }
      close(frame.id);
    }
  }
}
