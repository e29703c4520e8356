import { ID_PATTERN } from '@switchyard/flow';

/**
 * An id based on `base` that is not in `taken`: `base` itself when free, else `base-2`, `base-3`…
 * (an existing numeric suffix is replaced, so copying `assign-2` gives `assign-3`, not
 * `assign-2-2`). The result always matches the flow's id pattern.
 *
 * @example
 * createUniqueId('assign', new Set(['assign', 'assign-2'])); // 'assign-3'
 */
export function createUniqueId(base: string, taken: ReadonlySet<string>): string {
  let stem = base.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 56);
  if (!/^[A-Za-z]/.test(stem)) stem = `n-${stem}`.slice(0, 56);
  if (!taken.has(stem) && ID_PATTERN.test(stem)) return stem;
  stem = stem.replace(/-\d+$/, '');
  for (let counter = 2; ; counter++) {
    const candidate = `${stem}-${counter}`;
    if (!taken.has(candidate)) return candidate;
  }
}
