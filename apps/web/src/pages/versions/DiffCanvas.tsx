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
import type { DiffGraph, DiffNode, DiffStatus } from './diff-model';

/** Colours of each diff status: border/stroke, background and badge. */
export const STATUS_STYLES: Readonly<
  Record<DiffStatus, { readonly color: string; readonly background: string }>
> = {
  added: { color: '#2f9e44', background: '#ebfbee' },
  removed: { color: '#e03131', background: '#fff5f5' },
  changed: { color: '#e8590c', background: '#fff4e6' },
  moved: { color: '#1c7ed6', background: '#e7f5ff' },
  unchanged: { color: '#d0d5dd', background: '#ffffff' },
};

type DiffNodeData = {
  readonly node: DiffNode;
  readonly kindLabel: string;
  readonly statusLabel: string;
  readonly focused: boolean;
};
type DiffFlowNode = Node<DiffNodeData, 'diff'>;

const DiffNodeCard = memo(function DiffNodeCard({ data }: NodeProps<DiffFlowNode>) {
  const { node, kindLabel, statusLabel, focused } = data;
  const style = STATUS_STYLES[node.status];
  const accent = node.group === null ? UNKNOWN_NODE_COLOR : NODE_GROUP_COLORS[node.group];
  return (
    <div
      className={`sy-diff-node sy-diff-${node.status}${focused ? ' sy-diff-focused' : ''}`}
      style={{ borderColor: style.color, background: style.background }}
      data-testid={`diff-node-${node.id}`}
      data-status={node.status}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="sy-diff-node-kind">
        <span className="sy-diff-node-dot" style={{ background: accent }} />
        {kindLabel}
      </div>
      <div className="sy-diff-node-label">{node.label}</div>
      {node.status !== 'unchanged' && (
        <span className="sy-diff-badge" style={{ background: style.color }}>
          {statusLabel}
        </span>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const NODE_TYPES = { diff: DiffNodeCard };

interface DiffCanvasProps {
  readonly graph: DiffGraph;
  /** Node to ring (picked in the change list). */
  readonly focusedId: string | null;
  readonly getKindLabel: (kind: string) => string;
  readonly onNodeClick?: (id: string) => void;
}

/** Read-only canvas of both versions at once, every node and edge coloured by its diff status. */
export function DiffCanvas({ graph, focusedId, getKindLabel, onNodeClick }: DiffCanvasProps) {
  const { t } = useTranslation('versions');
  const nodes = useMemo<DiffFlowNode[]>(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        type: 'diff',
        position: { x: node.position.x, y: node.position.y },
        data: {
          node,
          kindLabel: getKindLabel(node.kind),
          statusLabel: t(`status.${node.status}`),
          focused: node.id === focusedId,
        },
        draggable: false,
        connectable: false,
        // Removed nodes sit under the current ones when they share a spot.
        zIndex: node.status === 'removed' ? 0 : 1,
      })),
    [graph.nodes, focusedId, getKindLabel, t],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => {
        const style = STATUS_STYLES[edge.status];
        const color = edge.status === 'unchanged' ? '#98a2b3' : style.color;
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          type: 'smoothstep',
          label: edge.sourcePort === 'next' ? undefined : edge.sourcePort,
          labelStyle: { fontSize: 11, fill: '#475467' },
          labelBgStyle: { fill: '#ffffff' },
          labelBgPadding: [4, 2] as [number, number],
          animated: edge.status === 'added',
          style: {
            stroke: color,
            strokeWidth: edge.status === 'unchanged' ? 1.5 : 2.5,
            strokeDasharray: edge.status === 'removed' ? '6 4' : undefined,
          },
          markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
          focusable: false,
          selectable: false,
          data: { status: edge.status },
          className: `sy-diff-edge-${edge.status}`,
        };
      }),
    [graph.edges],
  );
  // Open on what changed (readable), not on the whole flow (tiny); zoom out to see the rest.
  const fitViewOptions = useMemo(() => {
    const changed = graph.nodes.filter((node) => node.status !== 'unchanged');
    return {
      padding: 0.25,
      maxZoom: 1,
      ...(changed.length > 0 && { nodes: changed.map((node) => ({ id: node.id })) }),
    };
  }, [graph.nodes]);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      edgesFocusable={false}
      deleteKeyCode={null}
      fitView
      fitViewOptions={fitViewOptions}
      minZoom={0.1}
      onNodeClick={(_, node) => onNodeClick?.(node.id)}
      data-testid="diff-canvas"
    >
      <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#d0d5dd" />
      <Controls showInteractive={false} position="bottom-left" />
    </ReactFlow>
  );
}
