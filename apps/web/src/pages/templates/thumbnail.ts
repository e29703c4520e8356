import { isNodeKind, NODE_CATALOG } from '@switchyard/flow';
import type { NodeGroup } from '@switchyard/flow';

/** The size a node is drawn at in flow coordinates (about the designer's node card). */
export const FLOW_NODE_WIDTH = 200;
export const FLOW_NODE_HEIGHT = 72;

/** What a thumbnail needs of a flow: node positions and the edges between them. */
export interface ThumbnailSource {
  readonly nodes: readonly {
    readonly id: string;
    readonly kind: string;
    readonly position: { readonly x: number; readonly y: number };
  }[];
  readonly edges: readonly {
    readonly id: string;
    readonly source: string;
    readonly target: string;
  }[];
}

export interface ThumbnailNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Catalog group of the node's kind, or null for a kind the catalog does not know. */
  readonly group: NodeGroup | null;
}

export interface ThumbnailEdge {
  readonly id: string;
  /** SVG path data from the source's right edge to the target's left edge. */
  readonly d: string;
}

export interface ThumbnailLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly ThumbnailNode[];
  readonly edges: readonly ThumbnailEdge[];
}

export interface ThumbnailOptions {
  readonly width: number;
  readonly height: number;
  /** Free space kept on every side (thumbnail units). */
  readonly padding: number;
  /** Largest zoom; keeps a two-node flow from filling the card with giant boxes. */
  readonly maxScale?: number;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Fits a flow into a `width × height` thumbnail: node boxes scaled uniformly (aspect kept) and
 * centred, edges as curves from the source's right side to the target's left side. Edges to
 * nodes that do not exist are left out; non-finite positions count as 0.
 *
 * @example
 * getThumbnailLayout(template.document, { width: 320, height: 160, padding: 12 });
 */
export function getThumbnailLayout(
  flow: ThumbnailSource,
  options: ThumbnailOptions,
): ThumbnailLayout {
  const { width, height, padding } = options;
  const maxScale = options.maxScale ?? 0.35;
  const points = flow.nodes.map((node) => ({
    id: node.id,
    kind: node.kind,
    x: Number.isFinite(node.position.x) ? node.position.x : 0,
    y: Number.isFinite(node.position.y) ? node.position.y : 0,
  }));
  if (points.length === 0) return { width, height, nodes: [], edges: [] };

  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  const spanX = Math.max(...points.map((p) => p.x)) - minX + FLOW_NODE_WIDTH;
  const spanY = Math.max(...points.map((p) => p.y)) - minY + FLOW_NODE_HEIGHT;
  const innerWidth = Math.max(width - 2 * padding, 1);
  const innerHeight = Math.max(height - 2 * padding, 1);
  const scale = Math.min(innerWidth / spanX, innerHeight / spanY, maxScale);
  const offsetX = padding + (innerWidth - spanX * scale) / 2;
  const offsetY = padding + (innerHeight - spanY * scale) / 2;

  const nodes: ThumbnailNode[] = points.map((p) => ({
    id: p.id,
    x: round(offsetX + (p.x - minX) * scale),
    y: round(offsetY + (p.y - minY) * scale),
    width: round(FLOW_NODE_WIDTH * scale),
    height: round(FLOW_NODE_HEIGHT * scale),
    group: isNodeKind(p.kind) ? NODE_CATALOG[p.kind].group : null,
  }));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const edges: ThumbnailEdge[] = flow.edges.flatMap((edge) => {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (source === undefined || target === undefined) return [];
    const x1 = round(source.x + source.width);
    const y1 = round(source.y + source.height / 2);
    const x2 = target.x;
    const y2 = round(target.y + target.height / 2);
    // Backward edges (loops) bend further out so they stay visible.
    const bend = Math.max(Math.abs(x2 - x1) / 2, 12);
    return [
      {
        id: edge.id,
        d: `M${x1},${y1} C${round(x1 + bend)},${y1} ${round(x2 - bend)},${y2} ${x2},${y2}`,
      },
    ];
  });
  return { width, height, nodes, edges };
}
