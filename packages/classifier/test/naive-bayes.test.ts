import { describe, expect, it } from 'vitest';
import type { SparseVector } from '../src/features';
import {
  addNaiveBayesHeldOut,
  addNaiveBayesWeights,
  countNaiveBayes,
  naiveBayesLogProbabilities,
} from '../src/naive-bayes';

const vec = (pairs: [number, number][]): SparseVector => ({
  indices: Int32Array.from(pairs.map(([i]) => i)),
  values: Float32Array.from(pairs.map(([, v]) => v)),
});

const docs = [
  vec([
    [0, 0.5],
    [1, 0.5],
  ]),
  vec([
    [0, 0.25],
    [2, 1],
  ]),
  vec([[3, 1]]),
  vec([
    [2, 0.5],
    [3, 0.75],
  ]),
  vec([
    [1, 1],
    [3, 0.125],
  ]),
];
const labels = Int32Array.from([0, 0, 1, 1, 2]);
const k = 3;
const f = 4;
const alpha = 0.1;
const beta = 0.5;

/** Naive Bayes score of `doc` for every class, from scratch, over `train` only. */
function bruteForceScores(train: number[], doc: SparseVector): number[] {
  return Array.from({ length: k }, (_, c) => {
    const counts = new Array<number>(f).fill(0);
    let total = 0;
    for (const d of train) {
      if (labels[d] !== c) continue;
      const x = docs[d] as SparseVector;
      x.indices.forEach((fi, q) => {
        counts[fi] = (counts[fi] ?? 0) + (x.values[q] ?? 0);
        total += x.values[q] ?? 0;
      });
    }
    let s = 0;
    doc.indices.forEach((fi, q) => {
      s += (doc.values[q] ?? 0) * Math.log(((counts[fi] ?? 0) + alpha) / (total + alpha * f));
    });
    return s;
  });
}

describe('naive Bayes blend', () => {
  const nb = countNaiveBayes(docs, labels, k, f);
  const logTheta = naiveBayesLogProbabilities(nb, alpha);

  it('adds β · log θ to the weights', () => {
    const weights = new Float32Array(f * k);
    addNaiveBayesWeights(weights, logTheta, beta);
    const all = docs.map((_, d) => d);
    const x = vec([[0, 1]]);
    const expected = bruteForceScores(all, x);
    for (let c = 0; c < k; c++)
      expect(weights[0 * k + c]).toBeCloseTo(beta * (expected[c] ?? 0), 5);
  });

  it('held-out scores equal counting without the held-out examples', () => {
    const heldOut = Uint8Array.from([0, 1, 0, 1, 0]);
    const scores = new Float64Array(docs.length * k).fill(0.25);
    addNaiveBayesHeldOut(docs, labels, heldOut, k, f, alpha, beta, scores);
    const rest = [0, 2, 4];
    docs.forEach((doc, d) => {
      const expected = bruteForceScores(rest, doc);
      for (let c = 0; c < k; c++) {
        // Held-out rows get β · score added; the others are left alone.
        const want = heldOut[d] === 1 ? 0.25 + beta * (expected[c] ?? 0) : 0.25;
        expect(scores[d * k + c]).toBeCloseTo(want, 5);
      }
    });
  });
});
