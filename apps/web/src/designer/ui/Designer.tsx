import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Button, Result, Spin } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesignerBackend } from '../backend';
import type { DesignerBackend, LoadedFlow } from '../backend';
import { createAutosave } from '../model/autosave';
import { moveNodesChange } from '../model/edits';
import { layoutFlow } from '../model/layout';
import { createDesignerStore } from '../model/store';
import { trpcBackend } from '../trpc-backend';
import { useSimulationHighlight } from '../../simulator';
import { Canvas } from './Canvas';
import { ConflictDialog } from './ConflictDialog';
import { DesignerSessionContext, useAutosaveState, useSession } from './context';
import type { DesignerSession } from './context';
import { HelpDialog } from './HelpDialog';
import { JsonDialog } from './JsonDialog';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { PublishDialog } from './PublishDialog';
import { SidePanel } from './SidePanel';
import { Toolbar } from './Toolbar';
import { DesignerUiContext } from './ui-context';
import type { CanvasApi, DesignerUi } from './ui-context';
import { useDesignerKeys } from './useDesignerKeys';
import './designer.css';

const SNAP_KEY = 'switchyard.designer.snap';

function readSnap(): boolean {
  try {
    return localStorage.getItem(SNAP_KEY) !== 'off';
  } catch {
    return true;
  }
}

export interface DesignerProps {
  readonly flowId: string;
}

type LoadState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: string }
  | { readonly status: 'ready'; readonly flow: LoadedFlow };

/**
 * The flow designer for one flow: palette, canvas, properties, problems, and the toolbar with
 * undo/redo, layout, JSON view and publish. Loads the draft with `flows.get` and autosaves it
 * with `flows.saveDraft` (or a `DesignerBackendContext` backend in benchmarks and tests).
 */
export function Designer({ flowId }: DesignerProps) {
  const { t } = useTranslation('designer');
  const backend = useDesignerBackend(() => trpcBackend);
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    backend.load(flowId).then(
      (flow) => {
        if (!cancelled) setState({ status: 'ready', flow });
      },
      (error: unknown) => {
        if (!cancelled) {
          setState({
            status: 'error',
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [backend, flowId, attempt]);

  if (state.status === 'loading') {
    return (
      <div className="sy-designer sy-designer-loading" data-testid="designer-loading">
        <Spin size="large" description={t('loading')} />
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="sy-designer sy-designer-loading">
        <Result
          status="warning"
          title={t('loadFailed')}
          subTitle={state.error}
          extra={
            <Button
              type="primary"
              onClick={() => {
                setAttempt((n) => n + 1);
              }}
            >
              {t('retry')}
            </Button>
          }
        />
      </div>
    );
  }
  return (
    <DesignerWorkspace
      key={`${flowId}:${attempt}`}
      flowId={flowId}
      flow={state.flow}
      backend={backend}
    />
  );
}

function DesignerWorkspace({
  flowId,
  flow,
  backend,
}: {
  readonly flowId: string;
  readonly flow: LoadedFlow;
  readonly backend: DesignerBackend;
}) {
  const session = useMemo((): DesignerSession => {
    const store = createDesignerStore(flow.document);
    const autosave = createAutosave({
      revision: flow.revision,
      save: (document, baseRevision) => backend.saveDraft(flowId, document, baseRevision),
    });
    store.onChange((change, doc) => {
      autosave.record(change, doc);
    });
    return { flowId, store, autosave, backend };
  }, [flow, backend, flowId]);

  useEffect(() => {
    const { autosave } = session;
    const warn = (event: BeforeUnloadEvent) => {
      const { status } = autosave.getState();
      if (status !== 'saved') event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      // Leaving the page saves what is pending, then stops.
      void autosave.flush().finally(() => {
        autosave.dispose();
      });
    };
  }, [session]);

  return (
    <DesignerSessionContext.Provider value={session}>
      <ReactFlowProvider>
        <WorkspaceLayout />
      </ReactFlowProvider>
    </DesignerSessionContext.Provider>
  );
}

function WorkspaceLayout() {
  const sessionRoot = useRef<HTMLDivElement>(null);
  const canvas = useRef<CanvasApi | null>(null);
  const [snapToGrid, setSnap] = useState(readSnap);
  const [problemsOpen, setProblemsOpen] = useState(true);
  const [dialog, setDialog] = useState<'json' | 'help' | 'publish' | 'conflict' | null>(null);
  const { store } = useSession();
  const saveStatus = useAutosaveState().status;
  const conflictShown = useRef(false);
  const simulation = useSimulationHighlight();

  useEffect(() => {
    if (saveStatus === 'conflict' && !conflictShown.current) {
      conflictShown.current = true;
      setDialog('conflict');
    }
    if (saveStatus !== 'conflict') conflictShown.current = false;
  }, [saveStatus]);

  const setSnapToGrid = useCallback((value: boolean) => {
    setSnap(value);
    try {
      localStorage.setItem(SNAP_KEY, value ? 'on' : 'off');
    } catch {
      // storage unavailable: the choice lasts for this page
    }
  }, []);

  const autoLayout = useCallback(async () => {
    const { doc, selection } = store.getState();
    const only = selection.nodeIds.length > 1 ? new Set(selection.nodeIds) : undefined;
    const origin =
      only === undefined
        ? { x: 0, y: 0 }
        : doc.nodes
            .filter((node) => only.has(node.id))
            .reduce(
              (corner, node) => ({
                x: Math.min(corner.x, node.position.x),
                y: Math.min(corner.y, node.position.y),
              }),
              { x: Infinity, y: Infinity },
            );
    const positions = await layoutFlow(doc, {
      sizes: canvas.current?.getSizes() ?? new Map(),
      ...(only !== undefined && { nodeIds: only }),
      origin,
    });
    const current = store.getState().doc;
    store.dispatch(moveNodesChange(current, positions), { label: 'layout' });
    requestAnimationFrame(() => canvas.current?.showFlow());
  }, [store]);

  const ui = useMemo(
    (): DesignerUi => ({
      canvas,
      snapToGrid,
      setSnapToGrid,
      problemsOpen,
      setProblemsOpen,
      openJson: () => {
        setDialog('json');
      },
      openHelp: () => {
        setDialog('help');
      },
      openPublish: () => {
        setDialog('publish');
      },
      autoLayout,
    }),
    [snapToGrid, setSnapToGrid, problemsOpen, autoLayout],
  );

  return (
    <DesignerUiContext.Provider value={ui}>
      <KeyBindings root={sessionRoot} ui={ui} />
      <div className="sy-designer" ref={sessionRoot} data-testid="designer">
        <Toolbar
          onConflict={() => {
            setDialog('conflict');
          }}
        />
        <div className="sy-designer-body">
          <Palette />
          <div className="sy-designer-center">
            <Canvas highlight={simulation.highlight} />
            <ProblemsPanel />
          </div>
          <SidePanel onHighlight={simulation.setHighlight} />
        </div>
      </div>
      <JsonDialog
        open={dialog === 'json'}
        onClose={() => {
          setDialog(null);
        }}
      />
      <HelpDialog
        open={dialog === 'help'}
        onClose={() => {
          setDialog(null);
        }}
      />
      <PublishDialog
        open={dialog === 'publish'}
        onClose={() => {
          setDialog(null);
        }}
      />
      <ConflictDialog
        open={dialog === 'conflict'}
        onClose={() => {
          setDialog(null);
        }}
      />
    </DesignerUiContext.Provider>
  );
}

function KeyBindings({
  root,
  ui,
}: {
  readonly root: { readonly current: HTMLElement | null };
  readonly ui: DesignerUi;
}) {
  const { store } = useSession();
  useDesignerKeys(store, ui, root);
  return null;
}
