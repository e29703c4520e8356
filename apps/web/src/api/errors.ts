import { DIAGNOSTIC_CODES } from '@switchyard/flow';
import type { Diagnostic, DiagnosticCode } from '@switchyard/flow';
import { TRPCClientError } from '@trpc/client';

/** One problem with an input, as the server's error formatter reports it. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

interface ErrorData {
  readonly code?: unknown;
  readonly httpStatus?: unknown;
  readonly issues?: unknown;
}

function getData(error: unknown): ErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null) return null;
  return data;
}

/** The tRPC error code (`UNAUTHORIZED`, `CONFLICT`, …) of a failed call, or null. */
export function getErrorCode(error: unknown): string | null {
  const code = getData(error)?.code;
  return typeof code === 'string' ? code : null;
}

/** True for the error the server answers when there is no valid session. */
export function isUnauthorized(error: unknown): boolean {
  return getErrorCode(error) === 'UNAUTHORIZED';
}

/** True when retrying cannot help: the server understood the call and refused it. */
export function isClientError(error: unknown): boolean {
  const status = getData(error)?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The field-level issues of a rejected input (zod), if any. */
export function getInputIssues(error: unknown): InputIssue[] {
  const issues = getData(error)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) => {
    if (typeof issue !== 'object' || issue === null) return [];
    const { path, message } = issue as { path?: unknown; message?: unknown };
    return typeof message === 'string'
      ? [{ path: typeof path === 'string' ? path : '', message }]
      : [];
  });
}

/** A sentence for the user: the server's message, with field issues when it sent them. */
export function getErrorMessage(error: unknown): string {
  const issues = getInputIssues(error);
  if (issues.length > 0) {
    return issues
      .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`))
      .join('; ');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function isDiagnosticCode(code: unknown): code is DiagnosticCode {
  return typeof code === 'string' && Object.hasOwn(DIAGNOSTIC_CODES, code);
}

function isSpan(span: unknown): span is Diagnostic['span'] {
  if (typeof span !== 'object' || span === null) return false;
  const { start, end, line, column } = span as Record<string, unknown>;
  return [start, end, line, column].every((value) => typeof value === 'number');
}

/** Lint diagnostics attached to a refused publish (PRECONDITION_FAILED); malformed ones dropped. */
export function getErrorDiagnostics(error: unknown): Diagnostic[] {
  const diagnostics = (getData(error) as { diagnostics?: unknown } | null)?.diagnostics;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics.flatMap((item: unknown): Diagnostic[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { code, severity, message, path, nodeId, edgeId, span } = item as Record<string, unknown>;
    if (!isDiagnosticCode(code) || typeof message !== 'string') return [];
    return [
      {
        code,
        severity: severity === 'warning' ? 'warning' : 'error',
        message,
        path: typeof path === 'string' ? path : '',
        ...(typeof nodeId === 'string' && { nodeId }),
        ...(typeof edgeId === 'string' && { edgeId }),
        ...(isSpan(span) && { span }),
      },
    ];
  });
}
