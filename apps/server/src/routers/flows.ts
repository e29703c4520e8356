import { compileFlow } from '@switchyard/compiler';
import { flowDocumentSchema, formatDiagnostic, ID_PATTERN, lintFlow } from '@switchyard/flow';
import { z } from 'zod';
import { InvalidInputError, PreconditionError } from '../errors';
import { createEmptyDocument, parseFlowText, toFlowIdBase } from '../flow-documents';
import { procedure, t } from '../trpc/core';

export const flowIdSchema = z.string().regex(ID_PATTERN, 'Not a flow id');

export const flowsRouter = t.router({
  list: procedure('flows.list')
    .input(
      z
        .object({ search: z.string().max(200).optional() })
        .strict()
        .optional(),
    )
    .query(({ ctx, input }) => ctx.services.repository.listFlows(input?.search)),

  get: procedure('flows.get')
    .input(z.object({ id: flowIdSchema }).strict())
    .query(({ ctx, input }) => ctx.services.repository.getFlow(input.id)),

  /** A new flow: from a document (its id is kept if free) or an empty intake → end flow. */
  create: procedure('flows.create')
    .input(
      z
        .object({
          document: flowDocumentSchema.optional(),
          name: z.string().trim().min(1).max(200).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      const name = input.name ?? input.document?.name ?? 'New flow';
      const id = repository.getFreeFlowId(input.document?.id ?? toFlowIdBase(name));
      const document =
        input.document === undefined
          ? createEmptyDocument(id, name)
          : { ...input.document, id, name };
      repository.createFlow({
        id,
        name,
        description: document.description ?? null,
        draft: JSON.stringify(document),
        by: ctx.user.id,
      });
      return { id };
    }),

  /** Saves the draft if nobody saved since `baseRevision`; lint errors are allowed in drafts. */
  saveDraft: procedure('flows.saveDraft')
    .input(
      z
        .object({
          id: flowIdSchema,
          document: flowDocumentSchema,
          baseRevision: z.number().int().min(0),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      if (input.document.id !== input.id) {
        throw new InvalidInputError(`The document's id must be ${input.id}`, [
          { path: 'document.id', message: `Must be the flow's id, ${input.id}` },
        ]);
      }
      const draftRevision = ctx.services.repository.saveDraft(
        input.id,
        {
          document: JSON.stringify(input.document),
          name: input.document.name,
          description: input.document.description ?? null,
        },
        input.baseRevision,
        ctx.user.id,
      );
      return { draftRevision };
    }),

  delete: procedure('flows.delete')
    .input(z.object({ id: flowIdSchema }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.deleteFlow(input.id, ctx.user.id);
      return { ok: true as const };
    }),

  /** A Flow JSON file: syntax and schema errors are BAD_REQUEST; lint findings come back. */
  import: procedure('flows.import')
    .input(z.object({ json: z.string().min(1).max(5_000_000) }).strict())
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      const parsed = parseFlowText(input.json);
      const id = repository.getFreeFlowId(parsed.id);
      const document = { ...parsed, id };
      repository.createFlow({
        id,
        name: document.name,
        description: document.description ?? null,
        draft: JSON.stringify(document),
        by: ctx.user.id,
      });
      return { id, diagnostics: lintFlow(document).diagnostics };
    }),

  /** The compiled XState machine of a published version, or of the draft when none is named. */
  exportMachine: procedure('flows.exportMachine')
    .input(z.object({ id: flowIdSchema, version: z.number().int().min(1).optional() }).strict())
    .query(({ ctx, input }) => {
      const { repository } = ctx.services;
      if (input.version !== undefined) {
        const version = repository.getVersion(input.id, input.version);
        return {
          machine: JSON.parse(version.machineText) as unknown,
          sourceMap: JSON.parse(version.sourceMapText) as unknown,
        };
      }
      const result = compileFlow(repository.getFlow(input.id).draft);
      if (result.machine === undefined || result.sourceMap === undefined) {
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        throw new PreconditionError(
          `The draft of ${input.id} does not compile: ${errors
            .slice(0, 5)
            .map((d) => formatDiagnostic(d))
            .join('; ')}`,
          errors,
        );
      }
      return { machine: result.machine, sourceMap: result.sourceMap };
    }),
});
