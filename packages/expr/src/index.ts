export { createExpressionEnvironment, toCelValue, EXPRESSION_LIMITS } from './environment';
export type { CompiledExpression, CompileResult, ExpressionEnvironment } from './environment';
export { getSourceSpan } from './errors';
export type {
  CelContext,
  CelValue,
  CheckResult,
  EvaluationResult,
  ExpressionError,
  ExpressionErrorKind,
  ScalarType,
  SourceSpan,
  TypeSpec,
  VariableSchema,
} from './types';
