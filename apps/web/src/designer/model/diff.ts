import type { FlowDocument, FlowEdge, FlowNode } from '@switchyard/flow';
import { batch, getSettings } from './changes';
import type { FlowChange } from './changes';
import { isJsonEqual } from './equal';

interface Identified {
  readonly id: string;
}

/**
 * Indices (into `before`) of the longest run of items that keep their relative order in `after`
 * and may stay where they are. Everything else is removed and re-added at its new place.
 */
function getStableIndices<T extends Identified>(
  before: readonly T[],
  after: readonly T[],
  canStay: (a: T, b: T) => boolean,
): Set<number> {
  const positionInAfter = new Map(after.map((item, index) => [item.id, index]));
  // Candidates: items present in both lists; sequence of their positions in `after`.
  const candidates: { index: number; target: number }[] = [];
  before.forEach((item, index) => {
    const target = positionInAfter.get(item.id);
    if (target !== undefined && canStay(item, after[target] as T)) {
      candidates.push({ index, target });
    }
  });
  // Longest increasing subsequence of `target` (patience sorting, O(n log n)).
  const tails: number[] = [];
  const previous: number[] = new Array<number>(candidates.length).fill(-1);
  candidates.forEach((candidate, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((candidates[tails[mid] as number] as { target: number }).target < candidate.target) {
        low = mid + 1;
      } else high = mid;
    }
    if (low > 0) previous[i] = tails[low - 1] as number;
    tails[low] = i;
  });
  const stable = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i] as number) {
    stable.add((candidates[i] as { index: number }).index);
  }
  return stable;
}

/**
 * The change that turns `before` into `after`: `applyChange(before, diffDocuments(before, after))`
 * equals `after`. Nodes that stay are moved, re-labelled or re-configured in place; nodes whose
 * kind changed, or that changed order, are removed and added. Used to apply the JSON view as one
 * undoable step and to describe what changed between two documents.
 *
 * @example
 * const change = diffDocuments(savedVersion, draft);
 * getTouchedIds(change).nodeIds; // nodes added, removed or changed
 */
export function diffDocuments(before: FlowDocument, after: FlowDocument): FlowChange {
  const changes: FlowChange[] = [];
  const settingsBefore = getSettings(before);
  const settingsAfter = getSettings(after);
  if (!isJsonEqual(settingsBefore, settingsAfter)) {
    changes.push({ type: 'set-settings', before: settingsBefore, after: settingsAfter });
  }

  // Edges are immutable in the change model: same id and content stays, else remove + add.
  const stableEdges = getStableIndices(before.edges, after.edges, isJsonEqual);
  for (let index = before.edges.length - 1; index >= 0; index--) {
    if (!stableEdges.has(index)) {
      changes.push({ type: 'remove-edge', edge: before.edges[index] as FlowEdge, index });
    }
  }

  const stableNodes = getStableIndices(before.nodes, after.nodes, (a, b) => a.kind === b.kind);
  const keptNodes = new Map(
    before.nodes.filter((_, index) => stableNodes.has(index)).map((node) => [node.id, node]),
  );
  for (let index = before.nodes.length - 1; index >= 0; index--) {
    if (!stableNodes.has(index)) {
      changes.push({ type: 'remove-node', node: before.nodes[index] as FlowNode, index });
    }
  }
  after.nodes.forEach((node, index) => {
    const kept = keptNodes.get(node.id);
    if (kept === undefined) {
      changes.push({ type: 'add-node', node, index });
      return;
    }
    if (kept.position.x !== node.position.x || kept.position.y !== node.position.y) {
      changes.push({ type: 'move-node', id: node.id, from: kept.position, to: node.position });
    }
    if (kept.label !== node.label) {
      changes.push({ type: 'set-node-label', id: node.id, before: kept.label, after: node.label });
    }
    if (!isJsonEqual(kept.config, node.config)) {
      changes.push({
        type: 'set-node-config',
        id: node.id,
        before: kept.config,
        after: node.config,
      });
    }
  });

  const keptEdgeIds = new Set(
    before.edges.filter((_, index) => stableEdges.has(index)).map((edge) => edge.id),
  );
  after.edges.forEach((edge, index) => {
    if (!keptEdgeIds.has(edge.id)) changes.push({ type: 'add-edge', edge, index });
  });
  return batch(changes);
}
