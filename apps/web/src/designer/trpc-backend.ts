import type { Diagnostic } from '@switchyard/flow';
import { trpcClient } from '../api/client';
import { getErrorCode, getErrorMessage } from '../api/errors';
import { PublishError } from './backend';
import type { DesignerBackend } from './backend';
import { SaveError } from './model/autosave';

function getDiagnostics(error: unknown): Diagnostic[] {
  if (typeof error !== 'object' || error === null || !('data' in error)) return [];
  const data = (error as { data?: { diagnostics?: unknown } }).data;
  return Array.isArray(data?.diagnostics) ? (data.diagnostics as Diagnostic[]) : [];
}

/** The designer's backend over the app's tRPC client (flows.get, flows.saveDraft, versions.publish). */
export const trpcBackend: DesignerBackend = {
  async load(flowId) {
    const flow = await trpcClient.flows.get.query({ id: flowId });
    return {
      document: flow.draft,
      revision: flow.draftRevision,
      publishedVersion: flow.publishedVersion,
    };
  },
  async saveDraft(flowId, document, baseRevision) {
    try {
      return await trpcClient.flows.saveDraft.mutate({ id: flowId, document, baseRevision });
    } catch (error: unknown) {
      const code = getErrorCode(error);
      if (code === 'CONFLICT') throw new SaveError({ kind: 'conflict' });
      if (code === 'BAD_REQUEST') {
        throw new SaveError({ kind: 'invalid', message: getErrorMessage(error) });
      }
      throw new SaveError({ kind: 'failed', message: getErrorMessage(error) });
    }
  },
  async publish(flowId, note) {
    try {
      return await trpcClient.versions.publish.mutate({ flowId, note });
    } catch (error: unknown) {
      throw new PublishError(getErrorMessage(error), getDiagnostics(error));
    }
  },
  versionsHref: (flowId) => `/flows/${encodeURIComponent(flowId)}/versions`,
  async listClassifierModels() {
    const models = await trpcClient.classifier.models.list.query({ includeArchived: true });
    return models.map((model) => ({
      id: model.id,
      name: model.name,
      labels: model.labels,
      accuracy: model.accuracy,
      archived: model.archivedAt !== null,
    }));
  },
  modelsHref: '/models',
};
