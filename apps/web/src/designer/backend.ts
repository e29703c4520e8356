import type { Diagnostic, FlowDocument } from '@switchyard/flow';
import { createContext, useContext } from 'react';
import { SaveError } from './model/autosave';

/** A loaded draft. */
export interface LoadedFlow {
  readonly document: FlowDocument;
  readonly revision: number;
  readonly publishedVersion: number | null;
}

/** Publishing was refused; `diagnostics` when lint found errors on the server. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** A trained intent model a classify step can pick (`classifier.models.list`). */
export interface ClassifierModelOption {
  readonly id: string;
  readonly name: string;
  readonly labels: readonly string[];
  /** Cross-validation accuracy, 0..1. */
  readonly accuracy: number;
  readonly archived: boolean;
}

/**
 * What the designer needs from the server. The app uses the tRPC implementation; the canvas
 * benchmark and tests plug in an in-memory one.
 */
export interface DesignerBackend {
  load(flowId: string): Promise<LoadedFlow>;
  /** Throws `SaveError` (conflict, invalid or failed). */
  saveDraft(
    flowId: string,
    document: FlowDocument,
    baseRevision: number,
  ): Promise<{ readonly draftRevision: number }>;
  /** Publishes the saved draft. Throws `PublishError`. */
  publish(flowId: string, note: string): Promise<{ readonly version: number }>;
  /** Where the flow's version history lives (a link), if anywhere. */
  readonly versionsHref?: (flowId: string) => string;
  /** Trained models for the classify step's picker (archived ones too); without it, ids are typed. */
  listClassifierModels?(): Promise<readonly ClassifierModelOption[]>;
  /** Where trained models are trained and inspected (a link), if anywhere. */
  readonly modelsHref?: string;
}

export const DesignerBackendContext = createContext<DesignerBackend | null>(null);

export function useDesignerBackend(fallback: () => DesignerBackend): DesignerBackend {
  return useContext(DesignerBackendContext) ?? fallback();
}

/** An in-memory backend (benchmarks, demos): saves succeed, revisions count up. */
export function createMemoryBackend(flows: ReadonlyMap<string, FlowDocument>): DesignerBackend {
  const drafts = new Map([...flows].map(([id, doc]) => [id, { doc, revision: 1 }]));
  let versions = 0;
  return {
    load(flowId) {
      const draft = drafts.get(flowId);
      if (draft === undefined) return Promise.reject(new Error(`There is no flow "${flowId}"`));
      return Promise.resolve({
        document: draft.doc,
        revision: draft.revision,
        publishedVersion: null,
      });
    },
    saveDraft(flowId, document, baseRevision) {
      const draft = drafts.get(flowId);
      if (draft === undefined || draft.revision !== baseRevision) {
        return Promise.reject(new SaveError({ kind: 'conflict' }));
      }
      const next = { doc: document, revision: draft.revision + 1 };
      drafts.set(flowId, next);
      return Promise.resolve({ draftRevision: next.revision });
    },
    publish() {
      versions++;
      return Promise.resolve({ version: versions });
    },
  };
}
