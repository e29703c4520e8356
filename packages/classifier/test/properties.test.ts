import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKeywordClassifier,
  normalizeText,
  parseLabelledCsv,
  trainIntentModel,
} from '../src/index';
import { syntheticExamples } from './fixtures';

// Generous budgets: CI machines are small and shared; these are not timing assertions.
const SLOW = 120_000;

const keywords = createKeywordClassifier([
  { id: 'login', category: 'account', any: ['log in', '登录'], none: ['spam'] },
  { id: 'refund', category: 'billing', all: ['refund'], scope: 'subject' },
  { id: 'emoji', category: 'fun', any: ['😀 party'] },
]);
const model = trainIntentModel(syntheticExamples(), { seed: 11 });

// Any UTF-16 code units, including lone surrogates and control characters.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u200b',
      '\ud800',
      '\udfff',
      '登',
      '录',
      ' ',
      'a',
      '\u3000',
    ),
    maxLength: 200,
  }),
);

const special = [
  '',
  ' ',
  '\u0000\u0001\u001f\u007f',
  '\ud800',
  '\udc00abc\ud83d',
  '😀🎉👨‍👩‍👧‍👦',
  '\u202e\u200d\ufeff',
  'x'.repeat(1_000_000),
  '登录'.repeat(500_000),
  'log in '.repeat(150_000),
];

function checkPrediction(text: string): void {
  const prediction = model.predict(text);
  expect(Number.isFinite(prediction.confidence)).toBe(true);
  expect(prediction.confidence).toBeGreaterThan(0);
  expect(prediction.confidence).toBeLessThanOrEqual(1);
  expect(model.labels.includes(prediction.label) || prediction.label === 'unknown').toBe(true);
  expect(prediction.top.length).toBeGreaterThan(0);
}

describe('no input string throws', () => {
  it.each(
    special.map((s) => [
      s.length > 40 ? `${s.slice(0, 12)}… (${s.length} units)` : JSON.stringify(s),
      s,
    ]),
  )('special input %s', (_name, text) => {
    expect(() => keywords.classify({ subject: text, description: text })).not.toThrow();
    checkPrediction(text);
    expect(typeof normalizeText(text)).toBe('string');
  });

  it(
    'a 1 MB description still matches a keyword near the end',
    () => {
      const text = `${'filler '.repeat(150_000)}I cannot log in`;
      expect(keywords.classify({ description: text })?.ruleId).toBe('login');
    },
    SLOW,
  );

  it(
    'keyword classify accepts any strings',
    () => {
      fc.assert(
        fc.property(anyText, anyText, (subject, description) => {
          const match = keywords.classify({ subject, description });
          expect(match === null || typeof match.ruleId === 'string').toBe(true);
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );

  it(
    'predict accepts any string and gives a probability',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          checkPrediction(text);
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );

  it(
    'predict is a pure function of its input',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          expect(model.predict(text)).toEqual(model.predict(text));
        }),
        { numRuns: 100 },
      );
    },
    SLOW,
  );

  it(
    'parseLabelledCsv either parses or throws its own error',
    () => {
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', 'x', ' '), maxLength: 80 }),
          (body) => {
            try {
              parseLabelledCsv(`text,label\n${body}`);
            } catch (error: unknown) {
              expect((error as Error).name).toBe('CsvFormatError');
            }
          },
        ),
        { numRuns: 500 },
      );
    },
    SLOW,
  );
});
