/**
 * Linear SVMs by dual coordinate descent. Deterministic: the only randomness is a seeded
 * shuffle.
 * - `trainOneVsRestSvm`: one-vs-rest L2-regularised (squared-)hinge SVMs with shrinking
 *   (Hsieh et al. 2008; LIBLINEAR's `solve_l2r_l1l2_svc`).
 * - `trainCrammerSingerSvm`: one multi-class SVM (Keerthi et al. 2008; LIBLINEAR `-s 4`).
 */
import { createPrng } from './prng';
import type { SparseVector } from './features';

export interface SvmOptions {
  /** Inverse regularisation strength. */
  c: number;
  /** `squared-hinge` (LIBLINEAR -s 1, the default) or `hinge` (-s 3). */
  loss?: 'squared-hinge' | 'hinge';
  /** Per-class multiplier of C for examples of that class (class weighting). */
  classWeights?: Float64Array;
  /** Stopping tolerance on the projected-gradient range (LIBLINEAR's eps). */
  tolerance: number;
  maxEpochs: number;
  seed: number;
  /** Value of the constant feature that carries the intercept. */
  biasFeature: number;
  /** Called after each class finishes, with the fraction of classes done. */
  onClassDone?: (fraction: number) => void;
  /**
   * Calibration hold-out. Examples with `heldOut[i] === 1` are left out of a first solve;
   * when it converges, their scores under that solution go to `heldOutScores[i · k + c]`
   * (honest held-out scores), then they join and the solver carries on from there (warm
   * start) to the solution on all examples. The second phase starts close to the
   * optimum, so this costs far less than a second training run.
   */
  heldOut?: Uint8Array;
  heldOutScores?: Float64Array;
}

/** Feature-major weights: `weights[feature * numClasses + class]`; bias separate. */
export interface LinearScorer {
  numFeatures: number;
  numClasses: number;
  weights: Float32Array;
  bias: Float32Array;
}

export function trainOneVsRestSvm(
  docs: readonly SparseVector[],
  labels: Int32Array,
  numClasses: number,
  numFeatures: number,
  options: SvmOptions,
): LinearScorer {
  const n = docs.length;
  const weights = new Float32Array(numFeatures * numClasses);
  const bias = new Float32Array(numClasses);
  const squaredNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const values = (docs[i] as SparseVector).values;
    let s = options.biasFeature * options.biasFeature;
    for (let k = 0; k < values.length; k++) s += (values[k] as number) ** 2;
    squaredNorms[i] = s;
  }
  const w = new Float64Array(numFeatures + 1);
  const alpha = new Float64Array(n);
  const qd = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  const order = new Int32Array(n);
  const prng = createPrng(options.seed);
  const b = options.biasFeature;
  const hinge = options.loss === 'hinge';

  const dot = (i: number): number => {
    const doc = docs[i] as SparseVector;
    let sum = (w[numFeatures] as number) * b;
    for (let k = 0; k < doc.indices.length; k++) {
      sum += (w[doc.indices[k] as number] as number) * (doc.values[k] as number);
    }
    return sum;
  };
  const heldOut = options.heldOut;
  const firstPhase = Int32Array.from({ length: n }, (_, i) => i).filter((i) => heldOut?.[i] !== 1);
  const allExamples = Int32Array.from({ length: n }, (_, i) => i);

  /** Dual coordinate descent over `members` (from the current α and w) for one class. */
  const solve = (cls: number, members: Int32Array): void => {
    order.set(members);
    const size = members.length;
    let activeSize = size;
    let pgMinOld = -Infinity;
    let pgMaxOld = Infinity;
    for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
      let pgMaxNew = -Infinity;
      let pgMinNew = Infinity;
      for (let s = activeSize - 1; s > 0; s--) {
        const j = prng.nextInt(s + 1);
        const tmp = order[s] as number;
        order[s] = order[j] as number;
        order[j] = tmp;
      }
      for (let s = 0; s < activeSize; s++) {
        const i = order[s] as number;
        const yi = labels[i] === cls ? 1 : -1;
        const ai = alpha[i] as number;
        const g = yi * dot(i) - 1 + ai * (diag[i] as number);
        const ui = upper[i] as number;
        let pg = 0;
        if (ai === 0) {
          if (g > pgMaxOld) {
            activeSize--;
            order[s] = order[activeSize] as number;
            order[activeSize] = i;
            s--;
            continue;
          } else if (g < 0) {
            pg = g;
          }
        } else if (ai === ui) {
          if (g < pgMinOld) {
            activeSize--;
            order[s] = order[activeSize] as number;
            order[activeSize] = i;
            s--;
            continue;
          } else if (g > 0) {
            pg = g;
          }
        } else {
          pg = g;
        }
        if (pg > pgMaxNew) pgMaxNew = pg;
        if (pg < pgMinNew) pgMinNew = pg;
        if (Math.abs(pg) > 1e-12) {
          const next = Math.min(Math.max(ai - g / (qd[i] as number), 0), ui);
          alpha[i] = next;
          const d = (next - ai) * yi;
          const doc = docs[i] as SparseVector;
          for (let k = 0; k < doc.indices.length; k++) {
            const f = doc.indices[k] as number;
            w[f] = (w[f] as number) + d * (doc.values[k] as number);
          }
          w[numFeatures] = (w[numFeatures] as number) + d * b;
        }
      }
      if (pgMaxNew - pgMinNew <= options.tolerance) {
        if (activeSize === size) break;
        activeSize = size;
        pgMaxOld = Infinity;
        pgMinOld = -Infinity;
        continue;
      }
      pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
      pgMinOld = pgMinNew >= 0 ? -Infinity : pgMinNew;
    }
  };

  for (let cls = 0; cls < numClasses; cls++) {
    w.fill(0);
    alpha.fill(0);
    for (let i = 0; i < n; i++) {
      const weight = options.classWeights?.[labels[i] as number] ?? 1;
      // Squared hinge: diagonal 1/(2C), no upper bound. Hinge: no diagonal, α ≤ C.
      const d = hinge ? 0 : 0.5 / (options.c * weight);
      diag[i] = d;
      upper[i] = hinge ? options.c * weight : Infinity;
      qd[i] = d + (squaredNorms[i] as number);
    }
    if (heldOut !== undefined && firstPhase.length < n) {
      solve(cls, firstPhase);
      const out = options.heldOutScores;
      if (out !== undefined) {
        for (let i = 0; i < n; i++) if (heldOut[i] === 1) out[i * numClasses + cls] = dot(i);
      }
    }
    solve(cls, allExamples);
    for (let f = 0; f < numFeatures; f++) weights[f * numClasses + cls] = w[f] as number;
    bias[cls] = (w[numFeatures] as number) * b;
    options.onClassDone?.((cls + 1) / numClasses);
  }
  return { numFeatures, numClasses, weights, bias };
}

/** Raw decision scores of every class for one vector. */
export function scoreVector(model: LinearScorer, vector: SparseVector, out: Float64Array): void {
  const k = model.numClasses;
  for (let c = 0; c < k; c++) out[c] = model.bias[c] as number;
  const idx = vector.indices;
  const val = vector.values;
  const wts = model.weights;
  for (let j = 0; j < idx.length; j++) {
    const base = (idx[j] as number) * k;
    const v = val[j] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (wts[base + c] as number);
  }
}

export interface CrammerSingerOptions {
  /** Inverse regularisation strength. */
  c: number;
  /** Per-class multiplier of C for examples of that class (class weighting). */
  classWeights?: Float64Array;
  /** Stopping tolerance on the largest per-example gradient gap (LIBLINEAR's eps). */
  tolerance: number;
  maxEpochs: number;
  seed: number;
  /** Value of the constant feature that carries the intercept. */
  biasFeature: number;
  /**
   * Called after each epoch with a fraction done. The number of epochs is not known in
   * advance, so it rises geometrically (monotone, for a progress bar); 1 at the end.
   */
  onEpoch?: (fraction: number) => void;
  /** Calibration hold-out, exactly as in `SvmOptions.heldOut`. */
  heldOut?: Uint8Array;
  heldOutScores?: Float64Array;
  /** Receives the epochs each solve took (for benchmarks). */
  onStats?: (stats: { epochs: number }) => void;
}

const HOLD_OUT_TOLERANCE_FACTOR = 4;

/**
 * Crammer–Singer multi-class linear SVM by dual coordinate descent (Keerthi et al.
 * 2008; LIBLINEAR `-s 4`). One joint problem over all classes instead of k one-vs-rest
 * problems: the margin asked for is between the true class and the best wrong one,
 * which is what arg-max prediction needs. Per example the k dual variables are solved
 * exactly in closed form (sort and threshold). Deterministic: seeded shuffle only.
 */
export function trainCrammerSingerSvm(
  docs: readonly SparseVector[],
  labels: Int32Array,
  numClasses: number,
  numFeatures: number,
  options: CrammerSingerOptions,
): LinearScorer {
  const n = docs.length;
  const k = numClasses;
  const b = options.biasFeature;
  // Feature-major like the scorer; row `numFeatures` is the intercept feature.
  const w = new Float64Array((numFeatures + 1) * k);
  const alpha = new Float64Array(n * k);
  const squaredNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b * b;
    for (const v of (docs[i] as SparseVector).values) s += v * v;
    squaredNorms[i] = s;
  }
  const upper = Float64Array.from(
    labels,
    (label) => options.c * (options.classWeights?.[label] ?? 1),
  );
  const prng = createPrng(options.seed);
  const g = new Float64Array(k);
  const base = new Float64Array(k);
  const sorted = new Float64Array(k);
  const delta = new Float64Array(k);
  const changed = new Int32Array(k);
  const biasRow = numFeatures * k;

  const scoresOf = (i: number, out: Float64Array): void => {
    const doc = docs[i] as SparseVector;
    for (let m = 0; m < k; m++) out[m] = (w[biasRow + m] as number) * b;
    for (let q = 0; q < doc.indices.length; q++) {
      const row = (doc.indices[q] as number) * k;
      const v = doc.values[q] as number;
      for (let m = 0; m < k; m++) out[m] = (out[m] as number) + v * (w[row + m] as number);
    }
  };

  let epochsRun = 0;
  const solve = (members: Int32Array, tolerance: number): void => {
    const order = Int32Array.from(members);
    const epochsBefore = epochsRun;
    for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
      for (let s = order.length - 1; s > 0; s--) {
        const j = prng.nextInt(s + 1);
        const tmp = order[s] as number;
        order[s] = order[j] as number;
        order[j] = tmp;
      }
      let worstGap = 0;
      for (let s = 0; s < order.length; s++) {
        const i = order[s] as number;
        const yi = labels[i] as number;
        const a = squaredNorms[i] as number;
        const ci = upper[i] as number;
        const at = i * k;
        scoresOf(i, g);
        // Gradient of the dual: score + margin (1 for wrong classes, 0 for the truth).
        let minG = Infinity;
        let maxG = -Infinity;
        for (let m = 0; m < k; m++) {
          if (m !== yi) g[m] = (g[m] as number) + 1;
          const gm = g[m] as number;
          if (m !== yi && (alpha[at + m] as number) < 0 && gm < minG) minG = gm;
          if (gm > maxG) maxG = gm;
        }
        if ((alpha[at + yi] as number) < ci && (g[yi] as number) < minG) minG = g[yi] as number;
        if (maxG - minG > worstGap) worstGap = maxG - minG;
        if (maxG - minG <= 1e-12) continue;
        // Sub-problem: min ½·a·Σα² + Σ base·α, Σα = 0, α_m ≤ 0 (m ≠ y), α_y ≤ C.
        for (let m = 0; m < k; m++) {
          base[m] = (g[m] as number) - a * (alpha[at + m] as number);
          sorted[m] = base[m] as number;
        }
        sorted[yi] = (sorted[yi] as number) + a * ci;
        sorted.sort();
        // Descending walk over the sorted values finds the threshold β.
        let beta = (sorted[k - 1] as number) - a * ci;
        let r = 1;
        while (r < k && beta < r * (sorted[k - 1 - r] as number)) {
          beta += sorted[k - 1 - r] as number;
          r++;
        }
        beta /= r;
        let numChanged = 0;
        for (let m = 0; m < k; m++) {
          const bound = m === yi ? ci : 0;
          const next = Math.min(bound, (beta - (base[m] as number)) / a);
          const d = next - (alpha[at + m] as number);
          if (Math.abs(d) > 1e-12) {
            alpha[at + m] = next;
            delta[numChanged] = d;
            changed[numChanged++] = m;
          }
        }
        if (numChanged === 0) continue;
        const doc = docs[i] as SparseVector;
        for (let q = 0; q < doc.indices.length; q++) {
          const row = (doc.indices[q] as number) * k;
          const v = doc.values[q] as number;
          for (let c = 0; c < numChanged; c++) {
            const at2 = row + (changed[c] as number);
            w[at2] = (w[at2] as number) + (delta[c] as number) * v;
          }
        }
        for (let c = 0; c < numChanged; c++) {
          const at2 = biasRow + (changed[c] as number);
          w[at2] = (w[at2] as number) + (delta[c] as number) * b;
        }
      }
      epochsRun++;
      options.onEpoch?.(1 - 0.9 ** epochsRun);
      if (worstGap < tolerance) break;
    }
    options.onStats?.({ epochs: epochsRun - epochsBefore });
  };

  const heldOut = options.heldOut;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const firstPhase = all.filter((i) => heldOut?.[i] !== 1);
  if (heldOut !== undefined && firstPhase.length < n) {
    // The first solve only has to score the held-out rows for the temperature fit, and
    // the second carries on from it to the full tolerance, so it may stop earlier.
    solve(firstPhase, options.tolerance * HOLD_OUT_TOLERANCE_FACTOR);
    const out = options.heldOutScores;
    if (out !== undefined) {
      const row = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        if (heldOut[i] !== 1) continue;
        scoresOf(i, row);
        out.set(row, i * k);
      }
    }
  }
  solve(all, options.tolerance);
  options.onEpoch?.(1);
  const weights = new Float32Array(numFeatures * k);
  for (let j = 0; j < weights.length; j++) weights[j] = w[j] as number;
  const bias = new Float32Array(k);
  for (let m = 0; m < k; m++) bias[m] = (w[biasRow + m] as number) * b;
  return { numFeatures, numClasses, weights, bias };
}
