import { describe, expect, it } from 'vitest';
import { pickText } from './localized';

describe('pickText', () => {
  it('picks the UI language and falls back to the other one when it is empty', () => {
    expect(pickText({ en: 'Returns', zh: '退货' }, 'en')).toBe('Returns');
    expect(pickText({ en: 'Returns', zh: '退货' }, 'zh-CN')).toBe('退货');
    expect(pickText({ en: 'Returns', zh: ' ' }, 'zh-CN')).toBe('Returns');
    expect(pickText({ en: '', zh: '退货' }, 'en')).toBe('退货');
  });
});
