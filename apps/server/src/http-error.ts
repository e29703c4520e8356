import {
  EventNotAcceptedError,
  FlowVersionNotFoundError,
  InvalidEventError,
  TicketNotFoundError,
} from '@switchyard/engine';

export type HttpErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'event_not_accepted'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

const STATUS: Readonly<Record<HttpErrorCode, number>> = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  event_not_accepted: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** The one error type REST handlers throw; answered as `{error: {code, message, issues}}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly issues: readonly Issue[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/** Maps domain errors to HTTP errors, in this one place. Unknown errors become 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidEventError) {
    return new HttpError('invalid_request', error.message, error.issues);
  }
  if (error instanceof EventNotAcceptedError) {
    return new HttpError('event_not_accepted', error.message, [
      {
        path: 'type',
        message: `Not accepted at ${error.currentNodes.join(', ') || 'the end of the flow'}`,
      },
    ]);
  }
  if (error instanceof TicketNotFoundError) return new HttpError('not_found', error.message);
  if (error instanceof FlowVersionNotFoundError) {
    return new HttpError('invalid_request', error.message, [
      { path: 'flow', message: error.message },
    ]);
  }
  return new HttpError('internal', 'Internal server error');
}

/** zod issues as `{path, message}` with dotted paths (`customer.email`). */
export function toIssues(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
  prefix = '',
): Issue[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || '(body)',
    message: issue.message,
  }));
}
