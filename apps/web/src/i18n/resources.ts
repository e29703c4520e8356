/** The languages the app ships; `en` is the fallback for any missing key. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A translation namespace: nested objects of strings. */
export interface Messages {
  readonly [key: string]: string | Messages;
}

export type Resources = Record<Language, Record<string, Messages>>;

const LOCALE_FILE = /\/locales\/([^/]+)\/([^/]+)\.json$/;

/**
 * Turns the namespace files found by `import.meta.glob('/src/**\/locales/*\/*.json')` into i18next
 * resources: `…/locales/<language>/<namespace>.json`. Files for languages the app does not ship
 * are ignored; two files for the same language and namespace are merged (later keys win), so a
 * module may keep its strings next to its code.
 *
 * @example
 * getResources({ '/src/i18n/locales/en/common.json': { default: { ok: 'OK' } } });
 * // → { en: { common: { ok: 'OK' } }, 'zh-CN': {} }
 */
export function getResources(
  files: Readonly<Record<string, { readonly default: Messages }>>,
): Resources {
  const resources: Resources = { en: {}, 'zh-CN': {} };
  for (const path of Object.keys(files).sort()) {
    const match = LOCALE_FILE.exec(path);
    const file = files[path];
    if (match === null || file === undefined) continue;
    const [, language, namespace] = match;
    if (!isLanguage(language) || namespace === undefined) continue;
    const byNamespace = resources[language];
    byNamespace[namespace] = mergeMessages(byNamespace[namespace] ?? {}, file.default);
  }
  return resources;
}

function mergeMessages(base: Messages, extra: Messages): Messages {
  const merged: Record<string, string | Messages> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = merged[key];
    merged[key] =
      typeof value === 'object' && typeof existing === 'object'
        ? mergeMessages(existing, value)
        : value;
  }
  return merged;
}

/** Every key of a namespace as a dotted path (`nav.flows`), for completeness checks. */
export function getMessageKeys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [prefix + key] : getMessageKeys(value, `${prefix}${key}.`),
  );
}
