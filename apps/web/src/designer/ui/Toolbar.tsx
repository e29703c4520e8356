import {
  ApartmentOutlined,
  BorderInnerOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  CodeOutlined,
  CompressOutlined,
  ExclamationCircleFilled,
  HistoryOutlined,
  LoadingOutlined,
  QuestionCircleOutlined,
  RedoOutlined,
  RocketOutlined,
  UndoOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { Button, Divider, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAutosaveState, useDesigner, useSession } from './context';
import { getShortcutHint } from './shortcuts';
import { useDesignerUi } from './ui-context';

function SaveStatus({ onConflict }: { readonly onConflict: () => void }) {
  const { t } = useTranslation('designer');
  const state = useAutosaveState();
  const savedAt =
    state.savedAt === null
      ? ''
      : new Date(state.savedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  switch (state.status) {
    case 'saved':
      return (
        <Tooltip title={t('save.savedTooltip', { revision: state.revision, time: savedAt || '—' })}>
          <span className="sy-save sy-save-ok" data-testid="save-status" data-status="saved">
            <CheckCircleFilled /> {t('save.saved')}
          </span>
        </Tooltip>
      );
    case 'pending':
      return (
        <span className="sy-save" data-testid="save-status" data-status="pending">
          {t('save.pending', { count: state.pendingChanges })}
        </span>
      );
    case 'saving':
      return (
        <span className="sy-save" data-testid="save-status" data-status="saving">
          <LoadingOutlined /> {t('save.saving')}
        </span>
      );
    case 'retrying':
      return (
        <Tooltip title={state.error}>
          <span className="sy-save sy-save-warn" data-testid="save-status" data-status="retrying">
            <WarningFilled /> {t('save.retrying')}
          </span>
        </Tooltip>
      );
    case 'invalid':
      return (
        <Tooltip title={state.error}>
          <span className="sy-save sy-save-error" data-testid="save-status" data-status="invalid">
            <CloseCircleFilled /> {t('save.invalid')}
          </span>
        </Tooltip>
      );
    case 'conflict':
      return (
        <Button
          size="small"
          danger
          icon={<ExclamationCircleFilled />}
          onClick={onConflict}
          data-testid="save-status"
          data-status="conflict"
        >
          {t('save.conflict')}
        </Button>
      );
  }
}

/** Top bar: name and save state; undo/redo, layout and view; problems, versions and publish. */
export function Toolbar({ onConflict }: { readonly onConflict: () => void }) {
  const { t } = useTranslation('designer');
  const { store, backend, flowId } = useSession();
  const ui = useDesignerUi();
  const name = useDesigner((state) => state.doc.name);
  const canUndo = useDesigner((state) => state.history.past.length > 0);
  const canRedo = useDesigner((state) => state.history.future.length > 0);
  const errorCount = useDesigner((state) => state.lint.errorCount);
  const warningCount = useDesigner((state) => state.lint.warningCount);
  const tip = (key: string, shortcut?: string) =>
    shortcut === undefined ? t(key) : `${t(key)} (${getShortcutHint(shortcut)})`;
  const publishBlocked = errorCount > 0;
  return (
    <div className="sy-toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <div className="sy-toolbar-left">
        <Typography.Text strong className="sy-toolbar-name" ellipsis title={name}>
          {name}
        </Typography.Text>
        <SaveStatus onConflict={onConflict} />
      </div>
      <div className="sy-toolbar-center">
        <Tooltip title={tip('toolbar.undo', 'undo')}>
          <Button
            type="text"
            icon={<UndoOutlined />}
            disabled={!canUndo}
            onClick={() => store.undo()}
            aria-label={t('toolbar.undo')}
            data-testid="undo"
          />
        </Tooltip>
        <Tooltip title={tip('toolbar.redo', 'redo')}>
          <Button
            type="text"
            icon={<RedoOutlined />}
            disabled={!canRedo}
            onClick={() => store.redo()}
            aria-label={t('toolbar.redo')}
            data-testid="redo"
          />
        </Tooltip>
        <Divider orientation="vertical" />
        <Tooltip title={tip('toolbar.layout', 'layout')}>
          <Button
            type="text"
            icon={<ApartmentOutlined />}
            onClick={() => void ui.autoLayout()}
            data-testid="auto-layout"
          >
            {t('toolbar.layoutShort')}
          </Button>
        </Tooltip>
        <Tooltip title={tip('toolbar.fitView', 'fitView')}>
          <Button
            type="text"
            icon={<CompressOutlined />}
            onClick={() => ui.canvas.current?.fitView()}
            aria-label={t('toolbar.fitView')}
          />
        </Tooltip>
        <Tooltip title={tip(ui.snapToGrid ? 'toolbar.snapOn' : 'toolbar.snapOff', 'snap')}>
          <Button
            type={ui.snapToGrid ? 'default' : 'text'}
            className={ui.snapToGrid ? 'sy-toggle-on' : undefined}
            icon={<BorderInnerOutlined />}
            onClick={() => {
              ui.setSnapToGrid(!ui.snapToGrid);
            }}
            aria-pressed={ui.snapToGrid}
            aria-label={t('toolbar.snap')}
          />
        </Tooltip>
        <Divider orientation="vertical" />
        <Tooltip title={tip('toolbar.json', 'json')}>
          <Button type="text" icon={<CodeOutlined />} onClick={ui.openJson} data-testid="open-json">
            JSON
          </Button>
        </Tooltip>
        <Tooltip title={tip('toolbar.help', 'help')}>
          <Button
            type="text"
            icon={<QuestionCircleOutlined />}
            onClick={ui.openHelp}
            aria-label={t('toolbar.help')}
          />
        </Tooltip>
      </div>
      <div className="sy-toolbar-right">
        <Button
          type="text"
          className="sy-toolbar-problems"
          onClick={() => {
            ui.setProblemsOpen(!ui.problemsOpen);
          }}
          data-testid="toggle-problems"
        >
          <span className={errorCount > 0 ? 'sy-count sy-count-error' : 'sy-count sy-count-muted'}>
            <CloseCircleFilled /> {errorCount}
          </span>
          <span
            className={warningCount > 0 ? 'sy-count sy-count-warning' : 'sy-count sy-count-muted'}
          >
            <WarningFilled /> {warningCount}
          </span>
        </Button>
        {backend.versionsHref !== undefined && (
          <Link to={backend.versionsHref(flowId)}>
            <Button icon={<HistoryOutlined />}>{t('toolbar.versions')}</Button>
          </Link>
        )}
        <Tooltip
          title={
            publishBlocked ? t('publish.blocked', { count: errorCount }) : t('publish.tooltip')
          }
        >
          <Button
            type="primary"
            icon={<RocketOutlined />}
            disabled={publishBlocked}
            onClick={ui.openPublish}
            data-testid="publish"
          >
            {t('toolbar.publish')}
          </Button>
        </Tooltip>
      </div>
    </div>
  );
}
