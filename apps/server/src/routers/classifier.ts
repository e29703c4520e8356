import { z } from 'zod';
import { MAX_CSV_CHARS, examplesFromCsv } from '../classifier/service';
import { MAX_FOLDS } from '../classifier/training';
import { procedure, t } from '../trpc/core';
import { flowIdSchema } from './flows';

const modelId = z.string().trim().min(1).max(100);
const jobId = z.string().trim().min(1).max(100);

const csvSource = z
  .object({
    kind: z.literal('csv'),
    fileName: z.string().trim().min(1).max(255),
    /** The file's text (UTF-8 decoded in the browser). */
    text: z
      .string()
      .max(MAX_CSV_CHARS, `The file is too large: at most ${MAX_CSV_CHARS / 1024 / 1024} MB`),
  })
  .strict();

const ticketsSource = z
  .object({
    kind: z.literal('tickets'),
    from: z.string().trim().max(40).optional(),
    to: z.string().trim().max(40).optional(),
    flowId: flowIdSchema.optional(),
    level: z.enum(['category', 'subcategory']).default('category'),
  })
  .strict();

/** Trained intent models for classify steps: registry, evaluation, background training. */
export const classifierRouter = t.router({
  models: t.router({
    /** Newest first; archived models only when asked for. */
    list: procedure('classifier.models.list')
      .input(
        z
          .object({ includeArchived: z.boolean().default(false) })
          .strict()
          .default({ includeArchived: false }),
      )
      .query(({ ctx, input }) => {
        const models = ctx.services.classifier.store.listModels();
        return input.includeArchived ? models : models.filter((m) => m.archivedAt === null);
      }),

    /** Metadata and cross-validation evaluation (per label, confusion, per fold). */
    get: procedure('classifier.models.get')
      .input(z.object({ id: modelId }).strict())
      .query(({ ctx, input }) => ctx.services.classifier.store.getModel(input.id)),

    /** The model JSON, as stored (the designer's simulator loads it with loadIntentModel). */
    download: procedure('classifier.models.download')
      .input(z.object({ id: modelId }).strict())
      .query(({ ctx, input }) => ({
        id: input.id,
        json: ctx.services.classifier.download(input.id),
      })),

    /** Hides a model from the pickers (or restores it); published versions keep using it. */
    archive: procedure('classifier.models.archive')
      .input(z.object({ id: modelId, archived: z.boolean().default(true) }).strict())
      .mutation(({ ctx, input }) =>
        ctx.services.classifier.store.setArchived(input.id, input.archived, ctx.user.id),
      ),
  }),

  /** Queues a training run from a CSV upload or labelled tickets; returns the job id. */
  train: procedure('classifier.train')
    .input(
      z
        .object({
          name: z.string().trim().min(1, 'Name the model').max(100),
          folds: z.number().int().min(2).max(MAX_FOLDS).default(5),
          source: z.discriminatedUnion('kind', [csvSource, ticketsSource]),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      const { classifier } = ctx.services;
      const { source } = input;
      if (source.kind === 'csv') {
        const examples = examplesFromCsv(source.text);
        return classifier.train({
          name: input.name,
          folds: input.folds,
          examples,
          source: { kind: 'csv', fileName: source.fileName, rows: examples.length },
          createdBy: ctx.user.id,
        });
      }
      const examples = classifier.examplesFromTickets(source);
      return classifier.train({
        name: input.name,
        folds: input.folds,
        examples,
        source: {
          kind: 'tickets',
          from: source.from ?? null,
          to: source.to ?? null,
          flowId: source.flowId ?? null,
          level: source.level,
        },
        createdBy: ctx.user.id,
      });
    }),

  jobs: t.router({
    list: procedure('classifier.jobs.list')
      .input(
        z
          .object({ limit: z.number().int().min(1).max(200).default(20) })
          .strict()
          .default({ limit: 20 }),
      )
      .query(({ ctx, input }) => ctx.services.classifier.store.listJobs(input.limit)),

    /** Status and progress (phase, fold k of n, 0..1); the model id once it succeeded. */
    get: procedure('classifier.jobs.get')
      .input(z.object({ id: jobId }).strict())
      .query(({ ctx, input }) => ctx.services.classifier.store.getJob(input.id)),
  }),
});
