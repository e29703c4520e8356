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

/** Adds β · log θ (Lidstone smoothing α) to feature-major weights in place. */
export function addNaiveBayesWeights(
  weights: Float32Array,
  nb: NaiveBayesCounts,
  alpha: number,
  beta: number,
): void {
  const k = nb.numClasses;
  const logDenominators = Array.from(nb.totals, (t) => Math.log(t + alpha * nb.numFeatures));
  for (let f = 0; f < nb.numFeatures; f++) {
    for (let c = 0; c < k; c++) {
      const j = f * k + c;
      const logTheta = Math.log((nb.counts[j] as number) + alpha) - (logDenominators[c] as number);
      weights[j] = (weights[j] as number) + beta * logTheta;
    }
  }
}

/**
 * Adds β × the naive Bayes score of each training example with that example removed from
 * the counts (exact leave-one-out for this part) to `scores` (n × k, row-major).
 */
export function addNaiveBayesLeaveOneOut(
  docs: readonly SparseVector[],
  labels: Int32Array,
  nb: NaiveBayesCounts,
  alpha: number,
  beta: number,
  scores: Float64Array,
): void {
  const k = nb.numClasses;
  const aF = alpha * nb.numFeatures;
  docs.forEach((doc, d) => {
    const own = labels[d] as number;
    let mass = 0;
    for (const v of doc.values) mass += v;
    for (let c = 0; c < k; c++) {
      const total = (nb.totals[c] as number) - (c === own ? mass : 0);
      const logDen = Math.log(Math.max(total, 0) + aF);
      let s = 0;
      for (let q = 0; q < doc.indices.length; q++) {
        const v = doc.values[q] as number;
        const count =
          (nb.counts[(doc.indices[q] as number) * k + c] as number) - (c === own ? v : 0);
        s += v * (Math.log(Math.max(count, 0) + alpha) - logDen);
      }
      const at = d * k + c;
      scores[at] = (scores[at] as number) + beta * s;
    }
  });
}
