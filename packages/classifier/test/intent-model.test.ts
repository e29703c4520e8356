import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  evaluate,
  IntentModelFormatError,
  IntentTrainingError,
  loadIntentModel,
  trainIntentModel,
  UNKNOWN_LABEL,
  type IntentModel,
  type IntentModelJson,
  type IntentPrediction,
} from '../src/index';
import { createPrng } from '../src/prng';
import { syntheticExamples } from './fixtures';

const examples = syntheticExamples();
const readJson = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./model-fixtures/${name}`, import.meta.url), 'utf8'));
const model = trainIntentModel(examples, { seed: 7 });

describe('trainIntentModel', () => {
  it('learns the synthetic bilingual intents', () => {
    expect(model.labels).toEqual(['card_arrival', 'login', 'refund', 'top_up']);
    expect(evaluate(model, examples).accuracy).toBe(1);
  });

  it.each([
    ['my card never arrived', 'card_arrival'],
    ['I would like a refund', 'refund'],
    ['can not log in to the app', 'login'],
    ['top up failed', 'top_up'],
    ['卡还没有收到', 'card_arrival'],
    ['我想退款', 'refund'],
    ['無法登錄', 'login'], // traditional input, simplified training data
    ['充值失败了', 'top_up'],
    ['ＴＯＰ ＵＰ', 'top_up'], // full-width
  ])('predicts %s → %s', (text, label) => {
    const prediction = model.predict(text);
    expect(prediction.top[0]?.label).toBe(label);
    expect(prediction.label).toBe(label);
  });

  it('returns calibrated, ordered probabilities', () => {
    const prediction = model.predict('refund please');
    const scores = prediction.top.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(prediction.confidence).toBe(scores[0]);
    expect(prediction.top).toHaveLength(4);
    const sum = scores.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
  });

  it('answers unknown below the threshold', () => {
    const cautious = trainIntentModel(examples, { seed: 7, unknownThreshold: 0.8 });
    for (const text of ['qwerty', '今天天气很好', '']) {
      const prediction = cautious.predict(text);
      expect(prediction.label).toBe(UNKNOWN_LABEL);
      expect(prediction.confidence).toBeLessThan(0.8);
      expect(prediction.top[0]?.label).not.toBe(UNKNOWN_LABEL);
    }
    expect(cautious.predict('我要退款').label).toBe('refund');
    expect(cautious.predict('refund please').label).toBe('refund');
    expect(evaluate(cautious, [{ text: 'qwerty', label: 'refund' }]).unknownRate).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const again = trainIntentModel(examples, { seed: 7 });
    expect(again.toJSON()).toEqual(model.toJSON());
  });

  it('reports progress from 0 to 1, never going back', () => {
    const seen: number[] = [];
    trainIntentModel(examples, { onProgress: (f) => seen.push(f) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= (seen[i - 1] ?? 0))).toBe(true);
    expect(seen.length).toBeGreaterThan(4);
  });

  it.each([
    ['no examples', []],
    [
      'one label',
      [
        { text: 'a', label: 'x' },
        { text: 'b', label: 'x' },
      ],
    ],
    [
      'reserved label',
      [
        { text: 'a', label: 'x' },
        { text: 'b', label: 'unknown' },
      ],
    ],
    [
      'blank label',
      [
        { text: 'a', label: 'x' },
        { text: 'b', label: ' ' },
      ],
    ],
  ])('refuses %s', (_name, bad) => {
    expect(() => trainIntentModel(bad)).toThrow(IntentTrainingError);
  });
});

describe('serialisation', () => {
  const json = JSON.parse(JSON.stringify(model.toJSON())) as IntentModelJson;

  it('writes a versioned plain JSON object', () => {
    expect(json.format).toBe('switchyard.intent-model');
    expect(json.version).toBe(3);
    expect(json.calibration).toBe('held-out');
    expect(json.features).toMatchObject({ expandBareContractions: true, boundaryTokens: true });
    expect(json.labels).toEqual(model.labels);
  });

  it('reloads with identical predictions', () => {
    const reloaded = loadIntentModel(json);
    for (const text of [...examples.map((e) => e.text), 'anything else', '', '😀']) {
      expect(reloaded.predict(text)).toEqual(model.predict(text));
    }
    expect(reloaded.toJSON()).toEqual(json);
  });

  it.each<[string, (j: Record<string, unknown>) => void, RegExp]>([
    ['wrong format', (j) => (j.format = 'other'), /at format/],
    ['future version', (j) => (j.version = 99), /at version: unsupported version 99/],
    [
      'version 2 without pair settings',
      (j) => delete (j.features as Record<string, unknown>).pairWeight,
      /at features\.pairWeight/,
    ],
    [
      'version 3 without boundary markers setting',
      (j) => delete (j.features as Record<string, unknown>).boundaryTokens,
      /at features\.boundaryTokens/,
    ],
    ['unknown calibration', (j) => (j.calibration = 'vibes'), /at calibration/],
    ['labels not strings', (j) => (j.labels = ['a', 1]), /at labels\.1/],
    ['truncated weights', (j) => (j.weights = 'AAAA'), /at weights: expected \d+ bytes/],
    ['weights not base64', (j) => (j.weights = '***'), /at weights: expected a base64 string/],
    ['bias wrong length', (j) => (j.bias = [0]), /at bias/],
    ['negative temperature', (j) => (j.temperature = -1), /at temperature/],
    [
      'bad n-gram range',
      (j) => ((j.features as Record<string, unknown>).charNgrams = [5, 2]),
      /at features\.charNgrams/,
    ],
    ['threshold above 1', (j) => (j.unknownThreshold = 2), /at unknownThreshold/],
    ['unprefixed term', (j) => ((j.vocabulary as string[])[3] = 'plain'), /at vocabulary\.3/],
    [
      'missing feature flag',
      (j) => delete (j.features as Record<string, unknown>).stemWords,
      /at features\.stemWords/,
    ],
  ])('rejects %s, naming the field', (_name, mutate, message) => {
    const bad = structuredClone(json) as unknown as Record<string, unknown>;
    mutate(bad);
    expect(() => loadIntentModel(bad)).toThrow(IntentModelFormatError);
    expect(() => loadIntentModel(bad)).toThrow(message);
  });

  it('loads a version 1 file (written before word pairs) and predicts as it did then', () => {
    // Both files were written by the version 1 code (commit fb28f48) from the synthetic
    // fixtures with seed 7; the predictions are what that code answered.
    const v1 = loadIntentModel(readJson('intent-model-v1.json'));
    const expected = readJson('intent-model-v1.predictions.json') as ({
      text: string;
    } & IntentPrediction)[];
    expect(expected.length).toBeGreaterThan(3);
    for (const { text, ...prediction } of expected) {
      const actual = v1.predict(text);
      expect(actual.label).toBe(prediction.label);
      expect(actual.top.map((t) => t.label)).toEqual(prediction.top.map((t) => t.label));
      expect(actual.confidence).toBeCloseTo(prediction.confidence, 12);
    }
    const upgraded = v1.toJSON();
    expect(upgraded.version).toBe(3);
    expect(upgraded.features).toMatchObject({
      pairWeight: 0,
      expandContractions: false,
      expandBareContractions: false,
      boundaryTokens: false,
    });
    expect(upgraded.calibration).toBe('leave-one-out');
  });

  it('loads a version 2 file (one-vs-rest, no boundary markers) and predicts as it did then', () => {
    // Written by the version 2 code (commit 06a21e6) from the synthetic fixtures with
    // seed 7, with that code's answers; the texts include apostrophe-less contractions,
    // which version 3 features would read differently.
    const v2 = loadIntentModel(readJson('intent-model-v2.json'));
    const expected = readJson('intent-model-v2.predictions.json') as ({
      text: string;
    } & IntentPrediction)[];
    expect(expected.some((e) => e.text.includes('didnt'))).toBe(true);
    for (const { text, ...prediction } of expected) {
      const actual = v2.predict(text);
      expect(actual.label).toBe(prediction.label);
      expect(actual.top.map((t) => t.label)).toEqual(prediction.top.map((t) => t.label));
      expect(actual.confidence).toBeCloseTo(prediction.confidence, 12);
    }
    const upgraded = v2.toJSON();
    expect(upgraded.version).toBe(3);
    expect(upgraded.features).toMatchObject({
      pairWeight: 0.6,
      expandBareContractions: false,
      boundaryTokens: false,
    });
    expect(
      loadIntentModel(JSON.parse(JSON.stringify(upgraded))).predict('why didnt it work'),
    ).toEqual(v2.predict('why didnt it work'));
  });

  it('rejects non-objects', () => {
    expect(() => loadIntentModel(null)).toThrow(/at \(root\)/);
    expect(() => loadIntentModel([])).toThrow(IntentModelFormatError);
  });
});

describe('crossValidate and evaluate', () => {
  it('cross-validates deterministically with per-fold figures', () => {
    const a = crossValidate(examples, { folds: 4, seed: 3 });
    const b = crossValidate(examples, { folds: 4, seed: 3 });
    expect(a).toEqual(b);
    expect(a.perFold).toHaveLength(4);
    expect(a.perFold.reduce((n, f) => n + f.size, 0)).toBe(examples.length);
    expect(a.accuracy).toBeGreaterThan(0.8);
    expect(a.macroF1).toBeGreaterThan(0.8);
    const total = a.confusion.matrix.flat().reduce((x, y) => x + y, 0);
    expect(total).toBe(examples.length);
  }, 60_000);

  it('computes accuracy, macro-F1 and confusion by hand-checkable counts', () => {
    const test = [
      { text: '我要退款', label: 'refund' },
      { text: 'my card has not arrived', label: 'card_arrival' },
      { text: 'my card has not arrived', label: 'login' }, // deliberately mislabelled
      { text: 'x', label: 'not_a_model_label' },
    ];
    const result = evaluate(model, test);
    expect(result.confusion.labels).toContain('not_a_model_label');
    const row = (label: string): number[] =>
      result.confusion.matrix[result.confusion.labels.indexOf(label)] ?? [];
    const col = (label: string): number => result.confusion.labels.indexOf(label);
    expect(row('refund')[col('refund')]).toBe(1);
    expect(row('login')[col('card_arrival')]).toBe(1);
    expect(result.accuracy).toBe(0.5);
  });

  it('rejects a bad fold count', () => {
    expect(() => crossValidate(examples, { folds: 1 })).toThrow(RangeError);
  });
});

describe('options', () => {
  it('the one-vs-rest solver (the default before version 3) also learns the intents', () => {
    const ovr = trainIntentModel(examples, { solver: 'one-vs-rest', seed: 7 });
    expect(evaluate(ovr, examples).accuracy).toBe(1);
    expect(ovr.toJSON().weights).not.toBe(model.toJSON().weights);
    expect(ovr.predict('我要退款').top[0]?.label).toBe('refund');
    const reloaded = loadIntentModel(JSON.parse(JSON.stringify(ovr.toJSON())));
    expect(reloaded.predict('top up failed')).toEqual(ovr.predict('top up failed'));
  });

  it('the hinge-loss SVM and class weighting also learn the synthetic intents', () => {
    const hinge = trainIntentModel(examples, { loss: 'hinge', classWeight: 'balanced', seed: 2 });
    expect(evaluate(hinge, examples).accuracy).toBe(1);
    expect(hinge.predict('我要退款').top[0]?.label).toBe('refund');
  });

  it('feature options are kept in the JSON and reload identically', () => {
    const custom = trainIntentModel(examples, {
      wordNgrams: [1, 3],
      charNgrams: [1, 4],
      stemWords: false,
      charAcrossWords: true,
      minDf: 2,
      calibrate: false,
    });
    const json = custom.toJSON();
    expect(json.features).toMatchObject({
      wordNgrams: [1, 3],
      charNgrams: [1, 4],
      stemWords: false,
      charAcrossWords: true,
      minDf: 2,
    });
    expect(json.calibration).toBe('train');
    const reloaded = loadIntentModel(JSON.parse(JSON.stringify(json)));
    expect(reloaded.predict('refund please')).toEqual(custom.predict('refund please'));
  });
});

describe('naive Bayes blend option', () => {
  it('changes the weights, and the SVM alone still learns', () => {
    const svmOnly = trainIntentModel(examples, { naiveBayesWeight: 0, seed: 7 });
    expect(svmOnly.toJSON().weights).not.toBe(model.toJSON().weights);
    expect(evaluate(svmOnly, examples).accuracy).toBe(1);
  });
});

describe('calibration', () => {
  // Overlapping synthetic intents: each text mixes words of its own label with words
  // shared by all labels, so some texts are genuinely ambiguous and accuracy is < 1.
  function noisyExamples(count: number, seed: number): { text: string; label: string }[] {
    const prng = createPrng(seed);
    const labels = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const shared = Array.from({ length: 40 }, (_, i) => `common${i}`);
    return Array.from({ length: count }, (_, i) => {
      const label = labels[i % labels.length] as string;
      const words = Array.from({ length: 6 }, () =>
        prng.next() < 0.3
          ? `${label}${prng.nextInt(12)}`
          : (shared[prng.nextInt(shared.length)] as string),
      );
      return { text: words.join(' '), label };
    });
  }
  const train = noisyExamples(600, 1);
  const test = noisyExamples(600, 2);
  const meanConfidence = (m: IntentModel): number =>
    test.reduce((sum, e) => sum + m.predict(e.text).confidence, 0) / test.length;

  it('held-out calibration: stated confidence matches accuracy on new data', () => {
    const calibrated = trainIntentModel(train, { seed: 5 });
    expect(calibrated.toJSON().calibration).toBe('held-out');
    const result = evaluate(calibrated, test);
    expect(result.accuracy).toBeGreaterThan(0.6);
    expect(result.accuracy).toBeLessThan(0.97);
    expect(Math.abs(meanConfidence(calibrated) - result.accuracy)).toBeLessThan(0.05);
    expect(result.calibrationError).toBeLessThan(0.06);
  });
});
