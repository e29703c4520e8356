import { toJsonPath } from '@switchyard/flow';
import type { PathSegment } from '../../model/problems';

/** The JSON path lint uses for a field of a node's config. */
export function getConfigJsonPath(nodeIndex: number, path: readonly PathSegment[]): string {
  return toJsonPath(['nodes', nodeIndex, 'config', ...path]);
}

/** A config-relative key for a field (coalescing undo steps, React keys). */
export function getPathKey(path: readonly PathSegment[]): string {
  return toJsonPath(path);
}

/** True when `path` is `prefix` or inside it (`$.a.b` is inside `$.a`, `$.ab` is not). */
export function isPathWithin(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}
