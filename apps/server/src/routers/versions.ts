import { diffFlows } from '@switchyard/flow';
import type { FlowDocument } from '@switchyard/flow';
import { z } from 'zod';
import { publishDocument } from '../flow-documents';
import type { Repository } from '../repository';
import { procedure, t } from '../trpc/core';
import { flowIdSchema } from './flows';

const versionNumber = z.number().int().min(1);
const side = z.union([versionNumber, z.literal('draft')]);
const note = z.string().trim().max(2000);

function getDocument(
  repository: Repository,
  flowId: string,
  which: number | 'draft',
): FlowDocument {
  return which === 'draft'
    ? repository.getFlow(flowId).draft
    : repository.getVersion(flowId, which).document;
}

export const versionsRouter = t.router({
  list: procedure('versions.list')
    .input(z.object({ flowId: flowIdSchema }).strict())
    .query(({ ctx, input }) => ctx.services.repository.listVersions(input.flowId)),

  get: procedure('versions.get')
    .input(z.object({ flowId: flowIdSchema, version: versionNumber }).strict())
    .query(({ ctx, input }) => {
      const {
        machineText: _machine,
        sourceMapText: _sourceMap,
        id: _id,
        ...version
      } = ctx.services.repository.getVersion(input.flowId, input.version);
      return version;
    }),

  /** What changed between two versions (or a version and the draft). */
  diff: procedure('versions.diff')
    .input(z.object({ flowId: flowIdSchema, from: side, to: side }).strict())
    .query(({ ctx, input }) => {
      const { repository } = ctx.services;
      return diffFlows(
        getDocument(repository, input.flowId, input.from),
        getDocument(repository, input.flowId, input.to),
      );
    }),

  /** Publishes the draft as the next version; refused with the diagnostics while lint has errors. */
  publish: procedure('versions.publish')
    .input(z.object({ flowId: flowIdSchema, note }).strict())
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      const version = publishDocument(repository, {
        flowId: input.flowId,
        document: repository.getFlow(input.flowId).draft,
        note: input.note === '' ? null : input.note,
        actorId: ctx.user.id,
        action: 'version.publish',
      });
      return { version };
    }),

  /** Publishes an earlier version's document again, as a new version. */
  rollback: procedure('versions.rollback')
    .input(
      z.object({ flowId: flowIdSchema, version: versionNumber, note: note.optional() }).strict(),
    )
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      const old = repository.getVersion(input.flowId, input.version);
      const version = publishDocument(repository, {
        flowId: input.flowId,
        document: old.document,
        note:
          input.note === undefined || input.note === ''
            ? `Rollback to version ${input.version}`
            : input.note,
        actorId: ctx.user.id,
        action: 'version.rollback',
        details: { from: input.version },
      });
      return { version };
    }),
});
