import { getNodeKind } from '@switchyard/flow';
import type { FlowDocument, FlowEdge, FlowNode, NodeKind } from '@switchyard/flow';

/** Kinds cycled through the middle of a generated flow: one output port each, no references. */
const MIDDLE_KINDS: readonly NodeKind[] = ['prioritize', 'notify', 'survey', 'wait', 'approval'];

/**
 * A valid-looking flow of `count` nodes for benchmarks: an intake, a long chain of steps laid out
 * in a grid (10 rows per column), and an end. Deterministic: the same count gives the same flow.
 */
export function generateFlow(count: number): FlowDocument {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const rows = 10;
  const place = (index: number) => ({
    x: Math.floor(index / rows) * 300,
    y: (index % rows) * 170,
  });
  const add = (kind: NodeKind, index: number): FlowNode => {
    const node: FlowNode = {
      id: `${kind}-${index}`,
      kind,
      label: `${getNodeKind(kind).label.en} ${index}`,
      position: place(index),
      config: structuredClone(getNodeKind(kind).defaultConfig) as Record<string, unknown>,
    };
    nodes.push(node);
    return node;
  };
  let previous = add('intake', 0);
  for (let index = 1; index < count - 1; index++) {
    const kind = MIDDLE_KINDS[index % MIDDLE_KINDS.length] ?? 'notify';
    const node = add(kind, index);
    for (const port of getPortsOf(previous)) {
      edges.push({
        id: `e-${previous.id}-${port}`,
        source: previous.id,
        sourcePort: port,
        target: node.id,
      });
    }
    previous = node;
  }
  const end = add('end', count - 1);
  for (const port of getPortsOf(previous)) {
    edges.push({
      id: `e-${previous.id}-${port}`,
      source: previous.id,
      sourcePort: port,
      target: end.id,
    });
  }
  return {
    schemaVersion: 1,
    id: 'bench',
    name: `Benchmark flow (${count} nodes)`,
    ticketFields: [],
    teams: [],
    calendars: [],
    nodes,
    edges,
  };
}

function getPortsOf(node: FlowNode): string[] {
  const definition = getNodeKind(node.kind as NodeKind);
  return definition.getPorts(definition.configSchema.parse(node.config)).map((port) => port.id);
}
