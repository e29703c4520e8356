import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { CsvFormatError, parseLabelledCsv } from '@switchyard/classifier';
import type { IntentModel, TrainingExample } from '@switchyard/classifier';
import { InvalidInputError, NotFoundError, PreconditionError } from '../errors';
import type { ModelRegistry, ModelStore } from '../models';
import type { AuditLog } from '../sql/audit';
import { createTrainingQueue } from './jobs';
import type { TrainingQueue } from './jobs';
import { createClassifierStore } from './store';
import type { ClassifierStore, TrainingSource } from './store';
import { checkExamples, countLabels } from './training';

/** Largest CSV upload, in UTF-16 code units of the text (≈ bytes for ASCII). */
export const MAX_CSV_CHARS = 20 * 1024 * 1024;
/** Most examples one run takes (CSV rows or tickets). */
export const MAX_EXAMPLES = 50_000;
/** Longest example text kept (the model reads 4000 characters at most anyway). */
const MAX_TEXT = 4000;

export interface TicketSelection {
  /** Inclusive ISO dates or timestamps on `createdAt`. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly flowId?: string | undefined;
  /** `category` labels by category; `subcategory` by `category/subcategory` (where set). */
  readonly level: 'category' | 'subcategory';
}

/** Where a classify step of a document names a model. */
interface ModelUse {
  readonly nodeId: string;
  readonly label: string;
  readonly modelId: string;
}

/** The classify steps of a Flow document that use a model (mode `model` / `rules-then-model`). */
export function getModelUses(document: unknown): ModelUse[] {
  const nodes =
    typeof document === 'object' && document !== null && 'nodes' in document ? document.nodes : [];
  if (!Array.isArray(nodes)) return [];
  const uses: ModelUse[] = [];
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) continue;
    const { kind, id, label, config } = node as {
      kind?: unknown;
      id?: unknown;
      label?: unknown;
      config?: { mode?: unknown; model?: { modelId?: unknown } };
    };
    if (kind !== 'classify' || config?.mode === 'rules') continue;
    const modelId = config?.model?.modelId;
    if (typeof modelId !== 'string') continue;
    uses.push({
      nodeId: typeof id === 'string' ? id : '?',
      label: typeof label === 'string' ? label : '',
      modelId,
    });
  }
  return uses;
}

/** Examples from CSV text (`text,label` or `text,category`); errors name the line and column. */
export function examplesFromCsv(text: string): TrainingExample[] {
  if (text.length > MAX_CSV_CHARS) {
    throw new InvalidInputError(
      `The file is too large: at most ${MAX_CSV_CHARS / 1024 / 1024} MB of CSV`,
      [{ path: 'csv', message: `at most ${MAX_CSV_CHARS / 1024 / 1024} MB` }],
    );
  }
  let examples: TrainingExample[];
  try {
    examples = parseLabelledCsv(text);
  } catch (error: unknown) {
    if (error instanceof CsvFormatError) {
      throw new InvalidInputError(`CSV ${error.message}`, [
        { path: 'csv', message: error.message },
      ]);
    }
    throw error;
  }
  if (examples.length > MAX_EXAMPLES) {
    throw new InvalidInputError(`The file has ${examples.length} rows; at most ${MAX_EXAMPLES}`, [
      { path: 'csv', message: `at most ${MAX_EXAMPLES} rows` },
    ]);
  }
  return examples.map((example) => ({ ...example, text: example.text.slice(0, MAX_TEXT) }));
}

/**
 * Trained classifier models: the registry (metadata, evaluation), background training, the
 * model a flow version pins at publish, and models by id for the simulator.
 */
export function createClassifierService(options: {
  readonly db: SqliteDatabase;
  readonly audit: AuditLog;
  readonly models: { readonly store: ModelStore; readonly registry: ModelRegistry };
  readonly now: () => number;
  readonly log: (line: string) => void;
}) {
  const { db, models } = options;
  const store: ClassifierStore = createClassifierStore(db, options.now, options.audit);
  const queue: TrainingQueue = createTrainingQueue({
    store,
    models: models.store,
    log: options.log,
    now: options.now,
  });
  const ticketRows = db.prepare<
    { from: string | null; to: string | null; flowId: string | null; limit: number },
    {
      subject: string | null;
      description: string | null;
      category: string;
      subcategory: string | null;
    }
  >(
    `SELECT json_extract(t."data", '$.subject') AS "subject",
            json_extract(t."data", '$.description') AS "description",
            t."category", t."subcategory"
     FROM "Ticket" t JOIN "FlowVersion" v ON v."id" = t."flowVersionId"
     WHERE t."category" IS NOT NULL AND t."category" <> '' AND t."category" <> 'unknown'
       AND (@from IS NULL OR t."createdAt" >= @from)
       AND (@to IS NULL OR t."createdAt" <= @to)
       AND (@flowId IS NULL OR v."flowId" = @flowId)
     ORDER BY t."createdAt" LIMIT @limit`,
  );

  function toBound(value: string | undefined, end: boolean, path: string): string | null {
    if (value === undefined || value === '') return null;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const time = Date.parse(
      dateOnly ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : value,
    );
    if (Number.isNaN(time)) {
      throw new InvalidInputError(`${path} is not a date: "${value}"`, [
        { path, message: 'expected a date (YYYY-MM-DD) or an ISO timestamp' },
      ]);
    }
    return toSqliteTimestamp(new Date(time));
  }

  /** Model ids the designer may pick and publish: trained models, else template models pinned. */
  function resolveHash(modelId: string): string | null {
    return store.listHashes().get(modelId) ?? models.store.pinnedHash(modelId);
  }

  return {
    store,
    queue,

    /** Labelled examples from tickets whose category is set; the label is category[/subcategory]. */
    examplesFromTickets(selection: TicketSelection): TrainingExample[] {
      const from = toBound(selection.from, false, 'tickets.from');
      const to = toBound(selection.to, true, 'tickets.to');
      if (from !== null && to !== null && from > to) {
        throw new InvalidInputError('tickets.from is after tickets.to', [
          { path: 'tickets.from', message: 'must not be after tickets.to' },
        ]);
      }
      const rows = ticketRows.all({
        from,
        to,
        flowId: selection.flowId ?? null,
        limit: MAX_EXAMPLES,
      });
      return rows.map((row) => ({
        text: `${row.subject ?? ''}\n${row.description ?? ''}`.slice(0, MAX_TEXT),
        label:
          selection.level === 'subcategory' && row.subcategory !== null && row.subcategory !== ''
            ? `${row.category}/${row.subcategory}`
            : row.category,
      }));
    },

    /** Checks the examples and queues a run; throws naming what is wrong with the data. */
    train(request: {
      name: string;
      source: TrainingSource;
      examples: readonly TrainingExample[];
      folds: number;
      createdBy: string | null;
    }): { jobId: string; examples: number; labels: number } {
      const path = request.source.kind === 'csv' ? 'csv' : 'tickets';
      if (request.examples.length === 0) {
        throw new InvalidInputError(
          request.source.kind === 'csv'
            ? 'The CSV has a header but no rows'
            : 'No tickets with a category match this selection',
          [{ path, message: 'no labelled examples' }],
        );
      }
      const problems = checkExamples(request.examples, request.folds);
      if (problems.length > 0) {
        throw new InvalidInputError(
          `These examples cannot train a model: ${problems.join('; ')}`,
          problems.map((message) => ({ path, message })),
        );
      }
      const jobId = queue.submit(request);
      return {
        jobId,
        examples: request.examples.length,
        labels: countLabels(request.examples).size,
      };
    },

    /** The stored model JSON (canonical text) of a trained model. */
    download(modelId: string): string {
      const model = store.getModel(modelId);
      const text = models.store.read(model.contentHash);
      if (text === null) {
        throw new NotFoundError(
          `The file of model "${modelId}" (${model.contentHash}.json) is missing from the data folder`,
        );
      }
      return text;
    },

    /**
     * The content hash of every model the document's classify steps use, for pinning; refused
     * (naming the step) when a model id is not a trained or template model.
     */
    resolveForPublish(document: unknown): Record<string, string> {
      const hashes: Record<string, string> = {};
      const missing: string[] = [];
      for (const use of getModelUses(document)) {
        const hash = resolveHash(use.modelId);
        if (hash === null) {
          missing.push(
            `classify step "${use.nodeId}"${use.label === '' ? '' : ` (${use.label})`} uses model "${use.modelId}", which does not exist; pick a trained model`,
          );
        } else hashes[use.modelId] = hash;
      }
      if (missing.length > 0) throw new PreconditionError(`Cannot publish: ${missing.join('; ')}`);
      return hashes;
    },

    /** Records the models a version uses (before its row is written). */
    pin(versionId: string, flowId: string, hashes: Readonly<Record<string, string>>): void {
      models.store.pin(versionId, flowId, hashes);
    },

    /** After a version pinning `hashes` is written: the runtime serves those models by id. */
    activate(hashes: Readonly<Record<string, string>>): void {
      for (const [modelId, hash] of Object.entries(hashes)) {
        if (!models.registry.add(modelId, hash)) {
          options.log(`model "${modelId}" (${hash}) could not be loaded after publishing`);
        }
      }
    },

    /**
     * Models by id for the simulator: a trained model by its registry row, else what the runtime
     * serves (template models of published versions).
     */
    simulatorModels(): { get(modelId: string): IntentModel | undefined } {
      return {
        get(modelId) {
          const hash = store.listHashes().get(modelId);
          if (hash !== undefined) return models.registry.byHash(hash) ?? undefined;
          return models.registry.get(modelId);
        },
      };
    },

    close: () => queue.close(),
  };
}

export type ClassifierService = ReturnType<typeof createClassifierService>;
