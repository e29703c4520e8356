/**
 * The training thread: receives the examples in `workerData`, posts progress messages, then the
 * trained model and its evaluation (or the error). Started by jobs.ts through
 * train-worker-entry.mjs, which loads TypeScript first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingExample } from '@switchyard/classifier';
import { runTraining, TrainingDataError } from './training';
import type { TrainingOutcome, TrainingProgress } from './training';

export interface TrainWorkerInput {
  readonly examples: readonly TrainingExample[];
  readonly folds: number;
  readonly seed: number;
}

export type TrainWorkerMessage =
  | ({ readonly type: 'progress' } & TrainingProgress)
  | { readonly type: 'done'; readonly outcome: TrainingOutcome }
  | { readonly type: 'error'; readonly message: string; readonly data: boolean };

const port = parentPort;
if (port !== null) {
  const input = workerData as TrainWorkerInput;
  const post = (message: TrainWorkerMessage) => {
    port.postMessage(message);
  };
  try {
    const outcome = runTraining(input.examples, { folds: input.folds, seed: input.seed }, (p) => {
      post({ type: 'progress', ...p });
    });
    post({ type: 'done', outcome });
  } catch (error: unknown) {
    post({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      data: error instanceof TrainingDataError,
    });
  }
}
