import {
  createFragment,
  getFragmentOrigin,
  parseFragment,
  pasteFragment,
  serializeFragment,
} from '../model/clipboard';
import type { XY } from '../model/changes';
import { removeElementsChange } from '../model/edits';
import type { DesignerStore } from '../model/store';

/** Offset of a duplicate from its original (two grid steps down-right). */
const DUPLICATE_OFFSET = 32;

/** The selected nodes as clipboard text, or null when nothing is selected. */
export function copySelection(store: DesignerStore): string | null {
  const { doc, selection } = store.getState();
  if (selection.nodeIds.length === 0) return null;
  return serializeFragment(createFragment(doc, selection.nodeIds));
}

export function deleteSelection(store: DesignerStore): boolean {
  const { doc, selection } = store.getState();
  if (selection.nodeIds.length === 0 && selection.edgeIds.length === 0) return false;
  store.dispatch(removeElementsChange(doc, selection.nodeIds, selection.edgeIds), {
    label: 'delete',
    select: { nodeIds: [], edgeIds: [] },
  });
  return true;
}

/** Paste clipboard text at a position; returns an error sentence when the text is not Flow JSON. */
export function pasteText(store: DesignerStore, text: string, at: XY): string | null {
  const parsed = parseFragment(text);
  if (!parsed.ok) return parsed.error;
  const { doc } = store.getState();
  const { change, nodeIds } = pasteFragment(doc, parsed.fragment, at);
  store.dispatch(change, { label: 'paste', select: { nodeIds, edgeIds: [] } });
  return null;
}

/** Copy the selected nodes (and the edges between them) next to themselves. */
export function duplicateSelection(store: DesignerStore): void {
  const { doc, selection } = store.getState();
  if (selection.nodeIds.length === 0) return;
  const fragment = createFragment(doc, selection.nodeIds);
  const origin = getFragmentOrigin(fragment);
  const { change, nodeIds } = pasteFragment(doc, fragment, {
    x: origin.x + DUPLICATE_OFFSET,
    y: origin.y + DUPLICATE_OFFSET,
  });
  store.dispatch(change, { label: 'duplicate', select: { nodeIds, edgeIds: [] } });
}

export function selectAll(store: DesignerStore): void {
  const { doc } = store.getState();
  store.select({
    nodeIds: doc.nodes.map((node) => node.id),
    edgeIds: doc.edges.map((edge) => edge.id),
  });
}
