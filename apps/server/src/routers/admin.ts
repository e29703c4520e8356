import { z } from 'zod';
import { API_SCOPES, generatePassword, generateToken, hashPassword } from '../auth';
import { ROLES } from '../sql/accounts';
import { procedure, t } from '../trpc/core';

const userId = z.string().min(1).max(100);
const password = z.string().min(10, 'Use at least 10 characters').max(1000);

export const usersRouter = t.router({
  list: procedure('users.list').query(({ ctx }) => ctx.services.repository.listUsers()),
  create: procedure('users.create')
    .input(
      z
        .object({
          email: z.email('Must be an e-mail address').max(320),
          name: z.string().trim().min(1).max(200),
          role: z.enum(ROLES),
          password,
          language: z.enum(['en', 'zh-CN']).optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const id = ctx.services.repository.createUser(
        {
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          passwordHash: await hashPassword(input.password),
          ...(input.language !== undefined && { language: input.language }),
        },
        ctx.user.id,
      );
      return { id };
    }),
  /** Role, name or disabled (a disabled user's sessions end at once). */
  update: procedure('users.update')
    .input(
      z
        .object({
          id: userId,
          name: z.string().trim().min(1).max(200).optional(),
          role: z.enum(ROLES).optional(),
          disabled: z.boolean().optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      const { id, ...changes } = input;
      return ctx.services.repository.updateUser(id, changes, ctx.user.id);
    }),
  /** Sets the given password, or generates one and returns it once. Ends the user's sessions. */
  resetPassword: procedure('users.resetPassword')
    .input(z.object({ id: userId, password: password.optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const generated = input.password === undefined ? generatePassword() : null;
      const hash = await hashPassword(input.password ?? generated ?? '');
      ctx.services.repository.setPasswordHash(input.id, hash, ctx.user.id);
      return { password: generated };
    }),
});

export const tokensRouter = t.router({
  list: procedure('tokens.list').query(({ ctx }) => ctx.services.repository.listTokens()),
  /** A new API token; the token itself is returned this once and stored only as its hash. */
  create: procedure('tokens.create')
    .input(
      z
        .object({
          name: z.string().trim().min(1).max(200),
          scopes: z.array(z.enum(API_SCOPES)).min(1, 'Give the token at least one scope'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      const token = generateToken();
      const scopes = [...new Set(input.scopes)];
      const id = ctx.services.repository.createToken(token, input.name, scopes, ctx.user.id);
      return { id, name: input.name, scopes, token };
    }),
  revoke: procedure('tokens.revoke')
    .input(z.object({ id: z.string().min(1).max(100) }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.revokeToken(input.id, ctx.user.id);
      return { ok: true as const };
    }),
});

export const auditRouter = t.router({
  /** Newest first; `cursor` is the `nextCursor` of the previous page. */
  list: procedure('audit.list')
    .input(
      z
        .object({
          cursor: z.number().int().min(1).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      const rows = ctx.services.repository.audit.list(input.cursor, input.limit + 1);
      const items = rows.slice(0, input.limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > input.limit && last !== undefined ? last.id : null,
      };
    }),
});
