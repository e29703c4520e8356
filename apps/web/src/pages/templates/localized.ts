import type { Language } from '../../i18n';

/** Text a template carries in both languages (`zh` is Simplified Chinese). */
export interface TemplateText {
  readonly en: string;
  readonly zh: string;
}

/**
 * A template's text in the UI language; the other language when that one is empty.
 *
 * @example
 * pickText({ en: 'Returns', zh: '退货' }, 'zh-CN'); // '退货'
 */
export function pickText(text: TemplateText, language: Language): string {
  const [preferred, other] = language === 'zh-CN' ? [text.zh, text.en] : [text.en, text.zh];
  return preferred.trim() === '' ? other : preferred;
}
