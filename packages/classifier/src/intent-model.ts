/**
 * Trainable intent model: TF-IDF word n-grams, character n-grams and word pairs, a
 * Crammer–Singer multi-class linear SVM (or one-vs-rest SVMs; both by dual coordinate
 * descent) blended with naive Bayes, softmax
 * confidence with a temperature fitted on held-out scores. Pure and deterministic for a
 * given seed; no I/O.
 */
import { decodeBase64, encodeBase64 } from './base64';
import { createPrng } from './prng';
import {
  buildVocabulary,
  DEFAULT_FEATURE_CONFIG,
  extractTerms,
  vectorize,
  vectorizeText,
  vocabularyFromTerms,
  vocabularyTerms,
  type FeatureConfig,
  type TermCounts,
  type Vocabulary,
} from './features';
import {
  scoreVector,
  trainCrammerSingerSvm,
  trainOneVsRestSvm,
  type LinearScorer,
} from './linear-svm';
import {
  addNaiveBayesHeldOut,
  addNaiveBayesWeights,
  countNaiveBayes,
  naiveBayesLogProbabilities,
} from './naive-bayes';

export const UNKNOWN_LABEL = 'unknown';
export const INTENT_MODEL_FORMAT = 'switchyard.intent-model';
/**
 * Version 2 added word pairs and contraction expansion; version 3 added apostrophe-less
 * contractions and word-boundary markers. Version 1 and 2 files still load and predict
 * as they did (the newer feature switches are off for them).
 */
export const INTENT_MODEL_VERSION = 3;

export interface TrainingExample {
  text: string;
  label: string;
}

export interface IntentModelOptions {
  /** Seed of every shuffle; same data + options + seed → identical model. Default 1. */
  seed?: number;
  /**
   * SVM inverse regularisation. Default chosen by 5-fold CV on Banking77: 0.5 for
   * `crammer-singer`, 1 for `one-vs-rest`.
   */
  c?: number;
  /**
   * Weight β of the multinomial naive Bayes log-probabilities blended into the SVM
   * scores; 0 turns it off. Default 0.02 with `crammer-singer` (CV plateau 0.015–0.025),
   * 0.03 with `one-vs-rest` (plateau 0.02–0.045).
   */
  naiveBayesWeight?: number;
  /** Lidstone smoothing of the naive Bayes part. Default 0.01. */
  naiveBayesAlpha?: number;
  /**
   * `crammer-singer` (default): one multi-class SVM over all labels at once.
   * `one-vs-rest`: k binary SVMs (squared hinge or hinge, see `loss`); the default before
   * format version 3. Both give the same kind of linear model, so either loads the same way.
   */
  solver?: 'crammer-singer' | 'one-vs-rest';
  /** Loss of the `one-vs-rest` solver; `squared-hinge` (default) was a little better than `hinge` in CV. */
  loss?: 'squared-hinge' | 'hinge';
  /**
   * `balanced` weights each class by n / (k · n_class). Default `balanced`: +0.1 pt CV
   * accuracy and +0.17 pt balanced accuracy with the naive Bayes blend.
   */
  classWeight?: 'balanced' | 'none';
  wordNgrams?: [number, number];
  charNgrams?: [number, number];
  minDf?: number;
  charWeight?: number;
  /** Longer inputs are truncated to this many UTF-16 units. Default 4000. */
  maxChars?: number;
  stemWords?: boolean;
  charAcrossWords?: boolean;
  /** Spell out English contractions (can't → can not) before tokenising. Default true. */
  expandContractions?: boolean;
  /** Also spell out contractions typed without apostrophe (didnt → did not). Default true. */
  expandBareContractions?: boolean;
  /** Start/end markers in word n-grams (`^ why`, `card $`). Default true. */
  boundaryTokens?: boolean;
  /** Weight of the block of nearby content-word pairs; 0 turns it off. Default 0.6. */
  pairWeight?: number;
  /** Largest distance, in content words, between the two words of a pair. Default 8. */
  pairWindow?: number;
  /** Pairs need to occur in at least this many training texts. Default 2. */
  pairMinDf?: number;
  /**
   * Solver stopping tolerance (LIBLINEAR eps). Default 0.25 for `crammer-singer` (CV
   * accuracy equal to LIBLINEAR's 0.1, a third faster); 0.5 for `one-vs-rest` (equal to
   * 0.1, faster).
   */
  tolerance?: number;
  maxEpochs?: number;
  /** Below this calibrated confidence `predict` answers `unknown`. Default 0.3. */
  unknownThreshold?: number;
  /**
   * Fit the softmax temperature on held-out scores: a fifth of each label's examples is
   * left out of a first solve and scored, then joins for the rest of training (warm
   * start, about +25 % training time). When false it is fitted on the plain training
   * scores, which makes confidences optimistic. Default true.
   */
  calibrate?: boolean;
  /** How many labels `predict` lists in `top`. Default 5. */
  topK?: number;
  /** Training progress in [0, 1], for a progress bar; called with 1 at the end. */
  onProgress?: (fraction: number) => void;
}

export interface IntentPrediction {
  /** The best label, or `unknown` when its confidence is below the threshold. */
  label: string;
  /** Calibrated probability of the best label. */
  confidence: number;
  /** Best labels first, with calibrated probabilities (never `unknown`). */
  top: { label: string; score: number }[];
}

export interface IntentModelJson {
  format: typeof INTENT_MODEL_FORMAT;
  version: typeof INTENT_MODEL_VERSION;
  labels: string[];
  features: FeatureConfig;
  /** Term of each feature index. */
  vocabulary: string[];
  /** Float32 little-endian IDF per feature, base64. */
  idf: string;
  /** Int16 little-endian, feature-major (`feature * labels + label`), base64. */
  weights: string;
  /** Per-label dequantisation scale of `weights`. */
  weightScales: number[];
  bias: number[];
  temperature: number;
  /** What the temperature was fitted on; `leave-one-out` only in version 1 files. */
  calibration: Calibration;
  unknownThreshold: number;
  topK: number;
}

type Calibration = 'held-out' | 'leave-one-out' | 'train';

export interface IntentModel {
  readonly labels: readonly string[];
  readonly unknownThreshold: number;
  predict(text: string): IntentPrediction;
  /** Raw per-label decision scores (for evaluation without the softmax). */
  scores(text: string): Float64Array;
  toJSON(): IntentModelJson;
}

/** Thrown by `trainIntentModel` for unusable training data. */
export class IntentTrainingError extends Error {
  override readonly name = 'IntentTrainingError';
}

/** Thrown by `loadIntentModel`; `field` names the bad field of the JSON. */
export class IntentModelFormatError extends Error {
  override readonly name = 'IntentModelFormatError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid intent model at ${field}: ${problem}`);
  }
}

interface ResolvedOptions {
  seed: number;
  c: number;
  naiveBayesWeight: number;
  naiveBayesAlpha: number;
  solver: 'crammer-singer' | 'one-vs-rest';
  loss: 'squared-hinge' | 'hinge';
  classWeight: 'balanced' | 'none';
  features: FeatureConfig;
  tolerance: number;
  maxEpochs: number;
  unknownThreshold: number;
  calibrate: boolean;
  topK: number;
}

/** Defaults picked by 5-fold CV on Banking77 train.csv (see README). */
const DEFAULT_INTENT_OPTIONS = {
  seed: 1,
  c: 1,
  naiveBayesWeight: 0.03,
  naiveBayesAlpha: 0.01,
  solver: 'crammer-singer',
  loss: 'squared-hinge',
  classWeight: 'balanced',
  tolerance: 0.5,
  maxEpochs: 200,
  unknownThreshold: 0.3,
  calibrate: true,
  topK: 5,
} as const;

/** The joint solver's own defaults (its C and gap are on a different scale). */
const CRAMMER_SINGER_DEFAULTS = { c: 0.5, tolerance: 0.25, naiveBayesWeight: 0.02 } as const;

function resolveOptions(options: IntentModelOptions): ResolvedOptions {
  const solver = options.solver ?? DEFAULT_INTENT_OPTIONS.solver;
  const jointly = solver === 'crammer-singer';
  return {
    seed: options.seed ?? DEFAULT_INTENT_OPTIONS.seed,
    c: options.c ?? (jointly ? CRAMMER_SINGER_DEFAULTS.c : DEFAULT_INTENT_OPTIONS.c),
    naiveBayesWeight:
      options.naiveBayesWeight ??
      (jointly
        ? CRAMMER_SINGER_DEFAULTS.naiveBayesWeight
        : DEFAULT_INTENT_OPTIONS.naiveBayesWeight),
    naiveBayesAlpha: options.naiveBayesAlpha ?? DEFAULT_INTENT_OPTIONS.naiveBayesAlpha,
    solver,
    loss: options.loss ?? DEFAULT_INTENT_OPTIONS.loss,
    classWeight: options.classWeight ?? DEFAULT_INTENT_OPTIONS.classWeight,
    features: {
      wordNgrams: options.wordNgrams ?? DEFAULT_FEATURE_CONFIG.wordNgrams,
      charNgrams: options.charNgrams ?? DEFAULT_FEATURE_CONFIG.charNgrams,
      minDf: options.minDf ?? DEFAULT_FEATURE_CONFIG.minDf,
      charWeight: options.charWeight ?? DEFAULT_FEATURE_CONFIG.charWeight,
      maxChars: options.maxChars ?? DEFAULT_FEATURE_CONFIG.maxChars,
      stemWords: options.stemWords ?? DEFAULT_FEATURE_CONFIG.stemWords,
      charAcrossWords: options.charAcrossWords ?? DEFAULT_FEATURE_CONFIG.charAcrossWords,
      expandContractions: options.expandContractions ?? DEFAULT_FEATURE_CONFIG.expandContractions,
      expandBareContractions:
        options.expandBareContractions ?? DEFAULT_FEATURE_CONFIG.expandBareContractions,
      boundaryTokens: options.boundaryTokens ?? DEFAULT_FEATURE_CONFIG.boundaryTokens,
      pairWeight: options.pairWeight ?? DEFAULT_FEATURE_CONFIG.pairWeight,
      pairWindow: options.pairWindow ?? DEFAULT_FEATURE_CONFIG.pairWindow,
      pairMinDf: options.pairMinDf ?? DEFAULT_FEATURE_CONFIG.pairMinDf,
    },
    tolerance:
      options.tolerance ??
      (jointly ? CRAMMER_SINGER_DEFAULTS.tolerance : DEFAULT_INTENT_OPTIONS.tolerance),
    maxEpochs: options.maxEpochs ?? DEFAULT_INTENT_OPTIONS.maxEpochs,
    unknownThreshold: options.unknownThreshold ?? DEFAULT_INTENT_OPTIONS.unknownThreshold,
    calibrate: options.calibrate ?? DEFAULT_INTENT_OPTIONS.calibrate,
    topK: options.topK ?? DEFAULT_INTENT_OPTIONS.topK,
  };
}

/** Trained weights in the exact form they are serialised, so reloads predict identically. */
interface ModelState {
  labels: string[];
  features: FeatureConfig;
  terms: string[];
  vocab: Vocabulary;
  quantized: Int16Array;
  weightScales: number[];
  scorer: LinearScorer;
  temperature: number;
  calibration: Calibration;
  unknownThreshold: number;
  topK: number;
}

function checkExamples(examples: readonly TrainingExample[]): string[] {
  const asUnknown: unknown = examples;
  if (!Array.isArray(asUnknown) || examples.length === 0) {
    throw new IntentTrainingError('No training examples: give at least two labelled texts.');
  }
  const labels = new Set<string>();
  examples.forEach((example, i) => {
    if (typeof example.text !== 'string') {
      throw new IntentTrainingError(`examples[${i}].text must be a string.`);
    }
    if (typeof example.label !== 'string' || example.label.trim() === '') {
      throw new IntentTrainingError(`examples[${i}].label must be a non-empty string.`);
    }
    if (example.label === UNKNOWN_LABEL) {
      throw new IntentTrainingError(
        `examples[${i}].label "${UNKNOWN_LABEL}" is reserved for low-confidence answers; rename it.`,
      );
    }
    labels.add(example.label);
  });
  if (labels.size < 2) {
    throw new IntentTrainingError('Training needs at least two different labels.');
  }
  return [...labels].sort();
}

function classWeights(
  y: Int32Array,
  k: number,
  mode: 'balanced' | 'none',
): Float64Array | undefined {
  if (mode === 'none') return undefined;
  const counts = new Float64Array(k);
  for (const label of y) counts[label] = (counts[label] as number) + 1;
  return counts.map((count) => (count === 0 ? 1 : y.length / (k * count)));
}

// Every HOLD_OUT_EVERY-th example of each label (after a seeded shuffle) is held out for
// calibration; labels with fewer examples than this keep all of them in training.
const HOLD_OUT_EVERY = 5;

function holdOutMask(y: Int32Array, k: number, seed: number): Uint8Array {
  const prng = createPrng(seed ^ 0x5bd1e995);
  const byLabel = Array.from({ length: k }, (): number[] => []);
  y.forEach((label, i) => byLabel[label]?.push(i));
  const mask = new Uint8Array(y.length);
  for (const ids of byLabel) {
    if (ids.length < HOLD_OUT_EVERY) continue;
    for (let s = ids.length - 1; s > 0; s--) {
      const j = prng.nextInt(s + 1);
      const tmp = ids[s] as number;
      ids[s] = ids[j] as number;
      ids[j] = tmp;
    }
    ids.forEach((id, r) => {
      if (r % HOLD_OUT_EVERY === 0) mask[id] = 1;
    });
  }
  return mask;
}

interface LinearFit {
  vocab: Vocabulary;
  scorer: LinearScorer;
  /** Held-out rows (scores of examples left out of the first solve), when calibrating. */
  heldOut: { rows: Float64Array[]; truth: number[] } | null;
}

function fitLinear(
  terms: readonly TermCounts[],
  y: Int32Array,
  k: number,
  options: ResolvedOptions,
  onFraction: (fraction: number) => void,
): LinearFit {
  // The vocabulary and IDF include the held-out texts: a held-out text's unseen terms
  // get zero weight in the first solve anyway, so its score is still an honest one.
  const vocab = buildVocabulary(terms, options.features);
  const vectors = terms.map((t) => vectorize(t, vocab, options.features));
  const mask = options.calibrate ? holdOutMask(y, k, options.seed) : null;
  const heldOutScores = mask === null ? null : new Float64Array(y.length * k);
  const svmOptions = {
    c: options.c,
    loss: options.loss,
    tolerance: options.tolerance,
    maxEpochs: options.maxEpochs,
    seed: options.seed,
    biasFeature: 1,
    onClassDone: onFraction,
    ...(mask === null || heldOutScores === null ? {} : { heldOut: mask, heldOutScores }),
  };
  const weights = classWeights(y, k, options.classWeight);
  const scorer =
    options.solver === 'crammer-singer'
      ? trainCrammerSingerSvm(vectors, y, k, vocab.idf.length, {
          c: options.c,
          tolerance: options.tolerance,
          maxEpochs: options.maxEpochs,
          seed: options.seed,
          biasFeature: 1,
          onEpoch: onFraction,
          ...(weights === undefined ? {} : { classWeights: weights }),
          ...(mask === null || heldOutScores === null ? {} : { heldOut: mask, heldOutScores }),
        })
      : trainOneVsRestSvm(
          vectors,
          y,
          k,
          vocab.idf.length,
          weights === undefined ? svmOptions : { ...svmOptions, classWeights: weights },
        );
  if (options.naiveBayesWeight > 0) {
    const nb = countNaiveBayes(vectors, y, k, vocab.idf.length);
    const logTheta = naiveBayesLogProbabilities(nb, options.naiveBayesAlpha);
    addNaiveBayesWeights(scorer.weights, logTheta, options.naiveBayesWeight);
    if (mask !== null && heldOutScores !== null) {
      addNaiveBayesHeldOut(
        vectors,
        y,
        mask,
        k,
        vocab.idf.length,
        options.naiveBayesAlpha,
        options.naiveBayesWeight,
        heldOutScores,
      );
    }
  }
  if (mask === null || heldOutScores === null || !mask.includes(1)) {
    return { vocab, scorer, heldOut: null };
  }
  const rows: Float64Array[] = [];
  const truth: number[] = [];
  mask.forEach((m, i) => {
    if (m !== 1) return;
    rows.push(heldOutScores.subarray(i * k, (i + 1) * k));
    truth.push(y[i] as number);
  });
  return { vocab, scorer, heldOut: { rows, truth } };
}

function softmaxInPlace(scores: Float64Array, temperature: number): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(((scores[c] as number) - max) / temperature);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] as number) / sum;
}

/**
 * Temperature minimising the cross-entropy against label-smoothed targets (1 − ε on the
 * true label), by golden-section search on log T. Smoothing keeps T finite when the
 * hold-out is perfectly separated; plain NLL would drive T → 0 and make every answer,
 * even for unrelated text, look certain.
 */
const LABEL_SMOOTHING = 0.01;

// One scalar needs few rows; an even stride keeps every label represented and the cost flat.
const MAX_CALIBRATION_ROWS = 4000;

function fitTemperature(allRows: Float64Array[], allTruth: number[]): number {
  const stride = Math.max(1, Math.ceil(allRows.length / MAX_CALIBRATION_ROWS));
  const scoreRows = allRows.filter((_, i) => i % stride === 0);
  const truth = allTruth.filter((_, i) => i % stride === 0);
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let total = 0;
    scoreRows.forEach((row, i) => {
      const k = row.length;
      let max = -Infinity;
      for (const s of row) if (s > max) max = s;
      let sum = 0;
      let meanLogit = 0;
      for (const s of row) {
        sum += Math.exp((s - max) / t);
        meanLogit += (s - max) / t;
      }
      const logZ = Math.log(sum);
      const truthLogit = ((row[truth[i] as number] as number) - max) / t;
      const otherLogits = meanLogit - truthLogit;
      // −Σ target·log p with target = 1−ε on the truth and ε/(k−1) elsewhere.
      total +=
        (1 - LABEL_SMOOTHING) * (logZ - truthLogit) +
        (LABEL_SMOOTHING / (k - 1)) * ((k - 1) * logZ - otherLogits);
    });
    return total;
  };
  let lo = Math.log(1e-3);
  let hi = Math.log(1e2);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  // 40 golden-section steps shrink the log-T interval by 0.618^40 ≈ 4e-9.
  for (let iter = 0; iter < 40; iter++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

function scoreRows(
  terms: readonly TermCounts[],
  vocab: Vocabulary,
  scorer: LinearScorer,
  features: FeatureConfig,
): Float64Array[] {
  return terms.map((t) => {
    const out = new Float64Array(scorer.numClasses);
    scoreVector(scorer, vectorize(t, vocab, features), out);
    return out;
  });
}

function quantize(scorer: LinearScorer): { quantized: Int16Array; scales: number[] } {
  const k = scorer.numClasses;
  const maxAbs = new Float64Array(k);
  scorer.weights.forEach((w, j) => {
    const c = j % k;
    if (Math.abs(w) > (maxAbs[c] as number)) maxAbs[c] = Math.abs(w);
  });
  const scales = Array.from(maxAbs, (m) => (m === 0 ? 1 : Math.fround(m / 32767)));
  const quantized = new Int16Array(scorer.weights.length);
  scorer.weights.forEach((w, j) => {
    quantized[j] = Math.round(w / (scales[j % k] as number));
  });
  return { quantized, scales };
}

function dequantize(quantized: Int16Array, scales: readonly number[], k: number): Float32Array {
  const weights = new Float32Array(quantized.length);
  for (let j = 0; j < quantized.length; j++) {
    weights[j] = (quantized[j] as number) * (scales[j % k] as number);
  }
  return weights;
}

/**
 * Trains an intent model. Deterministic for the same examples, options and seed.
 *
 * @example
 * const model = trainIntentModel([
 *   { text: 'where is my card', label: 'card_arrival' },
 *   { text: '我的卡还没到', label: 'card_arrival' },
 *   { text: 'how do I top up', label: 'top_up' },
 * ]);
 * model.predict('card not arrived yet').label; // → 'card_arrival'
 */
export function trainIntentModel(
  examples: readonly TrainingExample[],
  options: IntentModelOptions = {},
): IntentModel {
  const opts = resolveOptions(options);
  checkExamples(examples);
  const report = options.onProgress ?? (() => undefined);
  report(0);
  const terms = examples.map((e) => extractTerms(e.text, opts.features));
  report(0.1);
  return trainFromTerms(
    terms,
    examples.map((e) => e.label),
    opts,
    report,
  );
}

/** Term extraction for `trainFromTerms`; lets cross-validation featurise each text once. */
export function extractTrainingTerms(
  examples: readonly TrainingExample[],
  options: IntentModelOptions,
): TermCounts[] {
  const { features } = resolveOptions(options);
  return examples.map((e) => extractTerms(e.text, features));
}

/** Internal: trains from pre-extracted terms (same result as `trainIntentModel`). */
export function trainFromTermsWithOptions(
  terms: readonly TermCounts[],
  labelsOfExamples: readonly string[],
  options: IntentModelOptions,
): IntentModel {
  checkExamples(labelsOfExamples.map((label) => ({ text: '', label })));
  return trainFromTerms(
    terms,
    labelsOfExamples,
    resolveOptions(options),
    options.onProgress ?? (() => undefined),
  );
}

function trainFromTerms(
  terms: readonly TermCounts[],
  labelsOfExamples: readonly string[],
  opts: ResolvedOptions,
  report: (fraction: number) => void,
): IntentModel {
  const labels = [...new Set(labelsOfExamples)].sort();
  const k = labels.length;
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const y = Int32Array.from(labelsOfExamples, (label) => labelIndex.get(label) ?? 0);

  const fit = fitLinear(terms, y, k, opts, (f) => {
    report(0.1 + 0.89 * f);
  });
  const { quantized, scales } = quantize(fit.scorer);
  const scorer: LinearScorer = {
    ...fit.scorer,
    weights: dequantize(quantized, scales, k),
  };
  // Without a hold-out (not asked for, or no label has enough examples to spare one)
  // the temperature comes from training scores, which makes confidences optimistic.
  const temperature =
    fit.heldOut === null
      ? fitTemperature(scoreRows(terms, fit.vocab, scorer, opts.features), [...y])
      : fitTemperature(fit.heldOut.rows, fit.heldOut.truth);
  const calibration: Calibration = fit.heldOut === null ? 'train' : 'held-out';
  const model = createModel({
    labels,
    features: opts.features,
    terms: vocabularyTerms(fit.vocab),
    vocab: fit.vocab,
    quantized,
    weightScales: scales,
    scorer,
    temperature,
    calibration,
    unknownThreshold: opts.unknownThreshold,
    topK: opts.topK,
  });
  report(1);
  return model;
}

function createModel(state: ModelState): IntentModel {
  const k = state.labels.length;
  const scores = (text: string): Float64Array => {
    const safe = typeof text === 'string' ? text : '';
    const out = new Float64Array(k);
    scoreVector(state.scorer, vectorizeText(safe, state.vocab, state.features), out);
    return out;
  };
  return {
    labels: state.labels,
    unknownThreshold: state.unknownThreshold,
    scores,
    predict(text) {
      const probs = scores(text);
      softmaxInPlace(probs, state.temperature);
      // Top-k by repeated arg-max: k is small, and ties keep label order.
      const count = Math.min(k, Math.max(1, state.topK));
      const taken = new Uint8Array(k);
      const top: { label: string; score: number }[] = [];
      for (let r = 0; r < count; r++) {
        let best = -1;
        for (let c = 0; c < k; c++) {
          if (taken[c] === 0 && (best < 0 || (probs[c] as number) > (probs[best] as number)))
            best = c;
        }
        taken[best] = 1;
        top.push({ label: state.labels[best] as string, score: probs[best] as number });
      }
      const best = top[0] as { label: string; score: number };
      return {
        label: best.score >= state.unknownThreshold ? best.label : UNKNOWN_LABEL,
        confidence: best.score,
        top,
      };
    },
    toJSON() {
      const idfBytes = new Uint8Array(state.vocab.idf.length * 4);
      const idfView = new DataView(idfBytes.buffer);
      state.vocab.idf.forEach((v, i) => {
        idfView.setFloat32(i * 4, v, true);
      });
      const weightBytes = new Uint8Array(state.quantized.length * 2);
      const weightView = new DataView(weightBytes.buffer);
      state.quantized.forEach((v, i) => {
        weightView.setInt16(i * 2, v, true);
      });
      return {
        format: INTENT_MODEL_FORMAT,
        version: INTENT_MODEL_VERSION,
        labels: [...state.labels],
        features: {
          ...state.features,
          wordNgrams: [...state.features.wordNgrams],
          charNgrams: [...state.features.charNgrams],
        },
        vocabulary: [...state.terms],
        idf: encodeBase64(idfBytes),
        weights: encodeBase64(weightBytes),
        weightScales: [...state.weightScales],
        bias: Array.from(state.scorer.bias),
        temperature: state.temperature,
        calibration: state.calibration,
        unknownThreshold: state.unknownThreshold,
        topK: state.topK,
      };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown, field: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new IntentModelFormatError(field, `expected a finite number ≥ ${min}`);
  }
  return value;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new IntentModelFormatError(field, 'expected true or false');
  return value;
}

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value))
    throw new IntentModelFormatError(field, 'expected an array of strings');
  value.forEach((item, i) => {
    if (typeof item !== 'string')
      throw new IntentModelFormatError(`${field}.${i}`, 'expected a string');
  });
  return value as string[];
}

function numberArray(value: unknown, field: string, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length) {
    throw new IntentModelFormatError(field, `expected an array of ${length} numbers`);
  }
  return value.map((item, i) => finite(item, `${field}.${i}`));
}

function range(value: unknown, field: string): [number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !value.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10) ||
    (value[0] as number) > (value[1] as number)
  ) {
    throw new IntentModelFormatError(field, 'expected [min, max] integers with 0 ≤ min ≤ max ≤ 10');
  }
  return [value[0] as number, value[1] as number];
}

function bytes(value: unknown, field: string, length: number): DataView {
  const decoded = typeof value === 'string' ? decodeBase64(value) : null;
  if (decoded === null) throw new IntentModelFormatError(field, 'expected a base64 string');
  if (decoded.length !== length) {
    throw new IntentModelFormatError(field, `expected ${length} bytes, found ${decoded.length}`);
  }
  return new DataView(decoded.buffer, decoded.byteOffset, decoded.byteLength);
}

/** Feature switches added after a file's version are off for it, so it predicts as before. */
function upgradeFeatures(version: number, features: unknown): unknown {
  if (!isRecord(features)) return features;
  const since3 = { expandBareContractions: false, boundaryTokens: false };
  if (version === 1) {
    // Version 1 had neither word pairs nor contraction expansion.
    return {
      expandContractions: false,
      pairWeight: 0,
      pairWindow: 0,
      pairMinDf: 1,
      ...since3,
      ...features,
    };
  }
  return version === 2 ? { ...since3, ...features } : features;
}

/**
 * Rebuilds a model from `model.toJSON()` output (for example after `JSON.parse`).
 * Throws `IntentModelFormatError` naming the first bad field.
 *
 * @example
 * const copy = loadIntentModel(JSON.parse(JSON.stringify(model)));
 */
export function loadIntentModel(json: unknown): IntentModel {
  if (!isRecord(json)) throw new IntentModelFormatError('(root)', 'expected an object');
  if (json.format !== INTENT_MODEL_FORMAT) {
    throw new IntentModelFormatError('format', `expected "${INTENT_MODEL_FORMAT}"`);
  }
  if (json.version !== 1 && json.version !== 2 && json.version !== INTENT_MODEL_VERSION) {
    throw new IntentModelFormatError(
      'version',
      `unsupported version ${String(json.version)}; this build reads versions 1 to ${INTENT_MODEL_VERSION}`,
    );
  }
  const labels = stringArray(json.labels, 'labels');
  if (labels.length < 2 || new Set(labels).size !== labels.length) {
    throw new IntentModelFormatError('labels', 'expected at least two distinct labels');
  }
  const k = labels.length;
  const f = upgradeFeatures(json.version, json.features);
  if (!isRecord(f)) throw new IntentModelFormatError('features', 'expected an object');
  const features: FeatureConfig = {
    wordNgrams: range(f.wordNgrams, 'features.wordNgrams'),
    charNgrams: range(f.charNgrams, 'features.charNgrams'),
    minDf: finite(f.minDf, 'features.minDf', 0),
    charWeight: finite(f.charWeight, 'features.charWeight', 0),
    maxChars: finite(f.maxChars, 'features.maxChars', 1),
    stemWords: boolean(f.stemWords, 'features.stemWords'),
    charAcrossWords: boolean(f.charAcrossWords, 'features.charAcrossWords'),
    expandContractions: boolean(f.expandContractions, 'features.expandContractions'),
    expandBareContractions: boolean(f.expandBareContractions, 'features.expandBareContractions'),
    boundaryTokens: boolean(f.boundaryTokens, 'features.boundaryTokens'),
    pairWeight: finite(f.pairWeight, 'features.pairWeight', 0),
    pairWindow: finite(f.pairWindow, 'features.pairWindow', 0),
    pairMinDf: finite(f.pairMinDf, 'features.pairMinDf', 0),
  };
  const terms = stringArray(json.vocabulary, 'vocabulary');
  const numFeatures = terms.length;
  const idfView = bytes(json.idf, 'idf', numFeatures * 4);
  const idf = new Float32Array(numFeatures);
  for (let i = 0; i < numFeatures; i++) idf[i] = idfView.getFloat32(i * 4, true);
  const vocab = vocabularyFromTerms(terms, idf);
  if (typeof vocab === 'number') {
    throw new IntentModelFormatError(
      `vocabulary.${vocab}`,
      'expected a unique term starting with "w:", "c:" or "p:"',
    );
  }
  const weightView = bytes(json.weights, 'weights', numFeatures * k * 2);
  const quantized = new Int16Array(numFeatures * k);
  for (let i = 0; i < quantized.length; i++) quantized[i] = weightView.getInt16(i * 2, true);
  const weightScales = numberArray(json.weightScales, 'weightScales', k);
  const bias = numberArray(json.bias, 'bias', k);
  const temperature = finite(json.temperature, 'temperature', Number.MIN_VALUE);
  if (
    json.calibration !== 'held-out' &&
    json.calibration !== 'leave-one-out' &&
    json.calibration !== 'train'
  ) {
    throw new IntentModelFormatError(
      'calibration',
      'expected "held-out", "leave-one-out" or "train"',
    );
  }
  const unknownThreshold = finite(json.unknownThreshold, 'unknownThreshold', 0);
  if (unknownThreshold > 1) throw new IntentModelFormatError('unknownThreshold', 'expected ≤ 1');
  const topK = finite(json.topK, 'topK', 1);
  return createModel({
    labels,
    features,
    terms,
    vocab,
    quantized,
    weightScales,
    scorer: {
      numFeatures,
      numClasses: k,
      weights: dequantize(quantized, weightScales, k),
      bias: Float32Array.from(bias),
    },
    temperature,
    calibration: json.calibration,
    unknownThreshold,
    topK,
  });
}
