import type { SourceSpan } from '@switchyard/expr';

export type Severity = 'error' | 'warning';

/**
 * Stable diagnostic codes. Never rename or reuse one: editors, the CLI's `--json` output, docs
 * and translations key on them.
 */
export const DIAGNOSTIC_CODES = {
  'invalid-json': 'error',
  'invalid-document': 'error',
  'unsupported-schema-version': 'error',
  'duplicate-id': 'error',
  'unknown-node-kind': 'error',
  'invalid-config': 'error',
  'missing-intake': 'error',
  'multiple-intakes': 'error',
  'unknown-edge-source': 'error',
  'unknown-edge-target': 'error',
  'unknown-port': 'error',
  'duplicate-port-edge': 'error',
  'edge-into-intake': 'error',
  'unconnected-port': 'error',
  'dead-end': 'error',
  'unreachable-node': 'warning',
  'cycle-without-wait': 'error',
  'cel-syntax': 'error',
  'cel-type': 'error',
  'unknown-field': 'error',
  'unknown-placeholder': 'error',
  'unknown-team': 'error',
  'unknown-calendar': 'error',
  'unknown-category': 'warning',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** A sentence that says what is wrong and what to do about it. */
  readonly message: string;
  /** JSON path into the document, e.g. `$.nodes[2].config.branches[0].when`. */
  readonly path: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** For problems inside a CEL expression or template: where in its text. */
  readonly span?: SourceSpan;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * @example
 * toJsonPath(['nodes', 2, 'config', 'headers', 'X-Key']); // '$.nodes[2].config.headers["X-Key"]'
 */
export function toJsonPath(segments: readonly PropertyKey[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

export function createDiagnostic(
  code: DiagnosticCode,
  segments: readonly PropertyKey[],
  message: string,
  extra: { nodeId?: string; edgeId?: string; span?: SourceSpan } = {},
): Diagnostic {
  return { code, severity: DIAGNOSTIC_CODES[code], message, path: toJsonPath(segments), ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The one-line form the CLI prints: `CODE severity node=ID path=JSONPATH message`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const edge = diagnostic.edgeId === undefined ? '' : ` edge=${diagnostic.edgeId}`;
  return `${diagnostic.code} ${diagnostic.severity} node=${diagnostic.nodeId ?? '-'}${edge} path=${diagnostic.path} ${diagnostic.message}`;
}
