import { describe, expect, it } from 'vitest';
import { getMessageKeys, getResources } from './resources';
import type { Messages } from './resources';

describe('getResources', () => {
  it('keys each file by the language and namespace in its path', () => {
    const resources = getResources({
      '/src/i18n/locales/en/common.json': { default: { ok: 'OK' } },
      '/src/i18n/locales/zh-CN/common.json': { default: { ok: '确定' } },
      '/src/designer/locales/en/designer.json': { default: { palette: 'Palette' } },
    });
    expect(resources).toEqual({
      en: { common: { ok: 'OK' }, designer: { palette: 'Palette' } },
      'zh-CN': { common: { ok: '确定' } },
    });
  });

  it('ignores languages the app does not ship and paths outside locales/<lang>/', () => {
    const resources = getResources({
      '/src/i18n/locales/fr/common.json': { default: { ok: "D'accord" } },
      '/src/i18n/common.json': { default: { ok: 'x' } },
    });
    expect(resources).toEqual({ en: {}, 'zh-CN': {} });
  });

  it('merges two files of one namespace deeply, the later path winning on a clash', () => {
    const resources = getResources({
      '/src/b/locales/en/common.json': { default: { nav: { b: 'B', both: 'from b' } } },
      '/src/a/locales/en/common.json': { default: { nav: { a: 'A', both: 'from a' } } },
    });
    expect(resources.en.common).toEqual({ nav: { a: 'A', b: 'B', both: 'from b' } });
  });
});

/** Keys without i18next plural suffixes: Chinese has one plural form where English has two. */
function getBaseKeys(messages: Messages): Set<string> {
  return new Set(
    getMessageKeys(messages).map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')),
  );
}

describe('the shipped translations', () => {
  const files = import.meta.glob<{ default: Messages }>('/src/**/locales/*/*.json', {
    eager: true,
  });
  const resources = getResources(files);

  it('include the namespaces of every area', () => {
    for (const namespace of ['common', 'flows', 'templates', 'versions']) {
      expect(Object.keys(resources.en)).toContain(namespace);
      expect(Object.keys(resources['zh-CN'])).toContain(namespace);
    }
  });

  // Every English string has a Chinese one. (Chinese-only keys are fine: the designer translates
  // lint messages by code, where English shows the linter's own sentence.)
  it.each(Object.keys(resources.en))(
    'translates every English key into Chinese: %s',
    (namespace) => {
      const en = getBaseKeys(resources.en[namespace] ?? {});
      const zh = getBaseKeys(resources['zh-CN'][namespace] ?? {});
      expect([...en].filter((key) => !zh.has(key))).toEqual([]);
    },
  );

  it('uses the same {{placeholders}} in both languages', () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const flat = (messages: Messages, prefix = ''): [string, string][] =>
      Object.entries(messages).flatMap(([key, value]) =>
        typeof value === 'string' ? [[prefix + key, value]] : flat(value, `${prefix}${key}.`),
      );
    for (const [namespace, messages] of Object.entries(resources.en)) {
      const zh = new Map(flat(resources['zh-CN'][namespace] ?? {}));
      for (const [key, text] of flat(messages)) {
        const base = key.replace(/_(one|other)$/, '');
        const other = zh.get(key) ?? zh.get(`${base}_other`) ?? zh.get(base);
        if (other === undefined) continue;
        expect(placeholders(other), `${namespace}:${key}`).toEqual(placeholders(text));
      }
    }
  });
});
