import type { FlowNode, NodeKind } from '@switchyard/flow';
import { isNodeKind } from '@switchyard/flow';
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  SelectionMode,
  useReactFlow,
} from '@xyflow/react';
import type { Connection, Edge, EdgeChange, NodeChange, ReactFlowInstance } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, MouseEvent as ReactMouseEvent } from 'react';
import { decorateEdges, decorateNodes, EMPTY_HIGHLIGHT } from '../../simulator';
import type { SimulationHighlight } from '../../simulator';
import type { XY } from '../model/changes';
import { addNodeChange, connectChange, createNode, moveNodesChange } from '../model/edits';
import type { Size } from '../model/layout';
import { getNodeView } from '../model/node-view';
import { useDesigner, useSession } from './context';
import { CanvasContextMenu } from './ContextMenu';
import type { ContextMenuState } from './ContextMenu';
import { FlowNodeView } from './FlowNodeView';
import type { FlowNodeData, FlowNodeType } from './FlowNodeView';
import { getKindColor } from './icons';
import { GRID, useDesignerUi } from './ui-context';

const nodeTypes = { flow: FlowNodeView };
const NO_PORTS: readonly string[] = [];
const EMPTY_POSITIONS: ReadonlyMap<string, XY> = new Map();
const NODE_WIDTH = 240;
/** Geometry of a node before it is measured (see FlowNodeView and designer.css). */
const HEADER_HEIGHT = 44;
const SUMMARY_HEIGHT = 42;
const PORT_ROW = 22;
const PORTS_PADDING = 4;
const HANDLE = 10;
/** Above this many nodes only what is in view is rendered. */
const VISIBLE_ONLY_THRESHOLD = 150;
/** Below this zoom node text is too small to read; opening a flow never goes below it. */
const READABLE_ZOOM = 0.7;
/** Fit view: the whole flow, never zoomed in beyond 100%. */
const FIT_VIEW = { maxZoom: 1, padding: 0.15 } as const;
export const PALETTE_MIME = 'application/x-switchyard-kind';

interface CachedNode {
  readonly rf: FlowNodeType;
  readonly selected: boolean;
  readonly position: XY;
  readonly measured: Size | undefined;
  readonly extraPorts: readonly string[];
}

interface CachedEdge {
  readonly rf: Edge;
  readonly selected: boolean;
  readonly problem: boolean;
}

/**
 * Size and handle positions of a node that has not been drawn yet, so React Flow can route its
 * edges and decide it is off screen without rendering it first (with 1,000 nodes, rendering every
 * node once just to measure it is what makes a large flow slow to open).
 */
function estimateGeometry(portIds: readonly string[]) {
  const portsHeight = portIds.length === 0 ? 0 : PORTS_PADDING * 2 + portIds.length * PORT_ROW;
  const height = HEADER_HEIGHT + SUMMARY_HEIGHT + portsHeight;
  const handles = [
    {
      id: 'in',
      type: 'target' as const,
      position: Position.Left,
      x: -HANDLE / 2,
      y: 26 - HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    },
    ...portIds.map((id, index) => ({
      id,
      type: 'source' as const,
      position: Position.Right,
      x: NODE_WIDTH - HANDLE / 2,
      y:
        HEADER_HEIGHT +
        SUMMARY_HEIGHT +
        PORTS_PADDING +
        index * PORT_ROW +
        PORT_ROW / 2 -
        HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    })),
  ];
  // Given as `measured` so React Flow counts the node as initialised (fit view waits for that)
  // and skips rendering it until it scrolls into view. The extra half pixel guarantees the real
  // measurement differs, so React Flow re-reads the real handle positions once it is drawn.
  return { measured: { width: NODE_WIDTH, height: height + 0.5 }, handles };
}

/** Ports that edges leave from but the node's config does not declare (so the edge still draws). */
function getExtraPorts(
  nodes: readonly FlowNode[],
  edges: readonly { source: string; sourcePort: string }[],
) {
  const declared = new Map(nodes.map((node) => [node.id, getNodeView(node).ports]));
  const extra = new Map<string, string[]>();
  for (const edge of edges) {
    const ports = declared.get(edge.source);
    if (ports === undefined || ports.some((port) => port.id === edge.sourcePort)) continue;
    const list = extra.get(edge.source) ?? [];
    if (!list.includes(edge.sourcePort)) list.push(edge.sourcePort);
    extra.set(edge.source, list);
  }
  return extra;
}

function snap(value: number, enabled: boolean): number {
  return enabled ? Math.round(value / GRID) * GRID : Math.round(value);
}

/**
 * The React Flow canvas. The document in the store is the truth; React Flow nodes are derived
 * from it with per-node caching (unchanged nodes keep their objects, so React Flow and the memoised
 * node components skip them). Positions while dragging live here and become one `move` change on
 * drop.
 */
export function Canvas({
  highlight = EMPTY_HIGHLIGHT,
}: {
  /** What the simulator marks on the canvas (current node, taken and uncovered edges). */
  readonly highlight?: SimulationHighlight;
} = {}) {
  const { store } = useSession();
  const ui = useDesignerUi();
  const doc = useDesigner((state) => state.doc);
  const selection = useDesigner((state) => state.selection);
  const edgeProblems = useDesigner((state) => state.lint.byEdge);
  const flow = useReactFlow<FlowNodeType>();
  const [dragPositions, setDragPositions] = useState(EMPTY_POSITIONS);
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(new Map());
  const [menu, setMenu] = useState<ContextMenuState | null>(null);
  const nodeCache = useRef(new WeakMap<FlowNode, CachedNode>());
  const edgeCache = useRef(new WeakMap<object, CachedEdge>());
  const pointer = useRef<XY | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const dragRef = useRef(dragPositions);
  dragRef.current = dragPositions;
  const measuredRef = useRef(measured);
  measuredRef.current = measured;

  const extraPorts = useMemo(() => getExtraPorts(doc.nodes, doc.edges), [doc.nodes, doc.edges]);
  const selectedNodes = useMemo(() => new Set(selection.nodeIds), [selection.nodeIds]);
  const selectedEdges = useMemo(() => new Set(selection.edgeIds), [selection.edgeIds]);

  const nodes = useMemo(
    () =>
      doc.nodes.map((node): FlowNodeType => {
        const selected = selectedNodes.has(node.id);
        const position = dragPositions.get(node.id) ?? node.position;
        const size = measured.get(node.id);
        const extra = extraPorts.get(node.id) ?? NO_PORTS;
        const cached = nodeCache.current.get(node);
        if (
          cached !== undefined &&
          cached.selected === selected &&
          cached.position === position &&
          cached.measured === size &&
          cached.extraPorts === extra
        ) {
          return cached.rf;
        }
        const data: FlowNodeData =
          cached?.extraPorts === extra ? cached.rf.data : { node, extraPorts: extra };
        const rf: FlowNodeType = {
          id: node.id,
          type: 'flow',
          position,
          data,
          selected,
          ...(size === undefined
            ? estimateGeometry([...getNodeView(node).ports.map((port) => port.id), ...extra])
            : { measured: size }),
          ...(dragPositions.has(node.id) && { dragging: true }),
        };
        nodeCache.current.set(node, { rf, selected, position, measured: size, extraPorts: extra });
        return rf;
      }),
    [doc.nodes, selectedNodes, dragPositions, measured, extraPorts],
  );

  const edges = useMemo(
    () =>
      doc.edges.map((edge): Edge => {
        const selected = selectedEdges.has(edge.id);
        const problem = edgeProblems.has(edge.id);
        const cached = edgeCache.current.get(edge);
        if (cached?.selected === selected && cached.problem === problem) return cached.rf;
        const rf: Edge = {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          sourceHandle: edge.sourcePort,
          targetHandle: 'in',
          selected,
          className: problem ? 'sy-edge-problem' : undefined,
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        };
        edgeCache.current.set(edge, { rf, selected, problem });
        return rf;
      }),
    [doc.edges, selectedEdges, edgeProblems],
  );

  // The simulator's marks go on top of the cached arrays (only marked elements are copied).
  const shownNodes = useMemo(() => decorateNodes(nodes, highlight), [nodes, highlight]);
  const shownEdges = useMemo(() => decorateEdges(edges, highlight), [edges, highlight]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNodeType>[]) => {
      let drag: Map<string, XY> | null = null;
      const dropped: [string, XY][] = [];
      let sizes: Map<string, Size> | null = null;
      let picked: Set<string> | null = null;
      for (const change of changes) {
        switch (change.type) {
          case 'position': {
            if (change.dragging === true && change.position !== undefined) {
              drag ??= new Map(dragRef.current);
              drag.set(change.id, change.position);
            } else if (change.dragging !== true) {
              const position = change.position ?? dragRef.current.get(change.id);
              if (position !== undefined) dropped.push([change.id, position]);
            }
            break;
          }
          case 'dimensions':
            if (change.dimensions !== undefined) {
              const previous = measuredRef.current.get(change.id);
              if (
                previous?.width !== change.dimensions.width ||
                previous.height !== change.dimensions.height
              ) {
                sizes ??= new Map(measuredRef.current);
                sizes.set(change.id, change.dimensions);
              }
            }
            break;
          case 'select':
            picked ??= new Set(store.getState().selection.nodeIds);
            if (change.selected) picked.add(change.id);
            else picked.delete(change.id);
            break;
          case 'remove':
          case 'add':
          case 'replace':
            break; // deletions and additions are our own edits, not React Flow's
        }
      }
      if (picked !== null) {
        store.select({ nodeIds: [...picked], edgeIds: store.getState().selection.edgeIds });
      }
      if (sizes !== null) setMeasured(sizes);
      if (dropped.length > 0) {
        const state = store.getState();
        store.dispatch(moveNodesChange(state.doc, dropped), { label: 'move' });
        const rest = new Map(drag ?? dragRef.current);
        for (const [id] of dropped) rest.delete(id);
        setDragPositions(rest.size === 0 ? EMPTY_POSITIONS : rest);
      } else if (drag !== null) {
        setDragPositions(drag);
      }
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let picked: Set<string> | null = null;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        picked ??= new Set(store.getState().selection.edgeIds);
        if (change.selected) picked.add(change.id);
        else picked.delete(change.id);
      }
      if (picked !== null) {
        store.select({ nodeIds: store.getState().selection.nodeIds, edgeIds: [...picked] });
      }
    },
    [store],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (connection.sourceHandle === null) return;
      const { doc: current } = store.getState();
      store.dispatch(
        connectChange(current, {
          source: connection.source,
          sourcePort: connection.sourceHandle,
          target: connection.target,
        }),
        { label: 'connect' },
      );
    },
    [store],
  );

  const isValidConnection = useCallback(
    (connection: Connection | Edge) => {
      const target = store.getState().doc.nodes.find((node) => node.id === connection.target);
      return target !== undefined && target.kind !== 'intake' && connection.sourceHandle != null;
    },
    [store],
  );

  const addKindAt = useCallback(
    (kind: NodeKind, at: XY) => {
      const { doc: current } = store.getState();
      const node = createNode(current, kind, {
        x: snap(at.x, ui.snapToGrid),
        y: snap(at.y, ui.snapToGrid),
      });
      store.dispatch(addNodeChange(current, node), {
        label: 'add',
        select: { nodeIds: [node.id], edgeIds: [] },
      });
    },
    [store, ui.snapToGrid],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!isNodeKind(kind)) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addKindAt(kind, { x: at.x - NODE_WIDTH / 2, y: at.y - 28 });
    },
    [flow, addKindAt],
  );

  const onMouseMove = useCallback(
    (event: ReactMouseEvent) => {
      pointer.current = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    },
    [flow],
  );

  const onNodeContextMenu = useCallback(
    (event: ReactMouseEvent, node: FlowNodeType) => {
      event.preventDefault();
      const { selection } = store.getState();
      if (!selection.nodeIds.includes(node.id)) store.select({ nodeIds: [node.id], edgeIds: [] });
      setMenu({
        screen: { x: event.clientX, y: event.clientY },
        flow: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }),
        target: 'node',
      });
    },
    [store, flow],
  );

  const onPaneContextMenu = useCallback(
    (event: ReactMouseEvent | MouseEvent) => {
      event.preventDefault();
      setMenu({
        screen: { x: event.clientX, y: event.clientY },
        flow: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }),
        target: 'pane',
      });
    },
    [flow],
  );

  const closeMenu = useCallback(() => {
    setMenu(null);
  }, []);

  const onMouseLeave = useCallback(() => {
    pointer.current = null;
  }, []);

  /** Fit the flow in view, or when that would be unreadable, show where it starts. */
  const showFlow = useCallback(
    (
      instance: Pick<
        ReactFlowInstance<FlowNodeType>,
        'getNodesBounds' | 'getNodes' | 'fitView' | 'setViewport'
      >,
      duration = 0,
    ) => {
      const { doc: current } = store.getState();
      const bounds = wrapper.current?.getBoundingClientRect();
      const box = instance.getNodesBounds(instance.getNodes());
      const fit =
        bounds === undefined || box.width === 0
          ? 1
          : Math.min(
              (bounds.width * 0.85) / box.width,
              (bounds.height * 0.85) / Math.max(box.height, 1),
            );
      if (current.nodes.length <= VISIBLE_ONLY_THRESHOLD && fit >= READABLE_ZOOM) {
        void instance.fitView({ ...FIT_VIEW, duration });
        return;
      }
      // Fitting would make the steps unreadable (and, for 1,000 nodes, draw them all): open at a
      // readable zoom where the flow starts, vertically centred on it.
      const start = current.nodes.find((node) => node.kind === 'intake') ?? current.nodes[0];
      const zoom = current.nodes.length > VISIBLE_ONLY_THRESHOLD ? 1 : READABLE_ZOOM;
      const height = bounds?.height ?? 800;
      const centreY =
        box.height * zoom < height ? box.y + box.height / 2 : (start?.position.y ?? 0) + 60;
      void instance.setViewport(
        {
          x: 48 - (start?.position.x ?? box.x) * zoom,
          y: height / 2 - centreY * zoom,
          zoom,
        },
        { duration },
      );
    },
    [store],
  );

  const onInit = useCallback(
    (instance: ReactFlowInstance<FlowNodeType>) => {
      showFlow(instance);
    },
    [showFlow],
  );

  useEffect(() => {
    const getInsertPosition = (): XY => {
      if (pointer.current !== null) return pointer.current;
      const bounds = wrapper.current?.getBoundingClientRect();
      if (bounds === undefined) return { x: 0, y: 0 };
      const center = flow.screenToFlowPosition({
        x: bounds.left + bounds.width / 2,
        y: bounds.top + bounds.height / 2,
      });
      return { x: center.x - NODE_WIDTH / 2, y: center.y - 40 };
    };
    ui.canvas.current = {
      fitView: () => void flow.fitView({ ...FIT_VIEW, duration: 300 }),
      showFlow: () => {
        showFlow(flow, 300);
      },
      zoomIn: () => void flow.zoomIn({ duration: 200 }),
      zoomOut: () => void flow.zoomOut({ duration: 200 }),
      centerOn(nodeId) {
        const node = store.getState().doc.nodes.find((candidate) => candidate.id === nodeId);
        if (node === undefined) return;
        const size = measuredRef.current.get(nodeId) ?? { width: NODE_WIDTH, height: 100 };
        void flow.setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, {
          zoom: Math.max(flow.getZoom(), 0.75),
          duration: 300,
        });
      },
      getSizes: () => measuredRef.current,
      addKind(kind) {
        addKindAt(kind, getInsertPosition());
      },
      getInsertPosition,
    };
    return () => {
      ui.canvas.current = null;
    };
  }, [flow, store, ui.canvas, addKindAt, showFlow]);

  const large = doc.nodes.length > VISIBLE_ONLY_THRESHOLD;
  return (
    <div
      className="sy-canvas"
      ref={wrapper}
      onMouseMove={onMouseMove}
      onMouseLeave={onMouseLeave}
      data-testid="designer-canvas"
    >
      <ReactFlow<FlowNodeType>
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onInit={onInit}
        onDragOver={onDragOver}
        onDrop={onDrop}
        onNodeContextMenu={onNodeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onMoveStart={closeMenu}
        snapToGrid={ui.snapToGrid}
        snapGrid={[GRID, GRID]}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionOnDrag
        selectionMode={SelectionMode.Partial}
        panOnDrag={[1, 2]}
        panOnScroll
        panActivationKeyCode="Space"
        zoomActivationKeyCode={['Meta', 'Control']}
        onlyRenderVisibleElements={large}
        minZoom={0.05}
        maxZoom={2}
        connectionLineType={ConnectionLineType.Bezier}
        defaultEdgeOptions={{ interactionWidth: 16 }}
        elevateNodesOnSelect={!large}
        proOptions={{ hideAttribution: true }}
        nodeDragThreshold={2}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.2} color="#cfd6e4" />
        <MiniMap
          pannable
          zoomable
          nodeColor={(node) => getKindColor((node.data as FlowNodeData).node.kind)}
          nodeStrokeWidth={0}
          nodeBorderRadius={6}
          maskColor="rgba(240, 243, 248, 0.7)"
          className="sy-minimap"
          style={{ width: 168, height: 112 }}
          ariaLabel={null}
        />
        <Controls
          showInteractive={false}
          fitViewOptions={FIT_VIEW}
          position="bottom-left"
          className="sy-controls"
        />
      </ReactFlow>
      <CanvasContextMenu menu={menu} onClose={closeMenu} />
    </div>
  );
}

export { NODE_WIDTH };
