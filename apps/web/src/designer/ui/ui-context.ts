import { createContext, useContext } from 'react';
import type { NodeKind } from '@switchyard/flow';
import type { XY } from '../model/changes';
import type { Size } from '../model/layout';

/** What other panels may ask of the canvas. */
export interface CanvasApi {
  fitView: () => void;
  /** Fit the flow if it stays readable, else show where it starts at a readable zoom. */
  showFlow: () => void;
  zoomIn: () => void;
  zoomOut: () => void;
  /** Pan so the node is in the middle, keeping the zoom. */
  centerOn: (nodeId: string) => void;
  /** Measured node sizes, for auto-layout. */
  getSizes: () => ReadonlyMap<string, Size>;
  /** Add a node of this kind where `getInsertPosition` says (palette click, keyboard). */
  addKind: (kind: NodeKind) => void;
  /** Where pasted or clicked-in nodes go: under the pointer, else the middle of the view. */
  getInsertPosition: () => XY;
}

export interface DesignerUi {
  readonly canvas: { current: CanvasApi | null };
  readonly snapToGrid: boolean;
  setSnapToGrid: (value: boolean) => void;
  readonly problemsOpen: boolean;
  setProblemsOpen: (value: boolean) => void;
  openJson: () => void;
  openHelp: () => void;
  openPublish: () => void;
  /** Lay out the whole flow, or only the selected nodes when there are several. */
  autoLayout: () => Promise<void>;
}

export const DesignerUiContext = createContext<DesignerUi | null>(null);

export function useDesignerUi(): DesignerUi {
  const ui = useContext(DesignerUiContext);
  if (ui === null) throw new Error('useDesignerUi is used outside the designer');
  return ui;
}

/** Canvas grid in px: the background dots and snapping use the same step. */
export const GRID = 16;
