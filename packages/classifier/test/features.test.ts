import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildVocabulary,
  DEFAULT_FEATURE_CONFIG,
  extractTerms,
  vectorize,
  vectorizeText,
  type FeatureConfig,
  type SparseVector,
} from '../src/features';
import { syntheticExamples } from './fixtures';

const asMap = (v: SparseVector): Map<number, number> =>
  new Map(Array.from(v.indices, (i, k) => [i, v.values[k] ?? 0]));

describe('vectorizeText (inference) matches vectorize(extractTerms()) (training)', () => {
  const texts = [
    ...syntheticExamples().map((e) => e.text),
    'emoji 😀😀 party 🎉 and a lone \ud800 surrogate',
    'ＦＵＬＬ width 無法登錄',
  ];
  const configs: FeatureConfig[] = [
    DEFAULT_FEATURE_CONFIG,
    { ...DEFAULT_FEATURE_CONFIG, charNgrams: [1, 3], charAcrossWords: true, stemWords: false },
    { ...DEFAULT_FEATURE_CONFIG, wordNgrams: [0, 0], charNgrams: [3, 6] },
  ];

  it.each(configs.map((c) => [JSON.stringify(c), c] as const))('config %s', (_name, config) => {
    const vocab = buildVocabulary(
      texts.map((t) => extractTerms(t, config)),
      config,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...texts),
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
        ),
        (text) => {
          const expected = asMap(vectorize(extractTerms(text, config), vocab, config));
          const actual = asMap(vectorizeText(text, vocab, config));
          expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
          for (const [i, v] of expected) expect(actual.get(i)).toBeCloseTo(v, 5);
        },
      ),
      { numRuns: 200 },
    );
  });
});
