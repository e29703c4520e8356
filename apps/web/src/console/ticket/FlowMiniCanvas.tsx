import { isNodeKind, NODE_CATALOG } from '@switchyard/flow';
import {
  Background,
  BackgroundVariant,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
} from '@xyflow/react';
import type { Edge, Node, NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { NODE_GROUP_COLORS, UNKNOWN_NODE_COLOR } from '../../shell/node-colors';
import type { FlowPicture } from '../api';

type Place = 'current' | 'visited' | 'ahead';

type MiniNodeData = {
  readonly label: string;
  readonly kind: string;
  readonly place: Place;
  readonly placeLabel: string | null;
};
type MiniNode = Node<MiniNodeData, 'mini'>;

const MiniNodeCard = memo(function MiniNodeCard({ data }: NodeProps<MiniNode>) {
  const color = isNodeKind(data.kind)
    ? NODE_GROUP_COLORS[NODE_CATALOG[data.kind].group]
    : UNKNOWN_NODE_COLOR;
  return (
    <div className={`sy-mini-node sy-mini-${data.place}`} data-testid={`mini-node-${data.place}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="sy-mini-accent" style={{ background: color }} />
      <div className="sy-mini-label">{data.label}</div>
      {data.placeLabel !== null && <span className="sy-mini-here">{data.placeLabel}</span>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const NODE_TYPES = { mini: MiniNodeCard };

interface FlowMiniCanvasProps {
  readonly flow: FlowPicture;
  readonly currentNodes: readonly string[];
  readonly visitedNodes: readonly string[];
  readonly takenEdges: readonly string[];
  readonly height?: number;
}

/**
 * The ticket's flow version, read-only: where it is now (ringed), the steps it went through and
 * the edges it took (blue), the rest greyed.
 */
export function FlowMiniCanvas({
  flow,
  currentNodes,
  visitedNodes,
  takenEdges,
  height = 300,
}: FlowMiniCanvasProps) {
  const { t } = useTranslation('console');
  const nodes = useMemo<MiniNode[]>(() => {
    const current = new Set(currentNodes);
    const visited = new Set(visitedNodes);
    return flow.nodes.map((node) => {
      const place: Place = current.has(node.id)
        ? 'current'
        : visited.has(node.id)
          ? 'visited'
          : 'ahead';
      return {
        id: node.id,
        type: 'mini',
        position: node.position,
        data: {
          label: node.label,
          kind: node.kind,
          place,
          placeLabel: place === 'current' ? t('ticket.here') : null,
        },
        draggable: false,
        connectable: false,
        selectable: false,
      };
    });
  }, [flow.nodes, currentNodes, visitedNodes, t]);
  const edges = useMemo<Edge[]>(() => {
    const taken = new Set(takenEdges);
    return flow.edges.map((edge) => {
      const isTaken = taken.has(edge.id);
      const color = isTaken ? '#3b5bdb' : '#d0d5dd';
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: 'smoothstep',
        label: edge.sourcePort === 'next' ? undefined : edge.sourcePort,
        labelStyle: { fontSize: 10, fill: isTaken ? '#3b5bdb' : '#98a2b3' },
        labelBgStyle: { fill: '#ffffff' },
        style: { stroke: color, strokeWidth: isTaken ? 2.5 : 1.2 },
        markerEnd: { type: MarkerType.ArrowClosed, color, width: 14, height: 14 },
        focusable: false,
        selectable: false,
        zIndex: isTaken ? 1 : 0,
      };
    });
  }, [flow.edges, takenEdges]);
  return (
    <div style={{ height }} className="sy-mini-canvas" data-testid="flow-mini-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        zoomOnScroll={false}
        preventScrolling={false}
        fitView
        fitViewOptions={{ padding: 0.12 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#e4e7ec" />
        <Controls showInteractive={false} position="bottom-right" />
      </ReactFlow>
    </div>
  );
}
