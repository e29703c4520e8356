// The operations console's procedures beyond the ticket API (issue 9): dashboards, reports,
// the customer panel, saved inbox views, ticket timelines, and the public survey page.
import { TicketNotFoundError } from '@switchyard/engine';
import { CHANNELS } from '@switchyard/flow';
import { z } from 'zod';
import { toReportCsv } from '../analytics/reports';
import { daysBetween, getLocalDate, isTimeZone, REPORT_KINDS } from '../analytics/time';
import { BUILT_IN_VIEWS, viewFiltersSchema } from '../analytics/views';
import { InvalidInputError } from '../errors';
import { procedure, publicProcedure, t } from '../trpc/core';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD');
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'Unknown time zone; use an IANA name such as Asia/Shanghai');
/** Survey tokens are 43 base64url characters; anything else cannot match. */
const surveyToken = z.string().min(1).max(200);

/** Longest dashboard range, in days. */
const MAX_RANGE_DAYS = 366;

export const dashboardRouter = t.router({
  /** Figures for the local days `from`…`to` (inclusive) in `timeZone` (default: the server's). */
  get: procedure('dashboard.get')
    .input(
      z
        .object({
          from: localDate,
          to: localDate,
          timeZone: timeZone.optional(),
          channel: z.enum(CHANNELS).optional(),
          category: z.string().min(1).max(100).optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      const span = daysBetween(input.from, input.to);
      if (span < 0) {
        throw new InvalidInputError('The range ends before it starts', [
          { path: 'to', message: 'Pick a date on or after the start date' },
        ]);
      }
      if (span >= MAX_RANGE_DAYS) {
        throw new InvalidInputError('The range is too long', [
          { path: 'to', message: `At most ${MAX_RANGE_DAYS} days` },
        ]);
      }
      const { console: services, now } = ctx.services;
      return services.analytics.getDashboard(
        { ...input, timeZone: input.timeZone ?? services.timeZone },
        now(),
      );
    }),

  /** What the filters offer: channels, the categories tickets carry, the server's zone and today. */
  options: procedure('dashboard.options').query(({ ctx }) => {
    const { console: services, now } = ctx.services;
    return {
      channels: CHANNELS,
      categories: services.analytics.getCategories(),
      timeZone: services.timeZone,
      today: getLocalDate(now(), services.timeZone),
    };
  }),
});

export const reportsRouter = t.router({
  list: procedure('reports.list')
    .input(
      z
        .object({
          kind: z.enum(REPORT_KINDS).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .strict()
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => ctx.services.console.reports.list(input)),

  get: procedure('reports.get')
    .input(z.object({ id: z.string().min(1).max(100) }).strict())
    .query(({ ctx, input }) => ctx.services.console.reports.get(input.id)),

  /** Computes (again) and stores the report of the period containing `date`. */
  generate: procedure('reports.generate')
    .input(z.object({ kind: z.enum(REPORT_KINDS), date: localDate }).strict())
    .mutation(({ ctx, input }) => {
      try {
        return ctx.services.console.reports.generate(input.kind, input.date, {
          trigger: 'manual',
          user: ctx.user.email,
        });
      } catch (error: unknown) {
        if (error instanceof RangeError) {
          throw new InvalidInputError(error.message, [{ path: 'date', message: error.message }]);
        }
        throw error;
      }
    }),

  /** The stored report as CSV, with a file name for the download. */
  csv: procedure('reports.csv')
    .input(z.object({ id: z.string().min(1).max(100) }).strict())
    .query(({ ctx, input }) => {
      const report = ctx.services.console.reports.get(input.id);
      return {
        fileName: `switchyard-${report.kind}-report-${report.periodStart}.csv`,
        csv: toReportCsv(report),
      };
    }),
});

export const customersRouter = t.router({
  /** The customer panel: their tickets, tier, tags and signals, CSAT history (null if unknown). */
  get: procedure('customers.get')
    .input(z.object({ email: z.string().trim().min(1).max(320) }).strict())
    .query(({ ctx, input }) => ctx.services.console.customers.get(input.email, ctx.services.now())),
});

export const viewsRouter = t.router({
  /** Built-in and saved inbox views, and the agent "mine" means for this user. */
  list: procedure('views.list').query(({ ctx }) => {
    const { views } = ctx.services.console;
    return {
      me: views.getAgentOf(ctx.user),
      builtIn: BUILT_IN_VIEWS,
      saved: views.list(ctx.user.id),
    };
  }),

  save: procedure('views.save')
    .input(
      z.object({ name: z.string().trim().min(1).max(80), filters: viewFiltersSchema }).strict(),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.console.views.save(ctx.user.id, input.name, input.filters),
    ),

  delete: procedure('views.delete')
    .input(z.object({ id: z.string().min(1).max(100) }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.console.views.remove(ctx.user.id, input.id);
    }),
});

export const timelineRouter = t.router({
  /** Every event of the ticket with its explain-why, and its flow version for the mini canvas. */
  get: procedure('timeline.get')
    .input(z.object({ number: z.string().min(1).max(50) }).strict())
    .query(async ({ ctx, input }) => {
      const { store } = ctx.services;
      const record = await store.getTicketByNumber(input.number);
      if (record === null) throw new TicketNotFoundError(`Ticket ${input.number} does not exist`);
      return ctx.services.console.timelines.get(record, await store.listEvents(record.id));
    }),
});

export const surveyRouter = t.router({
  /** The public survey page's data, by the token in the e-mailed link. */
  get: publicProcedure('survey.get')
    .input(z.object({ token: surveyToken }).strict())
    .query(({ ctx, input }) => ctx.services.console.surveys.get(ctx.services.engine, input.token)),

  /** The customer's answer: sent to the ticket as SURVEY.ANSWERED. */
  answer: publicProcedure('survey.answer')
    .input(
      z
        .object({
          token: surveyToken,
          score: z.number().int().min(1).max(5),
          resolved: z.boolean(),
          comment: z.string().trim().max(2000).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.console.surveys.answer(ctx.services.engine, input.token, input),
    ),
});
