import type { FlowDocument } from '@switchyard/flow';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk.bundled.js';
import type { XY } from './changes';
import { getNodeView } from './node-view';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface LayoutOptions {
  /** Measured node sizes; nodes not in it use `defaultSize`. */
  readonly sizes?: ReadonlyMap<string, Size>;
  readonly defaultSize?: Size;
  /** Lay out only these nodes (others keep their place); all when left out. */
  readonly nodeIds?: ReadonlySet<string>;
  /** Where the laid-out graph's top-left corner goes. */
  readonly origin?: XY;
}

let elk: InstanceType<typeof ELK> | null = null;

/**
 * Left-to-right layered layout (ELK "layered") of a flow: steps in columns by distance from the
 * intake, output ports in their catalog order so edges don't cross needlessly. Returns new
 * positions; apply them with `moveNodesChange` so the layout is one undoable step.
 *
 * @example
 * const positions = await layoutFlow(doc, { sizes });
 * store.dispatch(moveNodesChange(doc, positions), { label: 'layout' });
 */
export async function layoutFlow(
  doc: FlowDocument,
  options: LayoutOptions = {},
): Promise<Map<string, XY>> {
  const defaultSize = options.defaultSize ?? { width: 240, height: 96 };
  const included = options.nodeIds;
  const nodes = doc.nodes.filter((node) => included === undefined || included.has(node.id));
  const nodeIds = new Set(nodes.map((node) => node.id));
  const portIds = new Set<string>();
  const children: ElkNode[] = nodes.map((node) => {
    const size = options.sizes?.get(node.id) ?? defaultSize;
    const outputs = getNodeView(node).ports;
    const ports: ElkPort[] = [
      { id: `${node.id}\u0000in`, layoutOptions: { 'elk.port.side': 'WEST' } },
      ...outputs.map((port, index) => ({
        id: `${node.id}\u0000out\u0000${port.id}`,
        layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(index) },
      })),
    ];
    for (const port of ports) portIds.add(port.id);
    return {
      id: node.id,
      width: size.width,
      height: size.height,
      ports,
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
    };
  });
  const edges: ElkExtendedEdge[] = doc.edges
    .filter((edge) => nodeIds.has(edge.source) && nodeIds.has(edge.target))
    .map((edge) => {
      const sourcePort = `${edge.source}\u0000out\u0000${edge.sourcePort}`;
      return {
        id: edge.id,
        sources: [portIds.has(sourcePort) ? sourcePort : edge.source],
        targets: [`${edge.target}\u0000in`],
      };
    });
  elk ??= new ELK();
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '40',
      'elk.spacing.componentComponent': '60',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.separateConnectedComponents': 'true',
    },
    children,
    edges,
  });
  const origin = options.origin ?? { x: 0, y: 0 };
  const laidOut = result.children ?? [];
  // ELK pads the graph; the top-left node goes exactly to the origin.
  const left = Math.min(...laidOut.map((child) => child.x ?? 0));
  const top = Math.min(...laidOut.map((child) => child.y ?? 0));
  const positions = new Map<string, XY>();
  for (const child of laidOut) {
    positions.set(child.id, {
      x: Math.round(origin.x + (child.x ?? 0) - left),
      y: Math.round(origin.y + (child.y ?? 0) - top),
    });
  }
  return positions;
}
