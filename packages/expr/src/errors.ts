import type { ExpressionError, ExpressionErrorKind, SourceSpan } from './types';

/** Convert an offset into a span with a 1-based line and column, for editors and CLI output. */
export function getSourceSpan(source: string, start: number, end: number): SourceSpan {
  const clampedStart = Math.max(0, Math.min(start, source.length));
  const clampedEnd = Math.max(clampedStart, Math.min(end, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clampedStart; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { start: clampedStart, end: clampedEnd, line, column: clampedStart - lineStart + 1 };
}

interface LibraryErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly summary?: unknown;
  readonly message?: unknown;
  readonly range?: { readonly start?: unknown; readonly end?: unknown };
}

/**
 * Map whatever cel-js threw (ParseError, TypeError, EvaluationError) to our error shape. The
 * library's `message` embeds a source excerpt; we keep its one-line `summary` and the range.
 */
export function toExpressionError(
  error: unknown,
  source: string,
  fallbackKind: ExpressionErrorKind,
): ExpressionError {
  const shape: LibraryErrorShape = typeof error === 'object' && error !== null ? error : {};
  const code = typeof shape.code === 'string' ? shape.code : 'unknown';
  const summary =
    typeof shape.summary === 'string'
      ? shape.summary
      : typeof shape.message === 'string'
        ? (shape.message.split('\n')[0] ?? '')
        : String(error);
  const start = typeof shape.range?.start === 'number' ? shape.range.start : 0;
  const end = typeof shape.range?.end === 'number' ? shape.range.end : start;
  const kind: ExpressionErrorKind = code === 'limit_exceeded' ? 'limit' : fallbackKind;
  return { kind, code, message: summary, span: getSourceSpan(source, start, end) };
}
