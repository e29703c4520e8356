import { isLanguage } from '../../i18n/resources';
import type { Language } from '../../i18n/resources';

/** The survey page's language: `?lang=`, else the ticket's customer language, else the browser's. */
export function pickSurveyLanguage(
  param: string | null,
  customer: string | undefined,
  browser: readonly string[],
): Language {
  if (isLanguage(param)) return param;
  const wanted = [customer ?? '', ...browser].find((tag) => tag !== '');
  return wanted?.toLowerCase().startsWith('zh') === true ? 'zh-CN' : 'en';
}
