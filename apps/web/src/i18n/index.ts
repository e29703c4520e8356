import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { getResources, isLanguage, LANGUAGES } from './resources';
import type { Language, Messages } from './resources';

export { LANGUAGES, isLanguage };
export type { Language };

const STORAGE_KEY = 'switchyard.language';

// Every `locales/<language>/<namespace>.json` under src/, so a module (the designer, the console)
// adds its own namespace by adding files, without touching this setup.
const files = import.meta.glob<{ default: Messages }>('/src/**/locales/*/*.json', { eager: true });
const resources = getResources(files);
const namespaces = [...new Set(LANGUAGES.flatMap((language) => Object.keys(resources[language])))];

/** The language remembered in this browser, else the browser's own preference. */
export function getStoredLanguage(): Language {
  const stored = readStorage();
  if (isLanguage(stored)) return stored;
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Switches the UI language and remembers it in this browser (the server keeps the per-user copy). */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  document.documentElement.lang = language;
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

/** The current UI language, as one of the shipped languages. */
export function getLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

const initial = getStoredLanguage();
document.documentElement.lang = initial;
void i18next.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: 'en',
  ns: namespaces,
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export { i18next };
