import type { Diagnostic } from '@switchyard/flow';

/** Errors first, then warnings; within each, in the order reported. */
export function sortDiagnostics<T extends Pick<Diagnostic, 'severity'>>(items: readonly T[]): T[] {
  const rank = (item: T) => (item.severity === 'error' ? 0 : 1);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}
