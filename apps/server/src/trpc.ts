import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SqliteStore } from '@switchyard/db';
import {
  EventNotAcceptedError,
  FlowVersionNotFoundError,
  InvalidEventError,
  TicketNotFoundError,
} from '@switchyard/engine';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { z } from 'zod';
import { verifyPassword } from './auth';
import type { Repository, UserRow } from './repository';
import { createTicketViews, decodeCursor, encodeCursor, listQuerySchema } from './rest';

export type Role = UserRow['role'];

export const SESSION_COOKIE = 'sy_session';
const SESSION_DAYS = 7;
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const LOGIN_MAX_FAILURES = 10;

/**
 * Which roles may call each procedure: the one table every procedure checks, and the table the
 * RBAC test walks. `public` procedures need no session.
 */
export const PROCEDURE_ROLES = {
  'auth.login': 'public',
  'auth.logout': ['admin', 'agent', 'viewer'],
  'auth.me': ['admin', 'agent', 'viewer'],
  'tickets.list': ['admin', 'agent', 'viewer'],
  'tickets.get': ['admin', 'agent', 'viewer'],
  'flows.list': ['admin', 'agent'],
} as const satisfies Record<string, 'public' | readonly Role[]>;

export type ProcedurePath = keyof typeof PROCEDURE_ROLES;

export interface TrpcContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly user: UserRow | null;
  readonly sessionToken: string | null;
}

/** Domain errors → tRPC codes, in this one place. */
function toTrpcError(error: unknown): unknown {
  const map = (code: TRPC_ERROR_CODE_KEY, cause: Error) =>
    new TRPCError({ code, message: cause.message, cause });
  if (error instanceof TRPCError) return error;
  if (error instanceof InvalidEventError) return map('BAD_REQUEST', error);
  if (error instanceof EventNotAcceptedError) return map('CONFLICT', error);
  if (error instanceof TicketNotFoundError) return map('NOT_FOUND', error);
  if (error instanceof FlowVersionNotFoundError) return map('NOT_FOUND', error);
  return error;
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export interface TrpcOptions {
  readonly repository: Repository;
  readonly store: SqliteStore;
  readonly publicUrl: string;
  readonly now: () => number;
}

function createRouter(options: TrpcOptions) {
  const { repository, store } = options;
  const views = createTicketViews(repository, options.publicUrl);
  const secure = options.publicUrl.startsWith('https:');
  const failures = new Map<string, number[]>();

  const t = initTRPC.context<TrpcContext>().create({
    errorFormatter({ shape, error }) {
      // zod input errors carry the field paths, like the REST API's issues.
      const cause = error.cause;
      const issues =
        cause instanceof z.ZodError
          ? cause.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
          : undefined;
      return { ...shape, data: { ...shape.data, stack: undefined, issues } };
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

  /** A procedure open to the roles PROCEDURE_ROLES names for `path`. */
  function procedure(path: ProcedurePath) {
    const allowed = PROCEDURE_ROLES[path];
    return t.procedure.use(mapErrors).use(({ ctx, next }) => {
      if (allowed === 'public') return next({ ctx });
      if (ctx.user === null) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
      }
      if (!(allowed as readonly Role[]).includes(ctx.user.role)) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: `${path} needs the role ${allowed.join(' or ')}`,
        });
      }
      return next({ ctx: { ...ctx, user: ctx.user } });
    });
  }

  function setCookie(res: ServerResponse, value: string, maxAgeSeconds: number): void {
    res.setHeader(
      'set-cookie',
      `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`,
    );
  }

  return t.router({
    auth: t.router({
      login: procedure('auth.login')
        .input(
          z
            .object({
              email: z.string().trim().min(3).max(320),
              password: z.string().min(1).max(1000),
            })
            .strict(),
        )
        .mutation(async ({ ctx, input }) => {
          const key = `${input.email.toLowerCase()}|${ctx.req.socket.remoteAddress ?? ''}`;
          const now = options.now();
          const recent = (failures.get(key) ?? []).filter((at) => now - at < LOGIN_WINDOW_MS);
          if (recent.length >= LOGIN_MAX_FAILURES) {
            throw new TRPCError({
              code: 'TOO_MANY_REQUESTS',
              message: 'Too many failed sign-ins; wait 15 minutes',
            });
          }
          const user = repository.getUserByEmail(input.email);
          if (user === null || !(await verifyPassword(input.password, user.passwordHash))) {
            failures.set(key, [...recent, now]);
            throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong e-mail or password' });
          }
          failures.delete(key);
          const token = randomBytes(32).toString('base64url');
          repository.createSession(token, user.id, now + SESSION_DAYS * 86_400_000);
          setCookie(ctx.res, token, SESSION_DAYS * 86_400);
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        }),
      logout: procedure('auth.logout').mutation(({ ctx }) => {
        if (ctx.sessionToken !== null) repository.deleteSession(ctx.sessionToken);
        setCookie(ctx.res, '', 0);
        return { ok: true };
      }),
      me: procedure('auth.me').query(({ ctx }) => ctx.user),
    }),
    tickets: t.router({
      list: procedure('tickets.list')
        .input(
          listQuerySchema
            .omit({ limit: true })
            .extend({ limit: z.number().int().min(1).max(100).default(20) }),
        )
        .query(({ input }) => {
          const rows = repository.listTickets({
            channel: input.channel,
            status: input.status,
            limit: input.limit + 1,
            cursor: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
          });
          const page = rows.slice(0, input.limit);
          const last = page.at(-1);
          return {
            items: page.map(({ id: _id, ...row }) => row),
            nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor(last) : null,
          };
        }),
      get: procedure('tickets.get')
        .input(z.object({ number: z.string().min(1).max(50) }).strict())
        .query(async ({ input }) => {
          const record = await store.getTicketByNumber(input.number);
          if (record === null)
            throw new TicketNotFoundError(`Ticket ${input.number} does not exist`);
          return views.toDetail(record, await store.listEvents(record.id));
        }),
    }),
    flows: t.router({
      list: procedure('flows.list').query(() => repository.listFlows()),
    }),
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** The tRPC API at /trpc (node:http handler); sessions come from the httpOnly cookie. */
export function createTrpcHandler(options: TrpcOptions) {
  const router = createRouter(options);
  return createHTTPHandler({
    router,
    basePath: '/trpc/',
    createContext({ req, res }): TrpcContext {
      const sessionToken = readCookie(req, SESSION_COOKIE);
      const user = sessionToken === null ? null : options.repository.getSessionUser(sessionToken);
      return { req, res, user, sessionToken };
    },
  });
}
