/**
 * One training run, pure (no I/O): checks the examples, cross-validates, trains the final model on
 * all of them and summarises the evaluation. Runs inside the training worker (train-worker.ts);
 * kept here so it can be read and tested without a thread.
 */
import { crossValidate, trainIntentModel } from '@switchyard/classifier';
import type {
  ConfusionMatrix,
  CrossValidationResult,
  IntentModelJson,
  TrainingExample,
} from '@switchyard/classifier';

/** Fewest examples each label needs: every fold must hold one to test and the rest to learn. */
export const MIN_EXAMPLES_PER_LABEL = 5;
export const MIN_LABELS = 2;
export const MAX_FOLDS = 10;

export type TrainingPhase = 'preparing' | 'cross-validating' | 'training' | 'saving';

export interface TrainingProgress {
  readonly phase: TrainingPhase;
  /** 1-based fold being cross-validated (null outside cross-validation). */
  readonly fold: number | null;
  readonly folds: number;
  /** 0..1 over the whole run (cross-validation folds and the final training). */
  readonly progress: number;
}

export interface LabelFigures {
  readonly label: string;
  /** Examples with this label. */
  readonly support: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface ModelEvaluation {
  readonly folds: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly balancedAccuracy: number;
  readonly calibrationError: number;
  readonly unknownRate: number;
  readonly perLabel: readonly LabelFigures[];
  readonly perFold: CrossValidationResult['perFold'];
  /** Summed over the folds: `matrix[truth][predicted]`. */
  readonly confusion: ConfusionMatrix;
}

export interface TrainingOutcome {
  readonly model: IntentModelJson;
  readonly labels: readonly string[];
  readonly examples: number;
  readonly evaluation: ModelEvaluation;
}

/** Unusable training data; the message says what to change. */
export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

/**
 * The reasons `examples` cannot train a model with `folds` folds, or an empty list. Labels with
 * too few examples are named with their counts.
 */
export function checkExamples(examples: readonly TrainingExample[], folds: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(folds) || folds < 2 || folds > MAX_FOLDS) {
    problems.push(`folds must be a whole number from 2 to ${MAX_FOLDS}, got ${folds}`);
  }
  const counts = countLabels(examples);
  if (counts.size < MIN_LABELS) {
    problems.push(
      `a model needs at least ${MIN_LABELS} labels; the data has ${counts.size}${counts.size === 1 ? ` (${[...counts.keys()].join('')})` : ''}`,
    );
  }
  const needed = Math.max(MIN_EXAMPLES_PER_LABEL, Number.isInteger(folds) ? folds : 0);
  const few = [...counts].filter(([, count]) => count < needed).sort((a, b) => a[1] - b[1]);
  if (few.length > 0) {
    problems.push(
      `every label needs at least ${needed} examples; too few for ${few
        .slice(0, 10)
        .map(([label, count]) => `"${label}" (${count})`)
        .join(', ')}${few.length > 10 ? ` and ${few.length - 10} more` : ''}`,
    );
  }
  return problems;
}

export function countLabels(examples: readonly TrainingExample[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const example of examples) counts.set(example.label, (counts.get(example.label) ?? 0) + 1);
  return counts;
}

/** Precision, recall and F1 of each label from a confusion matrix (rows: truth). */
export function getLabelFigures(confusion: ConfusionMatrix): LabelFigures[] {
  const { labels, matrix } = confusion;
  return labels.map((label, c) => {
    const tp = matrix[c]?.[c] ?? 0;
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < labels.length; j++) {
      support += matrix[c]?.[j] ?? 0;
      predicted += matrix[j]?.[c] ?? 0;
    }
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support, precision, recall, f1 };
  });
}

/**
 * Cross-validates with `folds` folds, then trains on every example. `onProgress` is called as the
 * run goes (fold k of n, then the final training); throws TrainingDataError for unusable data.
 */
export function runTraining(
  examples: readonly TrainingExample[],
  options: { readonly folds: number; readonly seed?: number },
  onProgress: (progress: TrainingProgress) => void,
): TrainingOutcome {
  const { folds } = options;
  const seed = options.seed ?? 1;
  const problems = checkExamples(examples, folds);
  if (problems.length > 0) throw new TrainingDataError(problems.join('; '));
  // Units of work: one per fold, one for the final training on everything.
  const units = folds + 1;
  onProgress({ phase: 'cross-validating', fold: 1, folds, progress: 0 });
  let lastFold = 1;
  const cv = crossValidate(examples, {
    folds,
    seed,
    onProgress: (fraction) => {
      const fold = Math.min(folds, Math.floor(fraction * folds) + 1);
      if (fraction < 1 || fold !== lastFold) {
        lastFold = fold;
        onProgress({
          phase: 'cross-validating',
          fold,
          folds,
          progress: (fraction * folds) / units,
        });
      }
    },
  });
  onProgress({ phase: 'training', fold: null, folds, progress: folds / units });
  const model = trainIntentModel(examples, {
    seed,
    onProgress: (fraction) => {
      onProgress({ phase: 'training', fold: null, folds, progress: (folds + fraction) / units });
    },
  });
  return {
    model: model.toJSON(),
    labels: [...model.labels].sort(),
    examples: examples.length,
    evaluation: {
      folds,
      accuracy: cv.accuracy,
      macroF1: cv.macroF1,
      balancedAccuracy: cv.balancedAccuracy,
      calibrationError: cv.calibrationError,
      unknownRate: cv.unknownRate,
      perLabel: getLabelFigures(cv.confusion),
      perFold: cv.perFold,
      confusion: cv.confusion,
    },
  };
}
