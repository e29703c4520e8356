/**
 * Accuracy, macro-F1, calibration error and confusion for intent models, and stratified
 * k-fold cross-validation. Accuracy counts the best label (the `unknown` threshold is not
 * applied); `unknownRate` reports how often the threshold would have answered `unknown`.
 */
import {
  extractTrainingTerms,
  trainFromTermsWithOptions,
  UNKNOWN_LABEL,
  type IntentModel,
  type IntentModelOptions,
  type TrainingExample,
} from './intent-model';
import { createPrng } from './prng';
import type { TermCounts } from './features';

export interface ConfusionMatrix {
  /** Row and column order. */
  labels: string[];
  /** `matrix[truth][predicted]` counts. */
  matrix: number[][];
}

export interface EvaluationResult {
  accuracy: number;
  macroF1: number;
  /** Mean per-label recall: what accuracy would be on a test set with equal label counts. */
  balancedAccuracy: number;
  /** Fraction of predictions under the model's unknown threshold. */
  unknownRate: number;
  /**
   * Expected calibration error of the best label's confidence (10 equal-width bins):
   * the mean gap between stated confidence and observed accuracy, 0 when calibrated.
   */
  calibrationError: number;
  confusion: ConfusionMatrix;
}

export interface CrossValidationOptions extends IntentModelOptions {
  /** Number of folds, ≥ 2. Default 5. */
  folds?: number;
}

export interface CrossValidationResult {
  accuracy: number;
  macroF1: number;
  balancedAccuracy: number;
  unknownRate: number;
  calibrationError: number;
  perFold: { fold: number; size: number; accuracy: number; macroF1: number }[];
  /** Summed over folds. */
  confusion: ConfusionMatrix;
}

interface Tally {
  labels: string[];
  index: Map<string, number>;
  matrix: number[][];
  unknown: number;
  total: number;
  /** Per confidence bin: predictions, summed confidence, correct predictions. */
  bins: { count: number; confidence: number; correct: number }[];
}

const CALIBRATION_BINS = 10;

function createTally(labels: readonly string[]): Tally {
  const sorted = [...new Set(labels)].sort();
  return {
    labels: sorted,
    index: new Map(sorted.map((l, i) => [l, i])),
    matrix: sorted.map(() => sorted.map(() => 0)),
    unknown: 0,
    total: 0,
    bins: Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, confidence: 0, correct: 0 })),
  };
}

function tallyModel(tally: Tally, model: IntentModel, examples: readonly TrainingExample[]): void {
  for (const example of examples) {
    const prediction = model.predict(example.text);
    // top[0] is the arg-max label whatever the threshold (softmax keeps the order).
    const predicted = prediction.top[0]?.label ?? UNKNOWN_LABEL;
    if (prediction.label === UNKNOWN_LABEL) tally.unknown++;
    const bin =
      tally.bins[
        Math.min(CALIBRATION_BINS - 1, Math.floor(prediction.confidence * CALIBRATION_BINS))
      ];
    if (bin !== undefined) {
      bin.count++;
      bin.confidence += prediction.confidence;
      if (predicted === example.label) bin.correct++;
    }
    const row = tally.index.get(example.label);
    const col = tally.index.get(predicted);
    if (row !== undefined && col !== undefined) {
      const r = tally.matrix[row] as number[];
      r[col] = (r[col] as number) + 1;
    }
    tally.total++;
  }
}

function summarise(tally: Tally): Omit<EvaluationResult, 'confusion'> {
  const k = tally.labels.length;
  let correct = 0;
  let f1Sum = 0;
  let f1Count = 0;
  let recallSum = 0;
  let recallCount = 0;
  for (let c = 0; c < k; c++) {
    const tp = tally.matrix[c]?.[c] ?? 0;
    let rowSum = 0;
    let colSum = 0;
    for (let j = 0; j < k; j++) {
      rowSum += tally.matrix[c]?.[j] ?? 0;
      colSum += tally.matrix[j]?.[c] ?? 0;
    }
    correct += tp;
    if (rowSum > 0) {
      recallSum += tp / rowSum;
      recallCount++;
    }
    if (rowSum + colSum > 0) {
      f1Sum += (2 * tp) / (rowSum + colSum);
      f1Count++;
    }
  }
  let calibrationGap = 0;
  for (const bin of tally.bins) calibrationGap += Math.abs(bin.confidence - bin.correct);
  return {
    accuracy: tally.total === 0 ? 0 : correct / tally.total,
    macroF1: f1Count === 0 ? 0 : f1Sum / f1Count,
    balancedAccuracy: recallCount === 0 ? 0 : recallSum / recallCount,
    unknownRate: tally.total === 0 ? 0 : tally.unknown / tally.total,
    calibrationError: tally.total === 0 ? 0 : calibrationGap / tally.total,
  };
}

/**
 * Scores a model on labelled examples. Examples whose label the model does not know
 * count as errors.
 *
 * @example
 * const { accuracy, macroF1 } = evaluate(model, testExamples);
 */
export function evaluate(
  model: IntentModel,
  examples: readonly TrainingExample[],
): EvaluationResult {
  const tally = createTally([...model.labels, ...examples.map((e) => e.label)]);
  tallyModel(tally, model, examples);
  return { ...summarise(tally), confusion: { labels: tally.labels, matrix: tally.matrix } };
}

/** Stratified fold number per example: each label's examples are dealt round-robin. */
function assignFolds(
  examples: readonly TrainingExample[],
  folds: number,
  seed: number,
): Int32Array {
  const prng = createPrng(seed);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byLabel.get(e.label);
    if (list === undefined) byLabel.set(e.label, [i]);
    else list.push(i);
  });
  const fold = new Int32Array(examples.length);
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const ids = byLabel.get(label) ?? [];
    for (let s = ids.length - 1; s > 0; s--) {
      const j = prng.nextInt(s + 1);
      const tmp = ids[s] as number;
      ids[s] = ids[j] as number;
      ids[j] = tmp;
    }
    // Rotating the start keeps fold sizes even when many labels have few examples.
    ids.forEach((id, k) => {
      fold[id] = (k + offset) % folds;
    });
    offset = (offset + ids.length) % folds;
  }
  return fold;
}

/**
 * Stratified k-fold cross-validation; each fold trains exactly as `trainIntentModel`
 * does with `options` (calibration included, so `calibrationError` and `unknownRate`
 * are measured too).
 *
 * @example
 * const cv = crossValidate(examples, { folds: 5, seed: 1 });
 * console.log(cv.accuracy, cv.macroF1);
 */
export function crossValidate(
  examples: readonly TrainingExample[],
  options: CrossValidationOptions = {},
): CrossValidationResult {
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2 || folds > examples.length) {
    throw new RangeError(`folds must be an integer from 2 to the number of examples, got ${folds}`);
  }
  const seed = options.seed ?? 1;
  const fold = assignFolds(examples, folds, seed);
  const { onProgress, folds: _folds, ...trainOptions } = options;
  const terms = extractTrainingTerms(examples, trainOptions);
  const total = createTally(examples.map((e) => e.label));
  const perFold: CrossValidationResult['perFold'] = [];
  for (let f = 0; f < folds; f++) {
    const trainIds = [...fold.keys()].filter((i) => fold[i] !== f);
    const testExamples = examples.filter((_, i) => fold[i] === f);
    const model = trainFromTermsWithOptions(
      trainIds.map((i) => terms[i] as TermCounts),
      trainIds.map((i) => (examples[i] as TrainingExample).label),
      {
        ...trainOptions,
        onProgress: (p) => onProgress?.((f + p) / folds),
      },
    );
    const tally = createTally(examples.map((e) => e.label));
    tallyModel(tally, model, testExamples);
    tallyModel(total, model, testExamples);
    const summary = summarise(tally);
    perFold.push({
      fold: f,
      size: testExamples.length,
      accuracy: summary.accuracy,
      macroF1: summary.macroF1,
    });
  }
  onProgress?.(1);
  return {
    ...summarise(total),
    perFold,
    confusion: { labels: total.labels, matrix: total.matrix },
  };
}
