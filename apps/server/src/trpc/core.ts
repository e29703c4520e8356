import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SqliteStore } from '@switchyard/db';
import type { Engine } from '@switchyard/engine';
import {
  EventNotAcceptedError,
  FlowVersionNotFoundError,
  InvalidEventError,
  TicketNotFoundError,
} from '@switchyard/engine';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import {
  AlreadyExistsError,
  InvalidInputError,
  NotFoundError,
  NotPermittedError,
  PreconditionError,
  StaleWriteError,
} from '../errors';
import { HttpError } from '../http-error';
import type { ConsoleServices } from '../analytics';
import type { ClassifierService } from '../classifier/service';
import type { Repository, UserRow } from '../repository';
import type { createTicketViews } from '../rest';
import type { ChangeFeed } from '../ticket-hooks';
import { PROCEDURE_ROLES } from './roles';
import type { ProcedurePath, Role } from './roles';

/** What every procedure may use; built once per server. */
export interface Services {
  readonly repository: Repository;
  /** Reads (tickets, events). Writes go through the engine. */
  readonly store: SqliteStore;
  readonly engine: Engine;
  readonly changes: ChangeFeed;
  readonly views: ReturnType<typeof createTicketViews>;
  readonly templatesDir: string;
  readonly now: () => number;
  /** Failed sign-ins per `email|address`, for the rate limit. */
  readonly loginFailures: Map<string, number[]>;
  readonly secureCookies: boolean;
  /** Dashboards, reports, customers, views, timelines, surveys (routers/console.ts). */
  readonly console: ConsoleServices;
  /** Trained classifier models and training jobs (routers/classifier.ts), model pins at publish. */
  readonly classifier: ClassifierService;
}

export interface TrpcContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly user: UserRow | null;
  readonly sessionToken: string | null;
  readonly services: Services;
}

interface Meta {
  /** The PROCEDURE_ROLES entry the procedure checks (a test matches it with its router path). */
  readonly path: ProcedurePath;
}

interface IssueLike {
  /** zod: segments; our own errors and the engine's: an already dotted string. */
  readonly path?: string | readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
  readonly message: string;
}

function hasIssues(value: unknown): value is { issues: readonly IssueLike[] } {
  return (
    typeof value === 'object' && value !== null && 'issues' in value && Array.isArray(value.issues)
  );
}

function toIssuePath(path: IssueLike['path']): string {
  if (typeof path === 'string') return path;
  return (path ?? [])
    .map((part) => (typeof part === 'object' ? String(part.key) : String(part)))
    .join('.');
}

/** Domain errors → tRPC codes, in this one place. */
export function toTrpcError(error: unknown): TRPCError {
  const map = (code: TRPC_ERROR_CODE_KEY, cause: Error) =>
    new TRPCError({ code, message: cause.message, cause });
  if (error instanceof TRPCError) return error;
  if (error instanceof InvalidEventError) return map('BAD_REQUEST', error);
  if (error instanceof InvalidInputError) return map('BAD_REQUEST', error);
  if (error instanceof EventNotAcceptedError) return map('CONFLICT', error);
  if (error instanceof StaleWriteError) return map('CONFLICT', error);
  if (error instanceof AlreadyExistsError) return map('CONFLICT', error);
  if (error instanceof PreconditionError) return map('PRECONDITION_FAILED', error);
  if (error instanceof NotPermittedError) return map('FORBIDDEN', error);
  if (error instanceof TicketNotFoundError) return map('NOT_FOUND', error);
  if (error instanceof FlowVersionNotFoundError) return map('NOT_FOUND', error);
  if (error instanceof NotFoundError) return map('NOT_FOUND', error);
  if (error instanceof HttpError) {
    return map(
      error.status === 400
        ? 'BAD_REQUEST'
        : error.status === 404
          ? 'NOT_FOUND'
          : 'INTERNAL_SERVER_ERROR',
      error,
    );
  }
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Internal server error',
    cause: error instanceof Error ? error : undefined,
  });
}

export const t = initTRPC
  .context<TrpcContext>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      // Input errors carry the field paths, like the REST API's issues; a publish blocked by lint
      // carries its diagnostics.
      const cause = error.cause;
      const issues = hasIssues(cause)
        ? cause.issues.map((issue) => ({ path: toIssuePath(issue.path), message: issue.message }))
        : undefined;
      const diagnostics = cause instanceof PreconditionError ? cause.diagnostics : undefined;
      const current = cause instanceof StaleWriteError ? cause.current : undefined;
      return {
        ...shape,
        data: { ...shape.data, stack: undefined, issues, diagnostics, current },
      };
    },
    sse: {
      // Pings keep proxies from closing an idle stream; the client reconnects after silence.
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 30_000 },
    },
  });

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    // Errors thrown by a resolver arrive wrapped as INTERNAL_SERVER_ERROR with the original as cause.
    const { error } = result;
    throw error.code === 'INTERNAL_SERVER_ERROR' && error.cause !== undefined
      ? toTrpcError(error.cause)
      : error;
  }
  return result;
});

type PublicPath = {
  [P in ProcedurePath]: (typeof PROCEDURE_ROLES)[P] extends 'public' ? P : never;
}[ProcedurePath];
type AuthedPath = Exclude<ProcedurePath, PublicPath>;

/** A procedure anyone may call (a session is used when there is one). */
export function publicProcedure(path: PublicPath) {
  return t.procedure.meta({ path }).use(mapErrors);
}

/** A procedure open to the roles PROCEDURE_ROLES names for `path`; `ctx.user` is signed in. */
export function procedure(path: AuthedPath) {
  const allowed: readonly Role[] = PROCEDURE_ROLES[path];
  return t.procedure
    .meta({ path })
    .use(mapErrors)
    .use(({ ctx, next }) => {
      if (ctx.user === null) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
      }
      if (!allowed.includes(ctx.user.role)) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: `${path} needs the role ${allowed.join(' or ')}`,
        });
      }
      return next({ ctx: { ...ctx, user: ctx.user } });
    });
}
