import { CloseCircleFilled, WarningFilled } from '@ant-design/icons';
import { createExpressionEnvironment } from '@switchyard/expr';
import { getConditionSchema, getNodeKind, isNodeKind } from '@switchyard/flow';
import type { Diagnostic, FlowDocument } from '@switchyard/flow';
import { Alert, Input, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { getAtPath, setAtPath, setNodeConfigChange, setNodeLabelChange } from '../model/edits';
import { getNodeView, toCatalogLocale } from '../model/node-view';
import { locateDiagnostic } from '../model/problems';
import type { PathSegment } from '../model/problems';
import { describeSchema } from '../model/schema-form';
import { useDesigner, useSession } from './context';
import { translateDiagnostic } from './diagnostic-text';
import { FieldEditor } from './form/FieldEditor';
import { NodeFormContext } from './form/form-context';
import type { NodeForm } from './form/form-context';
import { getConfigJsonPath, getPathKey, isPathWithin } from './form/paths';
import { KindTile } from './icons';

const EMPTY: readonly Diagnostic[] = [];

/** Category ids declared by the flow's classify nodes. */
function getCategories(doc: FlowDocument): string[] {
  const ids = new Set<string>();
  for (const node of doc.nodes) {
    if (node.kind !== 'classify') continue;
    const categories = getAtPath(node.config, ['categories']);
    if (!Array.isArray(categories)) continue;
    for (const category of categories as unknown[]) {
      const id = getAtPath(category, ['id']);
      if (typeof id === 'string' && id !== '') ids.add(id);
    }
  }
  return [...ids];
}

/** Find the field element for a JSON path: the deepest `data-field-path` that contains it. */
export function findFieldElement(root: HTMLElement, jsonPath: string): HTMLElement | null {
  let best: HTMLElement | null = null;
  let bestLength = -1;
  for (const element of root.querySelectorAll<HTMLElement>('[data-field-path]')) {
    const path = element.dataset.fieldPath ?? '';
    if (isPathWithin(jsonPath, path) && path.length > bestLength) {
      best = element;
      bestLength = path.length;
    }
  }
  return best;
}

/** Scroll a field into view, flash it and put the caret in its first input. */
export function revealField(element: HTMLElement): void {
  element.scrollIntoView({ block: 'center', behavior: 'smooth' });
  element.classList.remove('sy-field-flash');
  element.getBoundingClientRect(); // reflow, so the animation restarts
  element.classList.add('sy-field-flash');
  const input = element.querySelector<HTMLElement>(
    '.monaco-editor textarea, input:not([type=hidden]):not([readonly]), textarea, .ant-select-selector',
  );
  input?.focus({ preventScroll: true });
}

/** The properties of one node: its name, what the kind does, and its config as a form. */
export function NodeProperties({ nodeId }: { readonly nodeId: string }) {
  const { t, i18n } = useTranslation('designer');
  const locale = toCatalogLocale(i18n.language);
  const { store } = useSession();
  const doc = useDesigner((state) => state.doc);
  const lint = useDesigner((state) => state.lint);
  const focus = useDesigner((state) => state.focus);
  const panel = useRef<HTMLDivElement>(null);
  const nodeIndex = doc.nodes.findIndex((node) => node.id === nodeId);
  const node = doc.nodes[nodeIndex];
  const kind = node !== undefined && isNodeKind(node.kind) ? node.kind : null;
  const spec = useMemo(
    () => (kind === null ? null : describeSchema(getNodeKind(kind).configSchema)),
    [kind],
  );
  const celSchema = useMemo(() => getConditionSchema(doc.ticketFields), [doc.ticketFields]);
  const celEnvironment = useMemo(() => createExpressionEnvironment(celSchema), [celSchema]);
  const categories = useMemo(() => getCategories(doc), [doc]);
  const nodeProblems = useMemo(
    () =>
      node === undefined
        ? EMPTY
        : lint.diagnostics.filter((d) => locateDiagnostic(doc, d).nodeId === node.id),
    [lint, doc, node],
  );

  const form = useMemo((): NodeForm | null => {
    if (node === undefined || kind === null) return null;
    const view = getNodeView(node);
    const definition = getNodeKind(kind);
    const templates = view.config === null ? [] : definition.getTemplates(view.config);
    return {
      nodeId: node.id,
      kind,
      nodeIndex,
      config: node.config,
      doc,
      setValue(path: readonly PathSegment[], value: unknown) {
        const current = store.getState().doc;
        const latest = current.nodes.find((candidate) => candidate.id === nodeId);
        if (latest === undefined) return;
        const config = setAtPath(latest.config, path, value) as Record<string, unknown>;
        store.dispatch(setNodeConfigChange(current, nodeId, config), {
          label: 'edit',
          coalesceKey: `${nodeId}:${getPathKey(path)}`,
        });
      },
      problemsAt: (path) => lint.byPath.get(getConfigJsonPath(nodeIndex, path)) ?? EMPTY,
      problemsUnder(path) {
        const prefix = getConfigJsonPath(nodeIndex, path);
        return nodeProblems.filter((d) => isPathWithin(d.path, prefix));
      },
      templatePaths: new Set(
        templates.map((template) => getConfigJsonPath(nodeIndex, template.path)),
      ),
      celSchema,
      celEnvironment,
      categories,
    };
  }, [
    node,
    kind,
    nodeIndex,
    doc,
    store,
    nodeId,
    lint,
    nodeProblems,
    celSchema,
    celEnvironment,
    categories,
  ]);

  useEffect(() => {
    if (focus?.nodeId !== nodeId || panel.current === null || nodeIndex < 0) return;
    const root = panel.current;
    const target =
      focus.path.length === 0 ? `$.nodes[${nodeIndex}]` : getConfigJsonPath(nodeIndex, focus.path);
    const frame = requestAnimationFrame(() => {
      const element = findFieldElement(root, target);
      if (element !== null) revealField(element);
    });
    return () => {
      cancelAnimationFrame(frame);
    };
    // Only a new focus request moves the caret, not every edit.
  }, [focus?.sequence]);

  if (node === undefined) return null;
  const definition = kind === null ? null : getNodeKind(kind);
  return (
    <div className="sy-node-props" ref={panel} data-testid="node-properties">
      <div className="sy-props-header">
        <KindTile kind={node.kind} size={36} />
        <div className="sy-props-titles">
          <div className="sy-props-kind">{definition?.label[locale] ?? node.kind}</div>
          <Typography.Text type="secondary" copyable={{ text: node.id }} className="sy-props-id">
            {node.id}
          </Typography.Text>
        </div>
      </div>
      {definition !== null && (
        <Typography.Paragraph
          type="secondary"
          className="sy-props-description"
          ellipsis={{
            rows: 2,
            expandable: 'collapsible',
            symbol: (expanded) => t(expanded ? 'props.less' : 'props.more'),
          }}
        >
          {definition.description[locale]}
        </Typography.Paragraph>
      )}
      {nodeProblems.length > 0 && (
        <div className="sy-props-problems">
          {nodeProblems.map((problem, index) => (
            <button
              type="button"
              key={index}
              className={`sy-props-problem sy-props-problem-${problem.severity}`}
              onClick={() => {
                const location = locateDiagnostic(doc, problem);
                store.focusField(nodeId, location.configPath ?? []);
              }}
            >
              {problem.severity === 'error' ? <CloseCircleFilled /> : <WarningFilled />}
              <span>{translateDiagnostic(problem, t)}</span>
            </button>
          ))}
        </div>
      )}
      <div className="sy-field" data-field-path={`$.nodes[${nodeIndex}].label`}>
        <label className="sy-field-label" htmlFor={`label-${nodeId}`}>
          {t('props.label')}
        </label>
        <Input
          id={`label-${nodeId}`}
          value={node.label ?? ''}
          placeholder={definition?.label[locale] ?? node.kind}
          maxLength={200}
          onChange={(event) => {
            const current = store.getState().doc;
            store.dispatch(setNodeLabelChange(current, nodeId, event.target.value), {
              label: 'rename',
              coalesceKey: `${nodeId}:label`,
            });
          }}
          onBlur={() => {
            store.seal();
          }}
        />
      </div>
      <div className="sy-props-section-title">{t('props.settings')}</div>
      {form === null || spec === null ? (
        <Alert type="warning" showIcon title={t('props.unknownKind', { kind: node.kind })} />
      ) : (
        <NodeFormContext.Provider value={form}>
          <FieldEditor spec={spec} path={[]} fieldKey="" />
        </NodeFormContext.Provider>
      )}
    </div>
  );
}
