import type { Edge, Node } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { EMPTY_HIGHLIGHT } from './model';
import type { SimulationHighlight } from './model';

function addClass(current: string | undefined, extra: readonly string[]): string | undefined {
  const all = [...(current === undefined || current === '' ? [] : [current]), ...extra];
  return all.length === 0 ? undefined : all.join(' ');
}

/** React Flow nodes with the simulator's classes: `sy-sim-current`, `sy-sim-visited`. */
export function decorateNodes<N extends Node>(
  nodes: readonly N[],
  highlight: SimulationHighlight,
): N[] {
  const current = new Set(highlight.currentNodes);
  const visited = new Set(highlight.visitedNodes);
  if (current.size === 0 && visited.size === 0) return [...nodes];
  return nodes.map((node) => {
    const extra = [
      ...(current.has(node.id) ? ['sy-sim-current'] : []),
      ...(visited.has(node.id) ? ['sy-sim-visited'] : []),
    ];
    return extra.length === 0 ? node : { ...node, className: addClass(node.className, extra) };
  });
}

/**
 * React Flow edges with the simulator's marks: taken edges `sy-sim-taken`, the current step's
 * edges animated; after a suite run, covered edges `sy-sim-covered` (green, unless taken) and
 * uncovered edges `sy-sim-uncovered` (dashed red).
 */
export function decorateEdges<E extends Edge>(
  edges: readonly E[],
  highlight: SimulationHighlight,
): E[] {
  const taken = new Set(highlight.takenEdges);
  const active = new Set(highlight.activeEdges);
  const uncovered = new Set(highlight.uncoveredEdges);
  const covered = new Set(highlight.coveredEdges);
  if (taken.size === 0 && uncovered.size === 0 && covered.size === 0) return [...edges];
  return edges.map((edge) => {
    const extra = [
      ...(taken.has(edge.id) ? ['sy-sim-taken'] : []),
      ...(uncovered.has(edge.id) ? ['sy-sim-uncovered'] : []),
      ...(covered.has(edge.id) && !taken.has(edge.id) ? ['sy-sim-covered'] : []),
    ];
    if (extra.length === 0) return edge;
    return {
      ...edge,
      className: addClass(edge.className, extra),
      animated: edge.animated === true || active.has(edge.id),
      ...(uncovered.has(edge.id) && {
        style: { ...edge.style, stroke: '#cf1322', strokeDasharray: '6 4' },
      }),
    };
  });
}

/**
 * Highlight state shared by the simulator panel (which sets it) and the canvas (which draws it).
 *
 * @example
 * const sim = useSimulationHighlight();
 * <Canvas nodes={sim.decorateNodes(nodes)} edges={sim.decorateEdges(edges)} />
 * <SimulatorPanel document={doc} flowId={id} onHighlight={sim.setHighlight} />
 */
export function useSimulationHighlight() {
  const [highlight, setState] = useState<SimulationHighlight>(EMPTY_HIGHLIGHT);
  const setHighlight = useCallback((next: SimulationHighlight | null) => {
    setState(next ?? EMPTY_HIGHLIGHT);
  }, []);
  return useMemo(
    () => ({
      highlight,
      setHighlight,
      decorateNodes: <N extends Node>(nodes: readonly N[]) => decorateNodes(nodes, highlight),
      decorateEdges: <E extends Edge>(edges: readonly E[]) => decorateEdges(edges, highlight),
    }),
    [highlight, setHighlight],
  );
}
