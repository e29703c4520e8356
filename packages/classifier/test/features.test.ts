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
    { ...DEFAULT_FEATURE_CONFIG, pairMinDf: 1, pairWindow: 3, expandContractions: false },
    { ...DEFAULT_FEATURE_CONFIG, boundaryTokens: false, expandBareContractions: false },
  ];

  it.each(configs.map((c) => [JSON.stringify(c), c] as const))(
    'config %s',
    (_name, config) => {
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
      // Generous budget for small shared CI machines; not a timing assertion.
    },
    60_000,
  );
});

describe('extractTerms', () => {
  const pairsOf = (text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): string[] =>
    [...extractTerms(text, config).pairs.keys()].sort();
  const wordsOf = (text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): string[] =>
    [...extractTerms(text, config).words.keys()].sort();

  it.each<[string, string, string[]]>([
    // why, transfer, declined (stemmed declin); was and my are function words.
    [
      'question word pairs',
      'Why was my transfer declined?',
      ['declin transfer', 'declin why', 'transfer why'],
    ],
    ['contraction spelled out', "I can't log in", ['can log', 'can not', 'log not']],
    ['Chinese words pair up too', '无法登录后台', ['后台 无法', '后台 登录', '无法 登录'].sort()],
    ['a repeated word does not pair with itself', 'card card', []],
    ['one content word has no pair', 'the card', []],
  ])('%s: %s', (_name, text, expected) => {
    expect(pairsOf(text)).toEqual(expected);
  });

  it('pairs words at most pairWindow content words apart', () => {
    const config = { ...DEFAULT_FEATURE_CONFIG, pairWindow: 1 };
    expect(pairsOf('alpha bravo charlie', config)).toEqual(['alpha bravo', 'bravo charlie']);
  });

  it('pairWeight 0 turns pairs off', () => {
    expect(pairsOf('alpha bravo charlie', { ...DEFAULT_FEATURE_CONFIG, pairWeight: 0 })).toEqual(
      [],
    );
  });

  it.each<[string, string, string]>([
    ["isn't", 'is not', 'isn’t'],
    ["won't", 'will not', 'WON’T'],
    ["I'm", 'i am', 'I’M'],
    ['cannot', 'can not', 'CANNOT'],
  ])('%s reads as "%s" (and so does %s)', (contracted, spelled, curly) => {
    expect(wordsOf(contracted)).toEqual(wordsOf(spelled));
    expect(wordsOf(curly)).toEqual(wordsOf(spelled));
    const literal = { ...DEFAULT_FEATURE_CONFIG, expandContractions: false };
    expect(wordsOf(contracted, literal)).not.toEqual(wordsOf(spelled, literal));
  });

  it.each<[string, string]>([
    ['didnt', 'did not'],
    ['Doesnt', 'does not'],
    ['havent', 'have not'],
    ['cant', 'can not'],
    ['wont', 'will not'],
    ['im', 'i am'],
    ['Ive', 'i have'],
  ])('apostrophe-less %s reads as "%s"', (bare, spelled) => {
    expect(wordsOf(`why ${bare} it work`)).toEqual(wordsOf(`why ${spelled} it work`));
    const off = { ...DEFAULT_FEATURE_CONFIG, expandBareContractions: false };
    expect(wordsOf(`why ${bare} it work`, off)).not.toEqual(wordsOf(`why ${spelled} it work`, off));
  });

  it.each(['ill', 'well', 'were', 'its', 'wants', 'want', 'mint', 'client'])(
    'leaves the word "%s" alone',
    (word) => {
      expect(wordsOf(word)).toContain(word === 'wants' ? 'want' : word);
    },
  );

  it('boundary markers open and close the word n-grams, not pairs or characters', () => {
    const terms = extractTerms('Why verify', DEFAULT_FEATURE_CONFIG);
    expect([...terms.words.keys()].sort()).toEqual(
      ['$', '^', '^ why', 'verify', 'verify $', 'why', 'why verify'].sort(),
    );
    expect([...terms.pairs.keys()]).toEqual(['verify why']);
    expect([...terms.chars.keys()].some((c) => c.includes('^') || c.includes('$'))).toBe(false);
    const off = { ...DEFAULT_FEATURE_CONFIG, boundaryTokens: false };
    expect([...extractTerms('Why verify', off).words.keys()].sort()).toEqual(
      ['verify', 'why', 'why verify'].sort(),
    );
    expect(extractTerms('', DEFAULT_FEATURE_CONFIG).words.size).toBe(0);
    expect(extractTerms('^ $', DEFAULT_FEATURE_CONFIG).words.size).toBe(0);
  });

  it('drops pairs seen in fewer than pairMinDf texts from the vocabulary', () => {
    const docs = ['alpha bravo', 'alpha bravo charlie', 'delta echo'].map((t) =>
      extractTerms(t, DEFAULT_FEATURE_CONFIG),
    );
    const vocab = buildVocabulary(docs, DEFAULT_FEATURE_CONFIG);
    expect([...vocab.pairs.keys()]).toEqual(['alpha bravo']);
    expect(vocab.words.has('delta echo')).toBe(true);
  });
});
