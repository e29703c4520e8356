import type { Diagnostic } from '@switchyard/flow';

/**
 * The server's own domain errors (the engine has its own). tRPC maps them to codes in one place
 * (`toTrpcError` in trpc/core.ts); nothing else throws strings or picks status codes.
 */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** The thing named does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The caller edited a stale copy (e.g. a draft saved by someone else meanwhile). */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
  constructor(
    message: string,
    readonly current: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The request is well-formed but the current state forbids it (unbound first, lint errors…). */
export class PreconditionError extends Error {
  override readonly name = 'PreconditionError';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** Input that passed the procedure's schema but is still wrong, with the fields named. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly issues: readonly Issue[],
  ) {
    super(message);
  }
}

/** The signed-in user's role allows the procedure, but not on this object (e.g. someone else's approval). */
export class NotPermittedError extends Error {
  override readonly name = 'NotPermittedError';
}

/** A unique name (e-mail, id) is taken. */
export class AlreadyExistsError extends Error {
  override readonly name = 'AlreadyExistsError';
}
