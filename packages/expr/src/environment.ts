import { Environment } from '@marcbachmann/cel-js';
import type { ObjectSchema, ParseResult } from '@marcbachmann/cel-js';
import { toExpressionError } from './errors';
import type {
  CelContext,
  CelValue,
  CheckResult,
  EvaluationResult,
  ExpressionError,
  TypeSpec,
  VariableSchema,
} from './types';

/**
 * Structural limits for user-written conditions. Conditions in a support flow are short; these
 * bounds stop a pasted megabyte (or a deeply nested expression) from stalling the designer or
 * the runtime.
 */
export const EXPRESSION_LIMITS = {
  maxSourceLength: 4096,
  maxAstNodes: 512,
  maxDepth: 32,
  maxListElements: 256,
  maxMapEntries: 64,
  maxCallArguments: 16,
} as const;

/** A condition parsed and type-checked once, evaluated many times. */
export interface CompiledExpression {
  readonly source: string;
  /** The CEL type of the result, e.g. `bool`. */
  readonly type: string;
  evaluate(context: CelContext): EvaluationResult;
}

export type CompileResult =
  | { readonly ok: true; readonly expression: CompiledExpression }
  | { readonly ok: false; readonly error: ExpressionError };

export interface ExpressionEnvironment {
  readonly schema: VariableSchema;
  /** Parse and type-check without keeping the result. */
  check(source: string): CheckResult;
  /** Parse and type-check once; the result evaluates in microseconds. */
  compile(source: string): CompileResult;
  /**
   * Convert plain JSON-like values into CEL values following the schema: integers become
   * bigint, ISO strings become timestamps, and missing fields get their zero value so a
   * condition never fails on an unset optional field.
   */
  toContext(values: Readonly<Record<string, unknown>>): CelContext;
}

function toCelTypeName(spec: TypeSpec): string | ObjectSchema {
  if (typeof spec === 'string') {
    return spec === 'timestamp' ? 'google.protobuf.Timestamp' : spec;
  }
  switch (spec.kind) {
    case 'list':
      return `list<${toCelTypeName(spec.of) as string}>`;
    case 'map':
      return 'map<string, dyn>';
    case 'object': {
      const schema: ObjectSchema = {};
      for (const [name, field] of Object.entries(spec.fields)) schema[name] = toCelTypeName(field);
      return schema;
    }
  }
}

function tooLong(source: string): ExpressionError {
  return {
    kind: 'limit',
    code: 'source_too_long',
    message: `Expression is ${source.length} characters long; the limit is ${EXPRESSION_LIMITS.maxSourceLength}.`,
    span: { start: 0, end: 0, line: 1, column: 1 },
  };
}

/**
 * Create an environment that type-checks conditions against the given variables.
 *
 * @example
 * const env = createExpressionEnvironment({ ticket: { kind: 'object', fields: { priority: 'string' } } });
 * env.check('ticket.priority == 2'); // { ok: false, error: { kind: 'type', message: 'no such overload: string == int', ... } }
 */
export function createExpressionEnvironment(schema: VariableSchema): ExpressionEnvironment {
  const { maxSourceLength: _maxSourceLength, ...limits } = EXPRESSION_LIMITS;
  const env = new Environment({ limits, homogeneousAggregateLiterals: false });
  for (const [name, spec] of Object.entries(schema)) {
    const celType = toCelTypeName(spec);
    if (typeof celType === 'string') env.registerVariable(name, celType);
    else env.registerVariable({ name, schema: celType });
  }

  function parseChecked(
    source: string,
  ): { ok: true; parsed: ParseResult; type: string } | { ok: false; error: ExpressionError } {
    if (source.length > EXPRESSION_LIMITS.maxSourceLength)
      return { ok: false, error: tooLong(source) };
    let parsed: ParseResult;
    try {
      parsed = env.parse(source);
    } catch (error: unknown) {
      return { ok: false, error: toExpressionError(error, source, 'parse') };
    }
    const checked = parsed.check();
    if (!checked.valid) {
      return { ok: false, error: toExpressionError(checked.error, source, 'type') };
    }
    return { ok: true, parsed, type: checked.type ?? 'dyn' };
  }

  return {
    schema,
    check(source) {
      const result = parseChecked(source);
      return result.ok ? { ok: true, type: result.type } : result;
    },
    compile(source) {
      const result = parseChecked(source);
      if (!result.ok) return result;
      const { parsed, type } = result;
      return {
        ok: true,
        expression: {
          source,
          type,
          evaluate(context) {
            try {
              return { ok: true, value: parsed(context) as CelValue };
            } catch (error: unknown) {
              return { ok: false, error: toExpressionError(error, source, 'evaluation') };
            }
          },
        },
      };
    },
    toContext(values) {
      const context: Record<string, CelValue> = {};
      for (const [name, spec] of Object.entries(schema)) {
        context[name] = toCelValue(spec, values[name]);
      }
      return context;
    },
  };
}

function zeroValue(spec: TypeSpec): CelValue {
  if (typeof spec === 'string') {
    switch (spec) {
      case 'string':
        return '';
      case 'int':
        return 0n;
      case 'double':
        return 0;
      case 'bool':
        return false;
      case 'timestamp':
        return new Date(0);
    }
  }
  switch (spec.kind) {
    case 'list':
      return [];
    case 'map':
      return {};
    case 'object':
      return toCelValue(spec, {});
  }
}

/** Convert one JSON-like value to its CEL representation; anything that does not fit is zeroed. */
export function toCelValue(spec: TypeSpec, value: unknown): CelValue {
  if (value === undefined || value === null) return zeroValue(spec);
  if (typeof spec === 'string') {
    switch (spec) {
      case 'string':
        return typeof value === 'string' ? value : zeroValue(spec);
      case 'int':
        if (typeof value === 'bigint') return value;
        return typeof value === 'number' && Number.isFinite(value)
          ? BigInt(Math.trunc(value))
          : zeroValue(spec);
      case 'double':
        if (typeof value === 'bigint') return Number(value);
        return typeof value === 'number' && Number.isFinite(value) ? value : zeroValue(spec);
      case 'bool':
        return typeof value === 'boolean' ? value : zeroValue(spec);
      case 'timestamp': {
        const date =
          value instanceof Date
            ? value
            : typeof value === 'string' || typeof value === 'number'
              ? new Date(value)
              : null;
        return date && !Number.isNaN(date.getTime()) ? date : zeroValue(spec);
      }
    }
  }
  switch (spec.kind) {
    case 'list':
      return Array.isArray(value) ? value.map((item) => toCelValue(spec.of, item)) : [];
    case 'map':
      return isRecord(value) ? toDynamic(value) : {};
    case 'object': {
      const source = isRecord(value) ? value : {};
      const result: Record<string, CelValue> = {};
      for (const [name, field] of Object.entries(spec.fields)) {
        result[name] = toCelValue(field, source[name]);
      }
      return result;
    }
  }
}

/** Untyped maps (event payloads): integers become bigint so `event.score <= 3` type-checks and runs. */
function toDynamic(value: unknown): CelValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') {
    return value;
  }
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(toDynamic);
  if (isRecord(value)) {
    const result: Record<string, CelValue> = {};
    for (const [key, item] of Object.entries(value)) result[key] = toDynamic(item);
    return result;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
