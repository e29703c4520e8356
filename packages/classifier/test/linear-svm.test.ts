import { describe, expect, it } from 'vitest';
import type { SparseVector } from '../src/features';
import {
  scoreVector,
  trainCrammerSingerSvm,
  trainOneVsRestSvm,
  type LinearScorer,
} from '../src/linear-svm';
import { createPrng } from '../src/prng';

// Three classes in four sparse dimensions: each class owns one feature, all share feature 3
// with random strength, so the data are separable but not trivially (shared mass).
function blobs(perClass: number, seed: number): { docs: SparseVector[]; labels: Int32Array } {
  const prng = createPrng(seed);
  const docs: SparseVector[] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      docs.push({
        indices: Int32Array.from([c, 3]),
        values: Float32Array.from([0.5 + prng.next(), prng.next() * 2]),
      });
      labels.push(c);
    }
  }
  return { docs, labels: Int32Array.from(labels) };
}

const argmax = (scorer: LinearScorer, doc: SparseVector): number => {
  const out = new Float64Array(scorer.numClasses);
  scoreVector(scorer, doc, out);
  let best = 0;
  for (let c = 1; c < out.length; c++) if ((out[c] as number) > (out[best] as number)) best = c;
  return best;
};

const base = { tolerance: 0.01, maxEpochs: 500, seed: 3, biasFeature: 1 };

describe('Crammer–Singer SVM', () => {
  const { docs, labels } = blobs(20, 1);

  it('on separable data with a large C, the true class leads every other by the margin 1', () => {
    const scorer = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1000 });
    const out = new Float64Array(3);
    docs.forEach((doc, i) => {
      scoreVector(scorer, doc, out);
      const truth = labels[i] as number;
      for (let m = 0; m < 3; m++) {
        if (m !== truth) expect((out[truth] as number) - (out[m] as number)).toBeGreaterThan(0.98);
      }
    });
  });

  it('a small C shrinks the weights (regularisation) and still classifies', () => {
    const loose = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1000 });
    const tight = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 0.01 });
    const norm = (s: LinearScorer): number => Math.hypot(...s.weights);
    expect(norm(tight)).toBeLessThan(norm(loose) / 2);
    docs.forEach((doc, i) => {
      expect(argmax(tight, doc)).toBe(labels[i]);
    });
  });

  it('weights sum to zero over classes for every feature (Σ_m α_m = 0 per example)', () => {
    const scorer = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1 });
    for (let f = 0; f < 4; f++) {
      const sum = [0, 1, 2].reduce((s, m) => s + (scorer.weights[f * 3 + m] as number), 0);
      expect(Math.abs(sum)).toBeLessThan(1e-5);
    }
    expect(Math.abs(scorer.bias.reduce((a, b) => a + b, 0))).toBeLessThan(1e-5);
  });

  it('is deterministic for a seed', () => {
    const a = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1 });
    const b = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  it('scores held-out rows before they join, and ends near the full solution', () => {
    const heldOut = Uint8Array.from(labels, (_, i) => (i % 5 === 0 ? 1 : 0));
    const heldOutScores = new Float64Array(labels.length * 3);
    const warm = trainCrammerSingerSvm(docs, labels, 3, 4, {
      ...base,
      c: 1,
      heldOut,
      heldOutScores,
    });
    const cold = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1 });
    labels.forEach((_, i) => {
      const row = Array.from(heldOutScores.subarray(i * 3, i * 3 + 3));
      if (heldOut[i] === 1) expect(row.some((v) => v !== 0)).toBe(true);
      else expect(row).toEqual([0, 0, 0]);
    });
    // Same convex problem, solved to the same tolerance from two starts.
    warm.weights.forEach((w, j) => {
      expect(w).toBeCloseTo(cold.weights[j] as number, 1);
    });
  });

  it('class weights move the boundary towards the lighter class', () => {
    // Class 0 and 1 share all their mass on feature 3: only the bias and C decide.
    const overlap: SparseVector[] = Array.from({ length: 20 }, () => ({
      indices: Int32Array.from([3]),
      values: Float32Array.from([1]),
    }));
    const y = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
    const favour1 = trainCrammerSingerSvm(overlap, y, 2, 4, {
      ...base,
      c: 1,
      classWeights: Float64Array.from([1, 5]),
    });
    const favour0 = trainCrammerSingerSvm(overlap, y, 2, 4, {
      ...base,
      c: 1,
      classWeights: Float64Array.from([5, 1]),
    });
    expect(argmax(favour1, overlap[0] as SparseVector)).toBe(1);
    expect(argmax(favour0, overlap[0] as SparseVector)).toBe(0);
  });

  it('reports monotone progress ending at 1', () => {
    const seen: number[] = [];
    trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1, onEpoch: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (seen[i - 1] ?? 0)))).toBe(
      true,
    );
  });

  it('agrees with the one-vs-rest solver on which class each training point is', () => {
    const cs = trainCrammerSingerSvm(docs, labels, 3, 4, { ...base, c: 1 });
    const ovr = trainOneVsRestSvm(docs, labels, 3, 4, { ...base, c: 1 });
    docs.forEach((doc) => {
      expect(argmax(cs, doc)).toBe(argmax(ovr, doc));
    });
  });
});
