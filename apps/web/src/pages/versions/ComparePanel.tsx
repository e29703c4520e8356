import { ArrowRightOutlined, SwapOutlined } from '@ant-design/icons';
import { diffFlows, isNodeKind, NODE_CATALOG } from '@switchyard/flow';
import type { FlowDocument } from '@switchyard/flow';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Select,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VersionSummary } from '../../api/types';
import { getErrorMessage } from '../../api/errors';
import { getLanguage } from '../../i18n';
import { DiffCanvas, STATUS_STYLES } from './DiffCanvas';
import { formatValue, getChangeRows, getDiffGraph, getDiffSummary } from './diff-model';
import type { ChangeRow, DiffGraph } from './diff-model';
import { versionQuery } from './queries';
import type { VersionRef } from './queries';

interface ComparePanelProps {
  readonly flowId: string;
  readonly draft: FlowDocument;
  readonly versions: readonly VersionSummary[];
  readonly from: VersionRef;
  readonly to: VersionRef;
  readonly onChange: (from: VersionRef, to: VersionRef) => void;
}

/** Picks two versions and shows what changed between them, on a canvas and as a list. */
export function ComparePanel(props: ComparePanelProps) {
  return (
    <ReactFlowProvider>
      <ComparePanelInner {...props} />
    </ReactFlowProvider>
  );
}

function useDocument(flowId: string, ref: VersionRef, draft: FlowDocument) {
  const query = useQuery({
    ...versionQuery(flowId, ref === 'draft' ? 0 : ref),
    enabled: ref !== 'draft',
  });
  if (ref === 'draft') return { document: draft, error: null, pending: false };
  return {
    document: query.data?.document ?? null,
    error: query.error,
    pending: query.isPending,
  };
}

function ComparePanelInner({ flowId, draft, versions, from, to, onChange }: ComparePanelProps) {
  const { t } = useTranslation('versions');
  const language = getLanguage();
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const reactFlow = useReactFlow();
  const left = useDocument(flowId, from, draft);
  const right = useDocument(flowId, to, draft);

  const options = [
    ...versions.map((version) => ({
      value: String(version.version),
      label: version.isCurrent
        ? t('compare.versionLive', { version: version.version })
        : t('compare.version', { version: version.version }),
    })),
    { value: 'draft', label: t('compare.draft') },
  ];
  const toRef = (value: string): VersionRef => (value === 'draft' ? 'draft' : Number(value));

  const result = useMemo(() => {
    if (left.document === null || right.document === null) return null;
    const diff = diffFlows(left.document, right.document);
    const graph = getDiffGraph(left.document, right.document, diff, language);
    return { diff, graph, summary: getDiffSummary(graph, diff), rows: getChangeRows(graph, diff) };
  }, [left.document, right.document, language]);

  const getKindLabel = useCallback(
    (kind: string) => (isNodeKind(kind) ? NODE_CATALOG[kind].label[language] : kind),
    [language],
  );

  const focusNode = (id: string) => {
    setFocusedId(id);
    void reactFlow.fitView({ nodes: [{ id }], duration: 400, maxZoom: 1.1, padding: 0.6 });
  };

  const error = left.error ?? right.error;
  return (
    <Card
      title={t('compare.title')}
      data-testid="compare-panel"
      extra={
        <Space size={8} wrap>
          <Select
            value={String(from)}
            options={options}
            onChange={(value) => {
              onChange(toRef(value), to);
            }}
            style={{ width: 170 }}
            aria-label={t('compare.from')}
            data-testid="compare-from"
          />
          <ArrowRightOutlined style={{ color: '#98a2b3' }} />
          <Select
            value={String(to)}
            options={options}
            onChange={(value) => {
              onChange(from, toRef(value));
            }}
            style={{ width: 170 }}
            aria-label={t('compare.to')}
            data-testid="compare-to"
          />
          <Tooltip title={t('compare.swap')}>
            <Button
              icon={<SwapOutlined />}
              aria-label={t('compare.swap')}
              onClick={() => {
                onChange(to, from);
              }}
            />
          </Tooltip>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      {error !== null ? (
        <Alert
          type="error"
          showIcon
          style={{ margin: 16 }}
          title={t('compare.loadFailed')}
          description={getErrorMessage(error)}
        />
      ) : result === null ? (
        <Flex justify="center" align="center" style={{ height: 420 }}>
          <Spin />
        </Flex>
      ) : (
        <>
          <SummaryBar summary={result.summary} same={from === to} />
          <div className="sy-compare-body">
            <div className="sy-compare-canvas">
              <DiffCanvas
                key={`${String(from)}:${String(to)}`}
                graph={result.graph}
                focusedId={focusedId}
                getKindLabel={getKindLabel}
                onNodeClick={(id) => {
                  setFocusedId(id);
                }}
              />
              <Legend />
            </div>
            <div className="sy-compare-list" data-testid="change-list">
              {result.rows.length === 0 ? (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={t('compare.noChanges')}
                  style={{ marginTop: 48 }}
                />
              ) : (
                result.rows.map((row) => (
                  <ChangeItem
                    key={row.key}
                    row={row}
                    graph={result.graph}
                    getKindLabel={getKindLabel}
                    focused={row.type === 'node' && row.id === focusedId}
                    onFocus={
                      row.type === 'node'
                        ? () => {
                            focusNode(row.id);
                          }
                        : undefined
                    }
                  />
                ))
              )}
            </div>
          </div>
        </>
      )}
    </Card>
  );
}

function SummaryBar({
  summary,
  same,
}: {
  readonly summary: ReturnType<typeof getDiffSummary>;
  readonly same: boolean;
}) {
  const { t } = useTranslation('versions');
  if (summary.identical) {
    return (
      <div className="sy-compare-summary">
        <Typography.Text type="secondary">
          {same ? t('compare.sameVersion') : t('compare.identical')}
        </Typography.Text>
      </div>
    );
  }
  const parts: { key: string; status: keyof typeof STATUS_STYLES; text: string }[] = [];
  for (const status of ['added', 'removed', 'changed', 'moved'] as const) {
    const count = summary.nodes[status];
    if (count > 0)
      parts.push({ key: `n-${status}`, status, text: t(`summary.nodes.${status}`, { count }) });
  }
  for (const status of ['added', 'removed', 'changed'] as const) {
    const count = summary.edges[status];
    if (count > 0)
      parts.push({ key: `e-${status}`, status, text: t(`summary.edges.${status}`, { count }) });
  }
  if (summary.settings > 0) {
    parts.push({
      key: 'settings',
      status: 'changed',
      text: t('summary.settings', { count: summary.settings }),
    });
  }
  return (
    <div className="sy-compare-summary" data-testid="diff-summary">
      {parts.map((part) => (
        <Tag
          key={part.key}
          variant="outlined"
          style={{
            color: STATUS_STYLES[part.status].color,
            borderColor: STATUS_STYLES[part.status].color,
            background: STATUS_STYLES[part.status].background,
          }}
        >
          {part.text}
        </Tag>
      ))}
    </div>
  );
}

function Legend() {
  const { t } = useTranslation('versions');
  return (
    <div className="sy-diff-legend">
      {(['added', 'removed', 'changed', 'moved'] as const).map((status) => (
        <span key={status}>
          <i
            style={{
              borderColor: STATUS_STYLES[status].color,
              background: STATUS_STYLES[status].background,
              borderStyle: status === 'removed' ? 'dashed' : 'solid',
            }}
          />
          {t(`status.${status}`)}
        </span>
      ))}
    </div>
  );
}

interface ChangeItemProps {
  readonly row: ChangeRow;
  readonly graph: DiffGraph;
  readonly getKindLabel: (kind: string) => string;
  readonly focused: boolean;
  readonly onFocus: (() => void) | undefined;
}

const MAX_FIELDS = 6;

function ChangeItem({ row, graph, getKindLabel, focused, onFocus }: ChangeItemProps) {
  const { t } = useTranslation('versions');
  const [expanded, setExpanded] = useState(false);
  const style = STATUS_STYLES[row.status];
  const title = (() => {
    switch (row.type) {
      case 'node': {
        const node = graph.nodes.find((item) => item.id === row.id);
        return node === undefined ? row.id : `${node.label} · ${getKindLabel(node.kind)}`;
      }
      case 'edge': {
        const edge = graph.edges.find((item) => item.id === row.id);
        const name = (id: string) => graph.nodes.find((node) => node.id === id)?.label ?? id;
        return edge === undefined
          ? row.id
          : `${name(edge.source)} → ${name(edge.target)} (${edge.sourcePort})`;
      }
      case 'settings':
        return t('compare.settings');
    }
  })();
  const fields = expanded ? row.fields : row.fields.slice(0, MAX_FIELDS);
  return (
    <div
      className={`sy-change${focused ? ' sy-change-focused' : ''}`}
      style={{ borderInlineStartColor: style.color }}
      data-testid={`change-${row.key}`}
      data-status={row.status}
    >
      <button
        type="button"
        className="sy-change-head"
        onClick={onFocus}
        disabled={onFocus === undefined}
        title={onFocus === undefined ? undefined : t('compare.showOnCanvas')}
      >
        <Tag
          variant="filled"
          style={{ background: style.background, color: style.color, marginInlineEnd: 0 }}
        >
          {t(`status.${row.status}`)}
        </Tag>
        <span className="sy-change-title">{title}</span>
        {row.type !== 'settings' && (
          <Typography.Text type="secondary" className="sy-change-id">
            {row.id}
          </Typography.Text>
        )}
      </button>
      {fields.length > 0 && (
        <ul className="sy-change-fields">
          {fields.map((field) => (
            <li key={field.path}>
              <code className="sy-change-path">{field.path}</code>
              <span className="sy-change-values">
                <del title={formatValue(field.before, 2000)}>{formatValue(field.before)}</del>
                <ArrowRightOutlined style={{ fontSize: 10, color: '#98a2b3' }} />
                <ins title={formatValue(field.after, 2000)}>{formatValue(field.after)}</ins>
              </span>
            </li>
          ))}
        </ul>
      )}
      {row.fields.length > MAX_FIELDS && (
        <Button
          type="link"
          size="small"
          onClick={() => {
            setExpanded(!expanded);
          }}
        >
          {expanded
            ? t('compare.fewerFields')
            : t('compare.moreFields', { count: row.fields.length - MAX_FIELDS })}
        </Button>
      )}
    </div>
  );
}
