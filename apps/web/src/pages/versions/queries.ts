import { trpc } from '../../api/client';

/** Which side of a comparison: a published version number or the current draft. */
export type VersionRef = number | 'draft';

// The history page shows what is on the server now (the designer may just have published).
export const flowQuery = (flowId: string) => ({
  ...trpc.flows.get.queryOptions({ id: flowId }),
  staleTime: 0,
});

export const versionsQuery = (flowId: string) => ({
  ...trpc.versions.list.queryOptions({ flowId }),
  staleTime: 0,
});

/** A published version never changes, so its document is cached for good. */
export const versionQuery = (flowId: string, version: number) =>
  trpc.versions.get.queryOptions({ flowId, version }, { staleTime: Infinity });

/** Reads `from`/`to` of the compare view from the URL (`?from=2&to=draft`); null when absent or bad. */
export function parseVersionRef(value: string | null): VersionRef | null {
  if (value === 'draft') return 'draft';
  if (value === null || !/^[1-9]\d{0,8}$/.test(value)) return null;
  return Number(value);
}

/**
 * The comparison to show when the URL names none: the latest version against the one before
 * it; with a single version, that version against the draft; with none, nothing.
 */
export function getDefaultComparison(
  versions: readonly number[],
): { readonly from: VersionRef; readonly to: VersionRef } | null {
  const sorted = [...versions].sort((a, b) => b - a);
  const [latest, previous] = sorted;
  if (latest === undefined) return null;
  if (previous === undefined) return { from: latest, to: 'draft' };
  return { from: previous, to: latest };
}
