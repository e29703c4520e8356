import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { hashPassword, needsRehash, verifyPassword } from '../auth';
import { LANGUAGES } from '../sql/accounts';
import type { UserRow } from '../repository';
import { procedure, publicProcedure, t } from '../trpc/core';

export const SESSION_COOKIE = 'sy_session';
const SESSION_DAYS = 7;
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const LOGIN_MAX_FAILURES = 10;

function setSessionCookie(
  res: ServerResponse,
  value: string,
  maxAgeSeconds: number,
  secure: boolean,
): void {
  res.setHeader(
    'set-cookie',
    `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`,
  );
}

function toMe(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    language: user.language,
  };
}

export const authRouter = t.router({
  login: publicProcedure('auth.login')
    .input(
      z
        .object({
          email: z.string().trim().min(3).max(320),
          password: z.string().min(1).max(1000),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { repository, loginFailures, now, secureCookies } = ctx.services;
      const key = `${input.email.toLowerCase()}|${ctx.req.socket.remoteAddress ?? ''}`;
      const at = now();
      const recent = (loginFailures.get(key) ?? []).filter((time) => at - time < LOGIN_WINDOW_MS);
      if (recent.length >= LOGIN_MAX_FAILURES) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: 'Too many failed sign-ins; wait 15 minutes',
        });
      }
      const user = repository.getUserByEmail(input.email);
      const valid = user !== null && (await verifyPassword(input.password, user.passwordHash));
      if (user === null || !valid || user.disabled) {
        loginFailures.set(key, [...recent, at]);
        throw new TRPCError({
          code: 'UNAUTHORIZED',
          message:
            user?.disabled === true && valid
              ? 'This account is disabled'
              : 'Wrong e-mail or password',
        });
      }
      loginFailures.delete(key);
      // Hashes from before argon2 (scrypt) are replaced while the password is at hand.
      if (needsRehash(user.passwordHash)) {
        repository.setPasswordHash(user.id, await hashPassword(input.password), null);
      }
      const token = randomBytes(32).toString('base64url');
      repository.createSession(token, user.id, at + SESSION_DAYS * 86_400_000);
      setSessionCookie(ctx.res, token, SESSION_DAYS * 86_400, secureCookies);
      return toMe(user);
    }),
  logout: procedure('auth.logout').mutation(({ ctx }) => {
    if (ctx.sessionToken !== null) ctx.services.repository.deleteSession(ctx.sessionToken);
    setSessionCookie(ctx.res, '', 0, ctx.services.secureCookies);
    return { ok: true as const };
  }),
  /** The signed-in user, or null (the web app asks this to decide whether to show the login). */
  me: publicProcedure('auth.me').query(({ ctx }) => (ctx.user === null ? null : toMe(ctx.user))),
  setLanguage: procedure('auth.setLanguage')
    .input(z.object({ language: z.enum(LANGUAGES) }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.setLanguage(ctx.user.id, input.language);
      return { language: input.language };
    }),
});
