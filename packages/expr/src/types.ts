/**
 * The value types a condition can see. A small, closed set that maps one-to-one onto CEL types,
 * so the flow package can describe the ticket model without knowing CEL's type syntax.
 */
export type ScalarType = 'string' | 'int' | 'double' | 'bool' | 'timestamp';

export type TypeSpec =
  | ScalarType
  | { readonly kind: 'list'; readonly of: ScalarType }
  | { readonly kind: 'map' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, TypeSpec>> };

/** Top-level variables of an expression environment, e.g. `{ ticket: {...}, now: 'timestamp' }`. */
export type VariableSchema = Readonly<Record<string, TypeSpec>>;

/** Where in the expression text a problem is (0-based offsets, 1-based line/column). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export type ExpressionErrorKind = 'parse' | 'type' | 'limit' | 'evaluation';

export interface ExpressionError {
  readonly kind: ExpressionErrorKind;
  /** The library's error code, e.g. `no_such_key`, `unexpected_token`. */
  readonly code: string;
  /** One readable sentence, without the source excerpt. */
  readonly message: string;
  readonly span: SourceSpan;
}

export type CheckResult =
  | { readonly ok: true; readonly type: string }
  | { readonly ok: false; readonly error: ExpressionError };

export type EvaluationResult =
  | { readonly ok: true; readonly value: CelValue }
  | { readonly ok: false; readonly error: ExpressionError };

/** A value as CEL sees it: ints are bigint, timestamps are Date. */
export type CelValue =
  | string
  | bigint
  | number
  | boolean
  | null
  | Date
  | readonly CelValue[]
  | { readonly [key: string]: CelValue };

/** A context built for an environment by `toContext` (already converted to CEL values). */
export type CelContext = Readonly<Record<string, CelValue>>;
