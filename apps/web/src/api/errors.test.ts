import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import {
  getErrorCode,
  getErrorDiagnostics,
  getErrorMessage,
  isClientError,
  isUnauthorized,
} from './errors';

function trpcError(message: string, data: Record<string, unknown>) {
  return TRPCClientError.from({ error: { message, code: -32600, data } });
}

describe('tRPC error helpers', () => {
  it('read the code and status the server sent', () => {
    const error = trpcError('Sign in first', { code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(getErrorCode(error)).toBe('UNAUTHORIZED');
    expect(isUnauthorized(error)).toBe(true);
    expect(isClientError(error)).toBe(true);
    expect(
      isClientError(trpcError('boom', { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 })),
    ).toBe(false);
    expect(getErrorCode(new Error('plain'))).toBeNull();
    expect(isClientError(new TypeError('Failed to fetch'))).toBe(false);
  });

  it('names the fields of an input error', () => {
    const error = trpcError('Invalid input', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      issues: [
        { path: 'name', message: 'Too long' },
        { path: '', message: 'Unknown key' },
        { nonsense: true },
      ],
    });
    expect(getErrorMessage(error)).toBe('name: Too long; Unknown key');
    expect(getErrorMessage(new Error('Network down'))).toBe('Network down');
  });

  it('keeps the well-formed diagnostics of a refused publish', () => {
    const span = { start: 0, end: 3, line: 1, column: 1 };
    const error = trpcError('Lint errors', {
      code: 'PRECONDITION_FAILED',
      httpStatus: 412,
      diagnostics: [
        { code: 'cel-syntax', severity: 'error', message: 'Bad', nodeId: 'x', path: '$.n', span },
        { code: 'unreachable-node', severity: 'warning', message: 'Never reached', edgeId: 'e1' },
        { code: 'made-up-code', severity: 'error', message: 'x', path: '$' },
        { code: 'dead-end', severity: 'error', span: { line: 1 } },
        { severity: 'error' },
      ],
    });
    expect(getErrorDiagnostics(error)).toEqual([
      { code: 'cel-syntax', severity: 'error', message: 'Bad', nodeId: 'x', path: '$.n', span },
      {
        code: 'unreachable-node',
        severity: 'warning',
        message: 'Never reached',
        path: '',
        edgeId: 'e1',
      },
    ]);
    expect(getErrorDiagnostics(new Error('x'))).toEqual([]);
  });
});
