import { describe, expect, it } from 'vitest';
import {
  createKeywordClassifier,
  KeywordRuleError,
  validateKeywordRules,
  type KeywordRule,
} from '../src/index';

const rules: KeywordRule[] = [
  {
    id: 'refund-cn',
    category: 'billing',
    subcategory: 'refund',
    any: ['退款', '退货'],
    none: ['已经收到退款'],
    tags: ['zh'],
  },
  { id: 'login', category: 'account', subcategory: 'login', any: ['log in', 'login', '登录'] },
  { id: 'password', category: 'account', all: ['password', 'reset'], scope: 'subject' },
  { id: 'invoice', category: 'billing', any: ['invoice'], scope: 'description' },
  { id: 'card', category: 'cards', all: ['card'], any: ['lost', 'stolen'] },
  { id: 'pwd-cn', category: 'account', all: ['密码', '忘记'] },
];

const classifier = createKeywordClassifier(rules);

describe('keyword rules: English', () => {
  it.each([
    ['phrase across punctuation', { description: "I can't log in!" }, 'login'],
    ['phrase with hyphen', { subject: 'Cannot log-in since Monday' }, 'login'],
    ['case folding', { subject: 'LOGIN BROKEN' }, 'login'],
    ['all keywords, subject scope', { subject: 'Reset my password please' }, 'password'],
    ['all keywords across fields', { subject: 'my card', description: 'it was stolen' }, 'card'],
    ['description scope', { description: 'Where is my invoice?' }, 'invoice'],
    ['full-width Latin', { subject: 'ＬＯＧＩＮ failed' }, 'login'],
  ])('%s', (_name, input, ruleId) => {
    expect(classifier.classify(input)?.ruleId).toBe(ruleId);
  });

  it.each([
    ['whole words only', { description: 'too many logins today' }],
    ['subject-only rule ignores description', { description: 'reset password' }],
    ['description-only rule ignores subject', { subject: 'invoice' }],
    ['all requires every keyword', { subject: 'password help' }],
    ['all plus any needs an any keyword', { description: 'my card is fine' }],
    ['empty input', {}],
    ['phrase tokens must be consecutive', { description: 'log me in' }],
  ])('%s → no match', (_name, input) => {
    expect(classifier.classify(input)).toBeNull();
  });

  it('explains which rule and words matched', () => {
    expect(classifier.classify({ subject: 'Card lost', description: 'also stolen?' })).toEqual({
      ruleId: 'card',
      category: 'cards',
      tags: [],
      matched: [
        { keyword: 'card', field: 'subject' },
        { keyword: 'lost', field: 'subject' },
        { keyword: 'stolen', field: 'description' },
      ],
    });
  });

  it('first matching rule wins', () => {
    const match = classifier.classify({ subject: 'login', description: '退款' });
    expect(match?.ruleId).toBe('refund-cn');
  });
});

describe('keyword rules: Chinese', () => {
  it.each([
    ['keyword inside a longer word run', { description: '无法登录后台' }, 'login'],
    ['traditional input', { description: '無法登錄後台' }, 'login'],
    ['traditional refund', { subject: '我要退貨' }, 'refund-cn'],
    ['full-width punctuation and spaces', { subject: '请问，如何　退款？' }, 'refund-cn'],
    ['all keywords in traditional', { description: '我忘記了密碼' }, 'pwd-cn'],
    ['mixed language', { subject: 'App 登录 失败' }, 'login'],
  ])('%s', (_name, input, ruleId) => {
    expect(classifier.classify(input)?.ruleId).toBe(ruleId);
  });

  it('none excludes a match', () => {
    expect(classifier.classify({ description: '我已经收到退款了' })).toBeNull();
  });

  it('reports subcategory and tags', () => {
    expect(classifier.classify({ subject: '退款' })).toEqual({
      ruleId: 'refund-cn',
      category: 'billing',
      subcategory: 'refund',
      tags: ['zh'],
      matched: [{ keyword: '退款', field: 'subject' }],
    });
  });

  it('traditional keywords in rules match simplified text', () => {
    const c = createKeywordClassifier([{ id: 't', category: 'account', any: ['帳號'] }]);
    expect(c.classify({ description: '我的账号被锁了' })?.ruleId).toBe('t');
  });
});

describe('validateKeywordRules', () => {
  it('accepts good rules', () => {
    expect(validateKeywordRules(rules)).toEqual([]);
  });

  it.each<[string, KeywordRule[], { code: string; path: (string | number)[] }[]]>([
    [
      'blank keyword',
      [{ id: 'a', category: 'x', any: ['ok', '  '] }],
      [{ code: 'keyword/blank', path: [0, 'any', 1] }],
    ],
    [
      'punctuation-only keyword',
      [{ id: 'a', category: 'x', any: ['ok'], none: ['!!'] }],
      [{ code: 'keyword/blank', path: [0, 'none', 0] }],
    ],
    [
      'empty list and no positive keywords',
      [{ id: 'a', category: 'x', all: [] }],
      [
        { code: 'keyword/empty-list', path: [0, 'all'] },
        { code: 'rule/no-positive-keywords', path: [0] },
      ],
    ],
    [
      'only none',
      [{ id: 'a', category: 'x', none: ['spam'] }],
      [{ code: 'rule/no-positive-keywords', path: [0] }],
    ],
    [
      'duplicate id and blank category',
      [
        { id: 'a', category: 'x', any: ['a'] },
        { id: 'a', category: ' ', any: ['b'] },
      ],
      [
        { code: 'rule/duplicate-id', path: [1, 'id'] },
        { code: 'rule/category', path: [1, 'category'] },
      ],
    ],
  ])('%s', (_name, bad, expected) => {
    expect(validateKeywordRules(bad).map(({ code, path }) => ({ code, path }))).toEqual(expected);
  });

  it('createKeywordClassifier refuses invalid rules, naming the path', () => {
    expect(() => createKeywordClassifier([{ id: 'a', category: 'x', any: [''] }])).toThrow(
      KeywordRuleError,
    );
    expect(() => createKeywordClassifier([{ id: 'a', category: 'x', any: [''] }])).toThrow(
      /at 0\.any\.0/,
    );
  });
});
