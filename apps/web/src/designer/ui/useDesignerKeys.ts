import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { moveNodesChange } from '../model/edits';
import type { DesignerStore } from '../model/store';
import {
  copySelection,
  deleteSelection,
  duplicateSelection,
  pasteText,
  selectAll,
} from './commands';
import type { DesignerUi } from './ui-context';
import { GRID } from './ui-context';

/** True when a key event belongs to a text field, a select, Monaco or a dialog, not the canvas. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable="true"], .monaco-editor')) {
    return true;
  }
  return target.closest('.ant-modal, .ant-select-dropdown, .ant-dropdown') !== null;
}

/**
 * Keyboard shortcuts and the system clipboard for the canvas (see `SHORTCUTS`). Copy and paste use
 * the browser's copy/paste events, so they work without clipboard permissions and between tabs.
 */
export function useDesignerKeys(
  store: DesignerStore,
  ui: DesignerUi,
  root: { readonly current: HTMLElement | null },
): void {
  const { t } = useTranslation('designer');
  const { message } = App.useApp();

  useEffect(() => {
    const active = (event: Event) =>
      root.current !== null && root.current.isConnected && !isEditableTarget(event.target);

    const nudge = (dx: number, dy: number) => {
      const { doc, selection } = store.getState();
      const ids = new Set(selection.nodeIds);
      const moves = doc.nodes
        .filter((node) => ids.has(node.id))
        .map((node) => [node.id, { x: node.position.x + dx, y: node.position.y + dy }] as const);
      store.dispatch(moveNodesChange(doc, moves), { label: 'move', coalesceKey: 'nudge' });
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (!active(event)) return;
      const mod = event.metaKey || event.ctrlKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z' && !event.shiftKey) store.undo();
      else if (mod && ((key === 'z' && event.shiftKey) || key === 'y')) store.redo();
      else if (mod && key === 'd') duplicateSelection(store);
      else if (mod && key === 'a') selectAll(store);
      else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        handled = deleteSelection(store);
      } else if (!mod && event.key.startsWith('Arrow')) {
        if (store.getState().selection.nodeIds.length === 0) handled = false;
        else {
          const step = event.shiftKey ? GRID * 5 : GRID;
          const dx = event.key === 'ArrowLeft' ? -step : event.key === 'ArrowRight' ? step : 0;
          const dy = event.key === 'ArrowUp' ? -step : event.key === 'ArrowDown' ? step : 0;
          nudge(dx, dy);
        }
      } else if (!mod && event.shiftKey && event.code === 'Digit1') ui.canvas.current?.fitView();
      else if (!mod && event.shiftKey && key === 'l') void ui.autoLayout();
      else if (!mod && event.shiftKey && key === 'g') ui.setSnapToGrid(!ui.snapToGrid);
      else if (!mod && event.shiftKey && key === 'p') ui.setProblemsOpen(!ui.problemsOpen);
      else if (!mod && event.shiftKey && key === 'j') ui.openJson();
      else if (!mod && event.key === '?') ui.openHelp();
      else if (event.key === 'Escape') store.select({ nodeIds: [], edgeIds: [] });
      else handled = false;
      if (handled) event.preventDefault();
    };

    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (!active(event)) return;
      const text = copySelection(store);
      if (text === null || event.clipboardData === null) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
      if (cut) deleteSelection(store);
      else
        void message.info(
          t('clipboard.copied', { count: store.getState().selection.nodeIds.length }),
        );
    };

    const onPaste = (event: ClipboardEvent) => {
      if (!active(event)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (text.trim() === '') return;
      event.preventDefault();
      const error = pasteText(
        store,
        text,
        ui.canvas.current?.getInsertPosition() ?? { x: 0, y: 0 },
      );
      if (error !== null) void message.warning(error);
    };

    const copy = (event: ClipboardEvent) => {
      onCopy(event, false);
    };
    const cut = (event: ClipboardEvent) => {
      onCopy(event, true);
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, [store, ui, root, message, t]);
}
