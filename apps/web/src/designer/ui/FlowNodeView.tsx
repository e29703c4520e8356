import { CloseCircleFilled, WarningFilled } from '@ant-design/icons';
import type { FlowNode } from '@switchyard/flow';
import { Handle, Position, useStore } from '@xyflow/react';
import type { Node, NodeProps, ReactFlowState } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { getNodeTitle, getNodeView, toCatalogLocale } from '../model/node-view';
import type { NodeProblems } from '../model/problems';
import { useDesigner } from './context';
import { getKindColor, KindTile } from './icons';

export interface FlowNodeData extends Record<string, unknown> {
  readonly node: FlowNode;
  /** Ports edges leave from that the node's config does not declare (lint reports them). */
  readonly extraPorts: readonly string[];
}

export type FlowNodeType = Node<FlowNodeData, 'flow'>;

const NO_PROBLEMS: NodeProblems = { errors: 0, warnings: 0, messages: [] };

/** Below this zoom the text is unreadable: nodes draw as coloured cards with their title only. */
const COMPACT_ZOOM = 0.45;
const selectCompact = (state: ReactFlowState) => state.transform[2] < COMPACT_ZOOM;

function sameProblems(a: NodeProblems, b: NodeProblems): boolean {
  return (
    a.errors === b.errors &&
    a.warnings === b.warnings &&
    a.messages.length === b.messages.length &&
    a.messages.every((message, index) => message === b.messages[index])
  );
}

/**
 * A step on the canvas: kind, title, the catalog's config summary, one labelled handle per output
 * port and a badge with its lint problems. Memoised, and subscribed only to its own problems.
 */
function FlowNodeViewImpl({ id, data, selected }: NodeProps<FlowNodeType>) {
  const { t, i18n } = useTranslation('designer');
  const locale = toCatalogLocale(i18n.language);
  const problems = useDesigner((state) => state.lint.byNode.get(id) ?? NO_PROBLEMS, sameProblems);
  const { node, extraPorts } = data;
  const compact = useStore(selectCompact);
  const view = getNodeView(node);
  if (compact) {
    return (
      <CompactNode
        id={id}
        node={node}
        title={getNodeTitle(node, locale)}
        ports={[...view.ports.map((port) => port.id), ...extraPorts]}
        status={problems.errors > 0 ? 'error' : problems.warnings > 0 ? 'warning' : 'ok'}
        selected={selected}
      />
    );
  }
  const kindLabel = view.definition?.label[locale] ?? node.kind;
  const title = getNodeTitle(node, locale);
  const status = problems.errors > 0 ? 'error' : problems.warnings > 0 ? 'warning' : 'ok';
  return (
    <div
      className={`sy-node sy-node-${status}${selected ? ' sy-node-selected' : ''}`}
      data-testid={`node-${id}`}
      data-kind={node.kind}
    >
      <Handle
        type="target"
        position={Position.Left}
        id="in"
        className={node.kind === 'intake' ? 'sy-handle sy-handle-hidden' : 'sy-handle sy-handle-in'}
        isConnectable={node.kind !== 'intake'}
      />
      <div className="sy-node-header">
        <KindTile kind={node.kind} />
        <div className="sy-node-titles">
          <div className="sy-node-title" title={title}>
            {title}
          </div>
          <div className="sy-node-kind">
            {kindLabel}
            <span className="sy-node-id"> · {id}</span>
          </div>
        </div>
        {status !== 'ok' && (
          <span
            className={`sy-node-badge sy-node-badge-${status}`}
            title={problems.messages.join('\n')}
            aria-label={t('node.problems', { count: problems.errors + problems.warnings })}
          >
            {status === 'error' ? <CloseCircleFilled /> : <WarningFilled />}
            {problems.errors + problems.warnings}
          </span>
        )}
      </div>
      <div className={`sy-node-summary${view.summary === null ? ' sy-node-summary-invalid' : ''}`}>
        {view.summary ?? t(view.kind === null ? 'node.unknownKind' : 'node.invalidConfig')}
      </div>
      {(view.ports.length > 0 || extraPorts.length > 0) && (
        <div className="sy-node-ports">
          {view.ports.map((port) => (
            <div className="sy-node-port" key={port.id}>
              <span className="sy-node-port-label">{port.label[locale]}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port.id}
                className="sy-handle sy-handle-out"
                title={port.label[locale]}
              />
            </div>
          ))}
          {extraPorts.map((port) => (
            <div className="sy-node-port sy-node-port-unknown" key={`extra-${port}`}>
              <span className="sy-node-port-label">{port}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                className="sy-handle sy-handle-out"
                isConnectable={false}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * The zoomed-out form of a node: the same size and handle places as the full node, far fewer
 * elements (a flow of 1,000 steps stays fluid when all of it is in view).
 */
function CompactNode({
  id,
  node,
  title,
  ports,
  status,
  selected,
}: {
  readonly id: string;
  readonly node: FlowNode;
  readonly title: string;
  readonly ports: readonly string[];
  readonly status: 'ok' | 'error' | 'warning';
  readonly selected: boolean;
}) {
  const color = getKindColor(node.kind);
  return (
    <div
      className={`sy-node sy-node-compact sy-node-${status}${selected ? ' sy-node-selected' : ''}`}
      data-testid={`node-${id}`}
      style={{ borderTopColor: color }}
    >
      <Handle
        type="target"
        position={Position.Left}
        id="in"
        className="sy-handle sy-handle-in"
        isConnectable={false}
      />
      <div className="sy-node-compact-title" style={{ color }}>
        {title}
      </div>
      {ports.length > 0 && (
        <div className="sy-node-ports sy-node-compact-ports">
          {ports.map((port) => (
            <div className="sy-node-port" key={port}>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                className="sy-handle sy-handle-out"
                isConnectable={false}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeViewImpl);
