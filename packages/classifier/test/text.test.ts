import { describe, expect, it } from 'vitest';
import { stemWord } from '../src/features';
import { normalizeText, tokenize } from '../src/normalize';

describe('normalizeText', () => {
  it.each([
    ['case folding', 'LOGIN Failed', 'login failed'],
    ['full-width to half-width', 'ＡＢＣ１２３！', 'abc123!'],
    ['ideographic space and runs of whitespace', 'a\u3000\t\n b', 'a b'],
    ['traditional to simplified', '無法登錄帳號，密碼錯誤', '无法登录账号,密码错误'],
    ['refund vocabulary', '退貨退款', '退货退款'],
    ['curly apostrophe', 'can’t', "can't"],
    ['lone surrogate survives', 'a\ud800b', 'a\ud800b'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('tokenize', () => {
  it.each([
    ['English words and apostrophes', "i can't log-in, ok?", ['i', "can't", 'log', 'in', 'ok']],
    ['Chinese word segmentation', '无法登录后台', ['无法', '登录', '后台']],
    ['mixed scripts', 'app登录失败 3 次', ['app', '登录', '失败', '3', '次']],
    ['emoji and punctuation only', '😀 !!! ...', []],
  ])('%s', (_name, input, expected) => {
    expect(tokenize(input)).toEqual(expected);
  });

  it('keeps only non-CJK words when CJK segmentation is off', () => {
    expect(tokenize('app登录失败 now', { segmentCjk: false })).toEqual(['app', 'now']);
  });

  it('segments a long CJK run in chunks without losing text', () => {
    const tokens = tokenize('登录'.repeat(1000));
    expect(tokens.join('')).toBe('登录'.repeat(1000));
  });
});

describe('stemWord', () => {
  it.each([
    ['refunds', 'refund'],
    ['charges', 'charge'],
    ['charged', 'charg'],
    ['topping', 'topp'],
    ['currencies', 'currency'],
    ['addresses', 'address'],
    ['status', 'status'],
    ['pass', 'pass'],
    ['is', 'is'],
    ['card', 'card'],
    ['登录', '登录'],
    ["can't", "can't"],
  ])('%s → %s', (word, stem) => {
    expect(stemWord(word)).toBe(stem);
  });
});
