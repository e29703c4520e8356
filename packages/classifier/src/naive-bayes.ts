/**
 * Multinomial naive Bayes over the same TF-IDF vectors, blended into the SVM as extra
 * linear weights: score_c(x) = svm_c(x) + β · Σ_f x_f log θ_fc. Both parts are linear in
 * x, so the blend is one weight matrix — no extra inference cost or model size. The
 * class prior is left out (uniform), which suits a test set with equal label counts.
 * In 3-fold CV on Banking77 this added about +0.5 pt over the SVM alone.
 */
import type { SparseVector } from './features';

export interface NaiveBayesCounts {
  /** Feature-major `counts[f * k + c]`: summed feature values of class c. */
  counts: Float64Array;
  /** Per class, the sum of all its feature values. */
  totals: Float64Array;
  numFeatures: number;
  numClasses: number;
}

export function countNaiveBayes(
  docs: readonly SparseVector[],
  labels: Int32Array,
  numClasses: number,
  numFeatures: number,
): NaiveBayesCounts {
  const counts = new Float64Array(numFeatures * numClasses);
  const totals = new Float64Array(numClasses);
  docs.forEach((doc, d) => {
    const c = labels[d] as number;
    for (let k = 0; k < doc.indices.length; k++) {
      const j = (doc.indices[k] as number) * numClasses + c;
      const v = doc.values[k] as number;
      counts[j] = (counts[j] as number) + v;
      totals[c] = (totals[c] as number) + v;
    }
  });
  return { counts, totals, numFeatures, numClasses };
}

/** Feature-major log θ_fc with Lidstone smoothing α. */
export function naiveBayesLogProbabilities(nb: NaiveBayesCounts, alpha: number): Float64Array {
  const k = nb.numClasses;
  const logDenominators = Array.from(nb.totals, (t) => Math.log(t + alpha * nb.numFeatures));
  const logTheta = new Float64Array(nb.counts.length);
  for (let j = 0; j < logTheta.length; j++) {
    logTheta[j] = Math.log((nb.counts[j] as number) + alpha) - (logDenominators[j % k] as number);
  }
  return logTheta;
}

/** Adds β · log θ to feature-major weights in place. */
export function addNaiveBayesWeights(
  weights: Float32Array,
  logTheta: Float64Array,
  beta: number,
): void {
  for (let j = 0; j < weights.length; j++) {
    weights[j] = (weights[j] as number) + beta * (logTheta[j] as number);
  }
}

/**
 * Adds β × the naive Bayes score to the rows of held-out examples (`heldOut[d] === 1`) of
 * `scores` (n × k, row-major), with counts from the other examples only: the naive Bayes
 * half of the calibration hold-out (see `SvmOptions.heldOut`).
 */
export function addNaiveBayesHeldOut(
  docs: readonly SparseVector[],
  labels: Int32Array,
  heldOut: Uint8Array,
  numClasses: number,
  numFeatures: number,
  alpha: number,
  beta: number,
  scores: Float64Array,
): void {
  const keep = docs.flatMap((_, d) => (heldOut[d] === 1 ? [] : [d]));
  const nb = countNaiveBayes(
    keep.map((d) => docs[d] as SparseVector),
    Int32Array.from(keep, (d) => labels[d] as number),
    numClasses,
    numFeatures,
  );
  const logTheta = naiveBayesLogProbabilities(nb, alpha);
  docs.forEach((doc, d) => {
    if (heldOut[d] !== 1) return;
    for (let q = 0; q < doc.indices.length; q++) {
      const v = beta * (doc.values[q] as number);
      const base = (doc.indices[q] as number) * numClasses;
      for (let c = 0; c < numClasses; c++) {
        const at = d * numClasses + c;
        scores[at] = (scores[at] as number) + v * (logTheta[base + c] as number);
      }
    }
  });
}
