import { randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { NotFoundError } from '../errors';
import type { AuditLog } from '../sql/audit';
import type { ModelEvaluation, TrainingPhase } from './training';

/** Where a model's examples came from. */
export type TrainingSource =
  | { readonly kind: 'csv'; readonly fileName: string; readonly rows: number }
  | {
      readonly kind: 'tickets';
      readonly from: string | null;
      readonly to: string | null;
      readonly flowId: string | null;
      readonly level: 'category' | 'subcategory';
    };

export interface ModelSummary {
  readonly id: string;
  readonly name: string;
  readonly contentHash: string;
  readonly labels: readonly string[];
  readonly source: TrainingSource;
  readonly examples: number;
  readonly folds: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly createdBy: { readonly id: string; readonly email: string | null } | null;
  readonly createdAt: string;
  readonly archivedAt: string | null;
}

export interface ModelDetails extends ModelSummary {
  readonly evaluation: ModelEvaluation;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface TrainingJobRow {
  readonly id: string;
  readonly name: string;
  readonly status: JobStatus;
  readonly source: TrainingSource;
  readonly phase: TrainingPhase | null;
  readonly fold: number | null;
  readonly folds: number;
  readonly progress: number;
  readonly modelId: string | null;
  readonly error: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

interface ModelDbRow {
  id: string;
  name: string;
  contentHash: string;
  labels: string;
  source: string;
  examples: number;
  folds: number;
  accuracy: number;
  macroF1: number;
  evaluation: string;
  createdBy: string | null;
  email: string | null;
  createdAt: string;
  archivedAt: string | null;
}

interface JobDbRow {
  id: string;
  name: string;
  status: string;
  request: string;
  phase: string | null;
  fold: number | null;
  folds: number;
  progress: number;
  modelId: string | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

function toSummary(row: ModelDbRow): ModelSummary {
  return {
    id: row.id,
    name: row.name,
    contentHash: row.contentHash,
    labels: JSON.parse(row.labels) as string[],
    source: JSON.parse(row.source) as TrainingSource,
    examples: row.examples,
    folds: row.folds,
    accuracy: row.accuracy,
    macroF1: row.macroF1,
    createdBy: row.createdBy === null ? null : { id: row.createdBy, email: row.email },
    createdAt: new Date(row.createdAt).toISOString(),
    archivedAt: iso(row.archivedAt),
  };
}

function toJob(row: JobDbRow): TrainingJobRow {
  return {
    id: row.id,
    name: row.name,
    status: row.status as JobStatus,
    source: (JSON.parse(row.request) as { source: TrainingSource }).source,
    phase: row.phase as TrainingPhase | null,
    fold: row.fold,
    folds: row.folds,
    progress: row.progress,
    modelId: row.modelId,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

/** A fresh model id: `model-` and 12 random hex digits, checked against every id ever issued. */
function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/**
 * The trained-model registry (table ClassifierModel) and training jobs (TrainingJob). Rows are
 * never deleted: a model id, once issued, names that model for good (archiving only hides it
 * from the pickers). Model creation and archiving are audited in the same transaction.
 */
export function createClassifierStore(db: SqliteDatabase, now: () => number, audit: AuditLog) {
  const modelColumns = `m."id", m."name", m."contentHash", m."labels", m."source", m."examples",
    m."folds", m."accuracy", m."macroF1", m."evaluation", m."createdBy", u."email",
    m."createdAt", m."archivedAt"`;
  const sql = {
    models: db.prepare<[], ModelDbRow>(
      `SELECT ${modelColumns} FROM "ClassifierModel" m LEFT JOIN "User" u ON u."id" = m."createdBy"
       ORDER BY m."createdAt" DESC, m."id"`,
    ),
    model: db.prepare<[string], ModelDbRow>(
      `SELECT ${modelColumns} FROM "ClassifierModel" m LEFT JOIN "User" u ON u."id" = m."createdBy"
       WHERE m."id" = ?`,
    ),
    hashes: db.prepare<[], { id: string; contentHash: string }>(
      'SELECT "id", "contentHash" FROM "ClassifierModel"',
    ),
    modelExists: db.prepare<[string], { id: string }>(
      'SELECT "id" FROM "ClassifierModel" WHERE "id" = ?',
    ),
    insertModel: db.prepare(
      `INSERT INTO "ClassifierModel" ("id", "name", "contentHash", "labels", "sourceKind", "source",
         "examples", "folds", "accuracy", "macroF1", "evaluation", "createdBy", "createdAt")
       VALUES (@id, @name, @contentHash, @labels, @sourceKind, @source, @examples, @folds,
         @accuracy, @macroF1, @evaluation, @createdBy, @createdAt)`,
    ),
    archive: db.prepare<[string | null, string]>(
      'UPDATE "ClassifierModel" SET "archivedAt" = ? WHERE "id" = ?',
    ),
    jobs: db.prepare<[number], JobDbRow>(
      'SELECT * FROM "TrainingJob" ORDER BY "createdAt" DESC, "id" DESC LIMIT ?',
    ),
    job: db.prepare<[string], JobDbRow>('SELECT * FROM "TrainingJob" WHERE "id" = ?'),
    insertJob: db.prepare(
      `INSERT INTO "TrainingJob" ("id", "name", "status", "request", "folds", "progress",
         "createdBy", "createdAt")
       VALUES (@id, @name, 'queued', @request, @folds, 0, @createdBy, @createdAt)`,
    ),
    startJob: db.prepare<[string, string]>(
      `UPDATE "TrainingJob" SET "status" = 'running', "phase" = 'preparing', "startedAt" = ?
       WHERE "id" = ?`,
    ),
    progress: db.prepare<[string, number | null, number, string]>(
      'UPDATE "TrainingJob" SET "phase" = ?, "fold" = ?, "progress" = ? WHERE "id" = ?',
    ),
    succeed: db.prepare<[string, string, string]>(
      `UPDATE "TrainingJob" SET "status" = 'succeeded', "progress" = 1, "phase" = NULL,
         "fold" = NULL, "modelId" = ?, "finishedAt" = ? WHERE "id" = ?`,
    ),
    fail: db.prepare<[string, string, string]>(
      `UPDATE "TrainingJob" SET "status" = 'failed', "error" = ?, "finishedAt" = ? WHERE "id" = ?`,
    ),
    unfinished: db.prepare<[], { id: string; status: string }>(
      `SELECT "id", "status" FROM "TrainingJob" WHERE "status" IN ('queued', 'running')`,
    ),
  };
  const at = () => toSqliteTimestamp(new Date(now()));

  return {
    listModels(): ModelSummary[] {
      return sql.models.all().map(toSummary);
    },
    getModel(id: string): ModelDetails {
      const row = sql.model.get(id);
      if (row === undefined) throw new NotFoundError(`There is no trained model "${id}"`);
      return { ...toSummary(row), evaluation: JSON.parse(row.evaluation) as ModelEvaluation };
    },
    hasModel(id: string): boolean {
      return sql.modelExists.get(id) !== undefined;
    },
    /** Every model id with its content hash (archived ones too: published versions may use them). */
    listHashes(): Map<string, string> {
      return new Map(sql.hashes.all().map((row) => [row.id, row.contentHash]));
    },
    /** Registers a trained model under a new id (never one issued before); audited. */
    insertModel(model: {
      name: string;
      contentHash: string;
      labels: readonly string[];
      source: TrainingSource;
      examples: number;
      evaluation: ModelEvaluation;
      createdBy: string | null;
      jobId: string;
    }): string {
      return db.transaction(() => {
        let id = newId('model');
        while (sql.modelExists.get(id) !== undefined) id = newId('model');
        sql.insertModel.run({
          id,
          name: model.name,
          contentHash: model.contentHash,
          labels: JSON.stringify(model.labels),
          sourceKind: model.source.kind,
          source: JSON.stringify(model.source),
          examples: model.examples,
          folds: model.evaluation.folds,
          accuracy: model.evaluation.accuracy,
          macroF1: model.evaluation.macroF1,
          evaluation: JSON.stringify(model.evaluation),
          createdBy: model.createdBy,
          createdAt: at(),
        });
        sql.succeed.run(id, at(), model.jobId);
        audit.write(model.createdBy, 'classifier.model.create', id, {
          name: model.name,
          job: model.jobId,
          contentHash: model.contentHash,
          labels: model.labels.length,
          examples: model.examples,
          accuracy: model.evaluation.accuracy,
        });
        return id;
      })();
    },
    /** Hides a model from the pickers (or shows it again); published versions keep using it. */
    setArchived(id: string, archived: boolean, actorId: string): ModelSummary {
      return db.transaction(() => {
        if (sql.modelExists.get(id) === undefined) {
          throw new NotFoundError(`There is no trained model "${id}"`);
        }
        sql.archive.run(archived ? at() : null, id);
        audit.write(
          actorId,
          archived ? 'classifier.model.archive' : 'classifier.model.restore',
          id,
          {},
        );
        return toSummary(sql.model.get(id) as ModelDbRow);
      })();
    },

    listJobs(limit: number): TrainingJobRow[] {
      return sql.jobs.all(limit).map(toJob);
    },
    getJob(id: string): TrainingJobRow {
      const row = sql.job.get(id);
      if (row === undefined) throw new NotFoundError(`There is no training job "${id}"`);
      return toJob(row);
    },
    /** A queued job; audited (the training request). */
    insertJob(job: {
      name: string;
      source: TrainingSource;
      folds: number;
      examples: number;
      labels: number;
      createdBy: string | null;
    }): string {
      return db.transaction(() => {
        const id = newId('job');
        sql.insertJob.run({
          id,
          name: job.name,
          request: JSON.stringify({ source: job.source, examples: job.examples }),
          folds: job.folds,
          createdBy: job.createdBy,
          createdAt: at(),
        });
        audit.write(job.createdBy, 'classifier.train', id, {
          name: job.name,
          source: job.source,
          folds: job.folds,
          examples: job.examples,
          labels: job.labels,
        });
        return id;
      })();
    },
    startJob(id: string): void {
      sql.startJob.run(at(), id);
    },
    setProgress(id: string, phase: TrainingPhase, fold: number | null, progress: number): void {
      sql.progress.run(phase, fold, progress, id);
    },
    failJob(id: string, error: string): void {
      sql.fail.run(error, at(), id);
    },
    /** Marks jobs left queued or running by a previous process as failed; returns their ids. */
    failInterrupted(): string[] {
      return db.transaction(() => {
        const rows = sql.unfinished.all();
        for (const row of rows) {
          sql.fail.run(
            row.status === 'running'
              ? 'The server stopped while this model was training; train it again'
              : 'The server stopped before this training started; train it again',
            at(),
            row.id,
          );
        }
        return rows.map((row) => row.id);
      })();
    },
  };
}

export type ClassifierStore = ReturnType<typeof createClassifierStore>;
