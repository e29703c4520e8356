import { Worker } from 'node:worker_threads';
import type { TrainingExample } from '@switchyard/classifier';
import type { ModelStore } from '../models';
import type { ClassifierStore, TrainingSource } from './store';
import type { TrainWorkerInput, TrainWorkerMessage } from './train-worker';
import type { TrainingOutcome } from './training';

const WORKER_URL = new URL('./train-worker-entry.mjs', import.meta.url);
/** Progress is written to the job row at most this often (and at every phase or fold change). */
const PROGRESS_WRITE_MS = 250;

export interface TrainingRequest {
  readonly name: string;
  readonly source: TrainingSource;
  readonly examples: readonly TrainingExample[];
  readonly folds: number;
  readonly createdBy: string | null;
}

export interface TrainingQueue {
  /** Queues a run (audited) and returns its job id; runs start one at a time, in order. */
  submit(request: TrainingRequest): string;
  /** Called with the new model's id and content hash when a run succeeds. */
  readonly onModel: Set<(modelId: string, contentHash: string) => void>;
  /** Jobs queued or running in this process. */
  pending(): number;
  /** Stops the running worker (its job is marked failed) and forgets the queue (marked failed). */
  close(): Promise<void>;
}

/**
 * Background training, one run at a time per server: each run is a worker thread (the request
 * threads and the engine keep answering while it trains), its progress is written to the
 * TrainingJob row, the model JSON goes to the content-addressed model store and the registry row
 * (ClassifierModel) is written with the job's success in one transaction. Examples are held in
 * memory only: jobs left queued or running by a previous process are marked failed at start.
 */
export function createTrainingQueue(options: {
  readonly store: ClassifierStore;
  readonly models: ModelStore;
  readonly log: (line: string) => void;
  readonly now: () => number;
}): TrainingQueue {
  const { store, models, log, now } = options;
  const interrupted = store.failInterrupted();
  if (interrupted.length > 0) {
    log(
      `classifier: ${interrupted.length} training job(s) interrupted by the last stop marked failed`,
    );
  }
  const queue: { id: string; request: TrainingRequest }[] = [];
  let running: { id: string; worker: Worker; done: Promise<void> } | null = null;
  let closed = false;
  const onModel = new Set<(modelId: string, contentHash: string) => void>();

  function finish(id: string, request: TrainingRequest, outcome: TrainingOutcome): void {
    store.setProgress(id, 'saving', null, 1);
    const contentHash = models.put(outcome.model);
    const modelId = store.insertModel({
      name: request.name,
      contentHash,
      labels: outcome.labels,
      source: request.source,
      examples: outcome.examples,
      evaluation: outcome.evaluation,
      createdBy: request.createdBy,
      jobId: id,
    });
    for (const listener of onModel) listener(modelId, contentHash);
  }

  function startNext(): void {
    if (closed || running !== null) return;
    const next = queue.shift();
    if (next === undefined) return;
    const { id, request } = next;
    store.startJob(id);
    const input: TrainWorkerInput = { examples: request.examples, folds: request.folds, seed: 1 };
    const worker = new Worker(WORKER_URL, { workerData: input });
    let settled = false;
    let lastWrite = 0;
    let lastKey = '';
    const done = new Promise<void>((resolve) => {
      const settle = (error: string | null, outcome?: TrainingOutcome) => {
        if (settled) return;
        settled = true;
        try {
          if (error !== null) store.failJob(id, error);
          else if (outcome !== undefined) finish(id, request, outcome);
        } catch (failure: unknown) {
          const message = failure instanceof Error ? failure.message : String(failure);
          log(`classifier: job ${id} could not be saved: ${message}`);
          try {
            store.failJob(id, `The trained model could not be saved: ${message}`);
          } catch {
            // the database is closing; the next start marks the job failed
          }
        }
        running = null;
        void worker.terminate();
        resolve();
        startNext();
      };
      worker.on('message', (message: TrainWorkerMessage) => {
        if (message.type === 'progress') {
          const key = `${message.phase}:${String(message.fold)}`;
          const time = now();
          if (key !== lastKey || time - lastWrite >= PROGRESS_WRITE_MS) {
            lastKey = key;
            lastWrite = time;
            store.setProgress(id, message.phase, message.fold, message.progress);
          }
        } else if (message.type === 'done') {
          settle(null, message.outcome);
        } else {
          settle(message.data ? message.message : `Training failed: ${message.message}`);
        }
      });
      worker.on('error', (error) => {
        log(`classifier: training worker of job ${id} failed: ${error.stack ?? error.message}`);
        settle(`Training failed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        settle(
          closed
            ? 'The server stopped while this model was training; train it again'
            : `The training worker stopped unexpectedly (exit code ${code})`,
        );
      });
    });
    running = { id, worker, done };
  }

  return {
    onModel,
    submit(request) {
      if (closed) throw new Error('The server is stopping');
      const id = store.insertJob({
        name: request.name,
        source: request.source,
        folds: request.folds,
        examples: request.examples.length,
        labels: new Set(request.examples.map((e) => e.label)).size,
        createdBy: request.createdBy,
      });
      queue.push({ id, request });
      startNext();
      return id;
    },
    pending: () => queue.length + (running === null ? 0 : 1),
    async close() {
      closed = true;
      for (const { id } of queue.splice(0)) {
        store.failJob(id, 'The server stopped before this training started; train it again');
      }
      const current = running as { worker: Worker; done: Promise<void> } | null;
      if (current !== null) {
        await current.worker.terminate();
        await current.done;
      }
    },
  };
}
