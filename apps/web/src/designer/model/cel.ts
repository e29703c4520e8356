import { getSourceSpan } from '@switchyard/expr';
import type { ExpressionEnvironment, TypeSpec, VariableSchema } from '@switchyard/expr';

/** CEL words and functions offered by completion and coloured by the tokenizer. */
export const CEL_KEYWORDS = ['true', 'false', 'null', 'in'] as const;
export const CEL_FUNCTIONS = [
  { name: 'has', detail: 'has(ticket.fields.x) — is the field set?', snippet: 'has(${1})' },
  { name: 'size', detail: 'size(list or string)', snippet: 'size(${1})' },
  { name: 'contains', detail: 'text.contains("…")', snippet: 'contains("${1}")', method: true },
  {
    name: 'startsWith',
    detail: 'text.startsWith("…")',
    snippet: 'startsWith("${1}")',
    method: true,
  },
  { name: 'endsWith', detail: 'text.endsWith("…")', snippet: 'endsWith("${1}")', method: true },
  { name: 'matches', detail: 'text.matches("regex")', snippet: 'matches("${1}")', method: true },
  { name: 'lowerAscii', detail: 'text.lowerAscii()', snippet: 'lowerAscii()', method: true },
  { name: 'exists', detail: 'list.exists(x, x == …)', snippet: 'exists(x, ${1})', method: true },
  { name: 'all', detail: 'list.all(x, x …)', snippet: 'all(x, ${1})', method: true },
  { name: 'timestamp', detail: 'timestamp("2024-01-01T00:00:00Z")', snippet: 'timestamp("${1}")' },
  { name: 'duration', detail: 'duration("2h")', snippet: 'duration("${1}")' },
  { name: 'int', detail: 'int(value)', snippet: 'int(${1})' },
  { name: 'double', detail: 'double(value)', snippet: 'double(${1})' },
  { name: 'string', detail: 'string(value)', snippet: 'string(${1})' },
] as const;

export type CelCompletionKind = 'variable' | 'field' | 'function' | 'method' | 'keyword';

export interface CelCompletion {
  readonly label: string;
  readonly kind: CelCompletionKind;
  /** Type or short help. */
  readonly detail: string;
  /** Text to insert; `${1}` marks a snippet tab stop. */
  readonly insertText: string;
  readonly snippet: boolean;
}

function describeType(spec: TypeSpec): string {
  if (typeof spec === 'string') return spec;
  switch (spec.kind) {
    case 'list':
      return `list<${spec.of}>`;
    case 'map':
      return 'map';
    case 'object':
      return 'object';
  }
}

/** The type at a dotted path (`ticket.customer`) in a schema, or undefined. */
export function resolveCelPath(
  schema: VariableSchema,
  path: readonly string[],
): TypeSpec | undefined {
  const [head, ...rest] = path;
  if (head === undefined || !Object.hasOwn(schema, head)) return undefined;
  let spec: TypeSpec | undefined = schema[head];
  for (const part of rest) {
    if (spec === undefined || typeof spec === 'string' || spec.kind !== 'object') return undefined;
    spec = Object.hasOwn(spec.fields, part) ? spec.fields[part] : undefined;
  }
  return spec;
}

/**
 * Completions at the end of `textBeforeCursor`: after `ticket.` the ticket's fields, after
 * `ticket.fields.` the flow's custom fields, after any other value its methods, and otherwise
 * the variables, functions and keywords.
 *
 * @example
 * getCelCompletions(schema, 'ticket.customer.').map((c) => c.label); // ['id', 'name', …, 'tier', …]
 */
export function getCelCompletions(
  schema: VariableSchema,
  textBeforeCursor: string,
): CelCompletion[] {
  if (/"[^"]*$/.test(textBeforeCursor.replace(/"[^"]*"/g, ''))) return []; // inside a string
  const member = /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$/.exec(
    textBeforeCursor,
  );
  if (member !== null) {
    const spec = resolveCelPath(schema, (member[1] ?? '').split('.'));
    if (spec !== undefined && typeof spec !== 'string' && spec.kind === 'object') {
      return Object.entries(spec.fields).map(([name, fieldSpec]) => ({
        label: name,
        kind: 'field',
        detail: describeType(fieldSpec),
        insertText: name,
        snippet: false,
      }));
    }
    return CEL_FUNCTIONS.filter((fn) => 'method' in fn).map((fn) => ({
      label: fn.name,
      kind: 'method',
      detail: fn.detail,
      insertText: fn.snippet,
      snippet: true,
    }));
  }
  return [
    ...Object.entries(schema).map(([name, spec]) => ({
      label: name,
      kind: 'variable' as const,
      detail: describeType(spec),
      insertText: name,
      snippet: false,
    })),
    ...CEL_FUNCTIONS.filter((fn) => !('method' in fn)).map((fn) => ({
      label: fn.name,
      kind: 'function' as const,
      detail: fn.detail,
      insertText: fn.snippet,
      snippet: true,
    })),
    ...CEL_KEYWORDS.map((word) => ({
      label: word,
      kind: 'keyword' as const,
      detail: 'keyword',
      insertText: word,
      snippet: false,
    })),
  ];
}

/** A problem in a condition, positioned for an editor (1-based lines and columns). */
export interface CelProblem {
  readonly message: string;
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
}

/**
 * Check a condition with the flow's expression environment (the same check lint runs) and place
 * the problem for an editor marker. A condition must give true or false.
 */
export function checkCondition(environment: ExpressionEnvironment, source: string): CelProblem[] {
  if (source.trim() === '') {
    return [
      {
        message: 'Write a condition, e.g. ticket.priority == "high"',
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: 1,
        endColumn: 1,
      },
    ];
  }
  const result = environment.check(source);
  if (result.ok) {
    if (result.type === 'bool' || result.type === 'dyn') return [];
    const end = getSourceSpan(source, source.length, source.length);
    return [
      {
        message: `This condition gives a ${result.type}, not true/false; compare it with something (e.g. == "high").`,
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: end.line,
        endColumn: end.column,
      },
    ];
  }
  const { span } = result.error;
  // An empty span (e.g. "unexpected end") still gets one character so the squiggle shows.
  const endOffset = span.end > span.start ? span.end : Math.min(source.length, span.start + 1);
  const end = getSourceSpan(source, endOffset, endOffset);
  const start = span.start === endOffset && span.start > 0 ? span.start - 1 : span.start;
  const startSpan = getSourceSpan(source, start, start);
  return [
    {
      message: result.error.message,
      startLineNumber: startSpan.line,
      startColumn: startSpan.column,
      endLineNumber: end.line,
      endColumn: end.column,
    },
  ];
}
