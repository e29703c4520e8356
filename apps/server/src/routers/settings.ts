import { randomUUID } from 'node:crypto';
import { calendarSchema, CHANNELS, ID_PATTERN } from '@switchyard/flow';
import { z } from 'zod';
import type { TrpcContext } from '../trpc/core';
import { procedure, t } from '../trpc/core';

const idSchema = z
  .string()
  .regex(ID_PATTERN, 'Use 1–64 letters, digits, "-" or "_", starting with a letter');
const refSchema = z.string().min(1).max(100);

/** The engine caches agents (load, shifts) in memory: settings changes must reach it. */
function refreshEngine(ctx: TrpcContext): void {
  ctx.services.engine.invalidate();
}

const teamsRouter = t.router({
  list: procedure('settings.teams.list').query(({ ctx }) => ctx.services.repository.listTeams()),
  upsert: procedure('settings.teams.upsert')
    .input(
      z
        .object({
          id: idSchema,
          name: z.string().trim().min(1).max(200),
          leadAgentId: refSchema.nullable().default(null),
          directorUserId: refSchema.nullable().default(null),
          queue: z.string().max(200).nullable().default(null),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      ctx.services.repository.upsertTeam(input, ctx.user.id);
      refreshEngine(ctx);
      return { id: input.id };
    }),
  delete: procedure('settings.teams.delete')
    .input(z.object({ id: refSchema }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.deleteTeam(input.id, ctx.user.id);
      refreshEngine(ctx);
      return { ok: true as const };
    }),
});

const agentsRouter = t.router({
  list: procedure('settings.agents.list').query(({ ctx }) => ctx.services.repository.listAgents()),
  /** Creates (no id) or updates an agent; the open-ticket count is the engine's and stays. */
  upsert: procedure('settings.agents.upsert')
    .input(
      z
        .object({
          id: refSchema.optional(),
          userId: refSchema.nullable().default(null),
          name: z.string().trim().min(1).max(200),
          email: z.email('Must be an e-mail address'),
          teamId: refSchema,
          skills: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
          capacity: z.number().int().min(0).max(1000).default(10),
          shiftCalendarId: refSchema.nullable().default(null),
          active: z.boolean().default(true),
          role: z.enum(['agent', 'lead', 'director']).default('agent'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      const id = input.id ?? randomUUID();
      ctx.services.repository.upsertAgent(
        { ...input, id, skills: [...new Set(input.skills)] },
        ctx.user.id,
      );
      refreshEngine(ctx);
      return { id };
    }),
  delete: procedure('settings.agents.delete')
    .input(z.object({ id: refSchema }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.deleteAgent(input.id, ctx.user.id);
      refreshEngine(ctx);
      return { ok: true as const };
    }),
});

const calendarsRouter = t.router({
  list: procedure('settings.calendars.list').query(({ ctx }) =>
    ctx.services.repository.listCalendars(),
  ),
  /** Working hours per weekday in a time zone, plus holidays (the Flow calendar format). */
  upsert: procedure('settings.calendars.upsert')
    .input(calendarSchema.strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.upsertCalendar(input, ctx.user.id);
      refreshEngine(ctx);
      return { id: input.id };
    }),
  delete: procedure('settings.calendars.delete')
    .input(z.object({ id: refSchema }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.deleteCalendar(input.id, ctx.user.id);
      refreshEngine(ctx);
      return { ok: true as const };
    }),
});

const bindingsRouter = t.router({
  list: procedure('settings.bindings.list').query(({ ctx }) =>
    ctx.services.repository.listBindings(),
  ),
  /** Which published flow new tickets of a channel start (flowId null: none). */
  set: procedure('settings.bindings.set')
    .input(z.object({ channel: z.enum(CHANNELS), flowId: idSchema.nullable() }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.setBinding(input.channel, input.flowId, ctx.user.id);
      return { channel: input.channel, flowId: input.flowId };
    }),
});

export const settingsRouter = t.router({
  teams: teamsRouter,
  agents: agentsRouter,
  calendars: calendarsRouter,
  bindings: bindingsRouter,
});
