import {
  CheckCircleFilled,
  CloseCircleFilled,
  DownOutlined,
  UpOutlined,
  WarningFilled,
} from '@ant-design/icons';
import type { Diagnostic } from '@switchyard/flow';
import { Button, Segmented, Tooltip } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getNodeTitle, toCatalogLocale } from '../model/node-view';
import { locateDiagnostic, sortDiagnostics } from '../model/problems';
import type { DesignerStore } from '../model/store';
import { useDesigner, useSession } from './context';
import { translateDiagnostic } from './diagnostic-text';
import { KindTile } from './icons';
import type { CanvasApi } from './ui-context';
import { useDesignerUi } from './ui-context';

type Filter = 'all' | 'error' | 'warning';

/** Select the node (or edge) a diagnostic is about, show it, and focus the field it names. */
export function goToDiagnostic(
  store: DesignerStore,
  canvas: CanvasApi | null,
  diagnostic: Diagnostic,
): void {
  const { doc } = store.getState();
  const location = locateDiagnostic(doc, diagnostic);
  if (location.nodeId !== undefined && doc.nodes.some((node) => node.id === location.nodeId)) {
    store.focusField(location.nodeId, location.configPath ?? []);
    canvas?.centerOn(location.nodeId);
    return;
  }
  if (location.edgeId !== undefined) {
    store.select({ nodeIds: [], edgeIds: [location.edgeId] });
    return;
  }
  store.select({ nodeIds: [], edgeIds: [] });
}

/** Every lint diagnostic of the flow, live; click one to go to it. */
export function ProblemsPanel() {
  const { t, i18n } = useTranslation('designer');
  const locale = toCatalogLocale(i18n.language);
  const { store } = useSession();
  const ui = useDesignerUi();
  const lint = useDesigner((state) => state.lint);
  const doc = useDesigner((state) => state.doc);
  const [filter, setFilter] = useState<Filter>('all');
  const sorted = useMemo(() => sortDiagnostics(doc, lint.diagnostics), [doc, lint.diagnostics]);
  const shown = filter === 'all' ? sorted : sorted.filter((d) => d.severity === filter);
  const nodes = useMemo(() => new Map(doc.nodes.map((node) => [node.id, node])), [doc.nodes]);

  return (
    <section
      className={`sy-problems${ui.problemsOpen ? ' sy-problems-open' : ''}`}
      data-testid="problems-panel"
      aria-label={t('problems.title')}
    >
      <header className="sy-problems-header">
        <button
          type="button"
          className="sy-problems-toggle"
          onClick={() => {
            ui.setProblemsOpen(!ui.problemsOpen);
          }}
          aria-expanded={ui.problemsOpen}
        >
          <span className="sy-problems-title">{t('problems.title')}</span>
          <span className="sy-count sy-count-error" data-testid="error-count">
            <CloseCircleFilled /> {lint.errorCount}
          </span>
          <span className="sy-count sy-count-warning" data-testid="warning-count">
            <WarningFilled /> {lint.warningCount}
          </span>
        </button>
        {ui.problemsOpen && (
          <Segmented<Filter>
            size="small"
            value={filter}
            onChange={(value) => {
              setFilter(value);
            }}
            options={[
              { value: 'all', label: t('problems.all') },
              { value: 'error', label: t('problems.errors') },
              { value: 'warning', label: t('problems.warnings') },
            ]}
          />
        )}
        <Tooltip title={t(ui.problemsOpen ? 'problems.hide' : 'problems.show')}>
          <Button
            size="small"
            type="text"
            icon={ui.problemsOpen ? <DownOutlined /> : <UpOutlined />}
            aria-label={t(ui.problemsOpen ? 'problems.hide' : 'problems.show')}
            onClick={() => {
              ui.setProblemsOpen(!ui.problemsOpen);
            }}
          />
        </Tooltip>
      </header>
      {ui.problemsOpen && (
        <div className="sy-problems-list" role="list">
          {shown.length === 0 && (
            <div className="sy-problems-empty">
              <CheckCircleFilled />
              {lint.diagnostics.length === 0 ? t('problems.none') : t('problems.noneOfKind')}
            </div>
          )}
          {shown.map((diagnostic, index) => {
            const location = locateDiagnostic(doc, diagnostic);
            const node = location.nodeId === undefined ? undefined : nodes.get(location.nodeId);
            return (
              <button
                type="button"
                role="listitem"
                key={`${diagnostic.code}-${diagnostic.path}-${index}`}
                className={`sy-problem sy-problem-${diagnostic.severity}`}
                data-testid="problem"
                data-code={diagnostic.code}
                data-node={location.nodeId ?? ''}
                onClick={() => {
                  goToDiagnostic(store, ui.canvas.current, diagnostic);
                }}
              >
                <span className="sy-problem-icon">
                  {diagnostic.severity === 'error' ? <CloseCircleFilled /> : <WarningFilled />}
                </span>
                <span className="sy-problem-message">{translateDiagnostic(diagnostic, t)}</span>
                {node !== undefined && (
                  <span className="sy-problem-node">
                    <KindTile kind={node.kind} size={18} />
                    {getNodeTitle(node, locale)}
                  </span>
                )}
                <span className="sy-problem-code">{diagnostic.code}</span>
              </button>
            );
          })}
        </div>
      )}
    </section>
  );
}
