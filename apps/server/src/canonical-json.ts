import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal documents give equal text. */
export function toCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    const record = inner as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  });
}

/** SHA-256 (hex) of the canonical JSON of a document: a published version's content hash. */
export function getContentHash(document: unknown): string {
  return createHash('sha256').update(toCanonicalJson(document)).digest('hex');
}
