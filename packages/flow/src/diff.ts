import type { FlowDocumentInput } from './document';

/**
 * One changed value. `path` is relative to what changed (`config.rules[0].keywords`,
 * `position.x` for a node; `name`, `teams[tech].skills` for the document). `before` is absent
 * when the value was added, `after` when it was removed.
 */
export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A node or edge present on both sides whose fields differ. */
export interface ItemChange {
  readonly id: string;
  readonly fields: readonly FieldChange[];
}

export interface ItemDiff {
  /** Ids only in the second document, in its order. */
  readonly added: readonly string[];
  /** Ids only in the first document, in its order. */
  readonly removed: readonly string[];
  /** Ids on both sides whose content differs, in the second document's order. */
  readonly changed: readonly ItemChange[];
}

/** What changed between two Flow documents: nodes, edges and document-level settings. */
export interface FlowDiff {
  readonly nodes: ItemDiff;
  readonly edges: ItemDiff;
  /** Everything outside `nodes` and `edges`: name, descriptions, ticket fields, teams, calendars… */
  readonly settings: readonly FieldChange[];
}

/** Anything shaped like a Flow document (a draft may fail lint; its shape is all diff needs). */
export type DiffableFlow = Pick<FlowDocumentInput, 'nodes' | 'edges'> & {
  readonly [key: string]: unknown;
};

type Json = unknown;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; object key order does not matter. */
function isEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => isEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    return (
      keysA.length === keysB.length &&
      keysA.every((key) => Object.hasOwn(b, key) && isEqual(a[key], b[key]))
    );
  }
  return false;
}

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/** The identity of an array item when every item of both arrays has a unique one. */
function getItemKey(item: unknown): string | null {
  if (!isRecord(item)) return null;
  const key = typeof item.id === 'string' ? item.id : item.key;
  return typeof key === 'string' && key !== '' ? key : null;
}

function keyItems(items: readonly unknown[]): Map<string, unknown> | null {
  const keyed = new Map<string, unknown>();
  for (const item of items) {
    const key = getItemKey(item);
    if (key === null || keyed.has(key)) return null;
    keyed.set(key, item);
  }
  return keyed;
}

function diffArrays(
  a: readonly unknown[],
  b: readonly unknown[],
  path: string,
  out: FieldChange[],
): void {
  // Arrays of things with ids (teams, calendars, ticket fields by key) are matched by id, so a
  // removal in the middle does not show as a change of every later item.
  const keyedA = keyItems(a);
  const keyedB = keyItems(b);
  if (keyedA !== null && keyedB !== null && (a.length > 0 || b.length > 0)) {
    for (const [key, before] of keyedA) {
      const itemPath = `${path}[${key}]`;
      if (!keyedB.has(key)) out.push({ path: itemPath, before });
      else diffValues(before, keyedB.get(key), itemPath, out);
    }
    for (const [key, after] of keyedB) {
      if (!keyedA.has(key)) out.push({ path: `${path}[${key}]`, after });
    }
    return;
  }
  if (a.length === b.length) {
    for (const [index, item] of a.entries()) diffValues(item, b[index], `${path}[${index}]`, out);
    return;
  }
  // Lists of plain values (keywords, channels) read best as one before/after.
  out.push({ path, before: a, after: b });
}

function diffValues(a: Json, b: Json, path: string, out: FieldChange[]): void {
  if (isEqual(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const before = a[key];
      const after = b[key];
      const keyPath = joinPath(path, key);
      if (before === undefined && after !== undefined) out.push({ path: keyPath, after });
      else if (after === undefined && before !== undefined) out.push({ path: keyPath, before });
      else diffValues(before, after, keyPath, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArrays(a, b, path, out);
    return;
  }
  out.push({ path, before: a, after: b });
}

/**
 * Items by id. A draft may repeat an id (lint reports it); later copies are keyed `id#2`,
 * `id#3`… so the diff stays total and deterministic.
 */
function indexById(items: readonly unknown[]): Map<string, Readonly<Record<string, unknown>>> {
  const byId = new Map<string, Readonly<Record<string, unknown>>>();
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const record = isRecord(item) ? item : {};
    const base = typeof record.id === 'string' ? record.id : `#${index}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    byId.set(count === 1 ? base : `${base}#${count}`, record);
  }
  return byId;
}

function diffItems(a: readonly unknown[], b: readonly unknown[]): ItemDiff {
  const before = indexById(a);
  const after = indexById(b);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: ItemChange[] = [];
  for (const id of before.keys()) if (!after.has(id)) removed.push(id);
  for (const [id, item] of after) {
    const old = before.get(id);
    if (old === undefined) {
      added.push(id);
      continue;
    }
    const fields: FieldChange[] = [];
    const { id: _oldId, ...oldRest } = old;
    const { id: _newId, ...newRest } = item;
    diffValues(oldRest, newRest, '', fields);
    if (fields.length > 0) changed.push({ id, fields });
  }
  return { added, removed, changed };
}

/**
 * What changed from flow `a` to flow `b`: nodes and edges matched by id (added, removed, changed
 * with each field's path and before/after) and the document-level settings. Pure and
 * deterministic; `diffFlows(x, x)` is empty for every `x`.
 *
 * @example
 * const diff = diffFlows(published, draft);
 * // { nodes: { added: ['vip'], removed: [], changed: [{ id: 'sla', fields: [
 * //   { path: 'config.targets.high.response', before: '2h', after: '1h' }] }] }, … }
 */
export function diffFlows(a: DiffableFlow, b: DiffableFlow): FlowDiff {
  const { nodes: nodesA, edges: edgesA, ...settingsA } = a;
  const { nodes: nodesB, edges: edgesB, ...settingsB } = b;
  const settings: FieldChange[] = [];
  diffValues(settingsA, settingsB, '', settings);
  return {
    nodes: diffItems(nodesA, nodesB),
    edges: diffItems(edgesA, edgesB),
    settings,
  };
}

/** True when the diff records no change at all. */
export function isEmptyDiff(diff: FlowDiff): boolean {
  const empty = (items: ItemDiff) =>
    items.added.length === 0 && items.removed.length === 0 && items.changed.length === 0;
  return empty(diff.nodes) && empty(diff.edges) && diff.settings.length === 0;
}
