import { GlobalOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { getErrorMessage } from '../api/errors';
import { useLanguageSwitch } from '../api/session';
import { getLanguage, isLanguage, LANGUAGES } from '../i18n';
import type { Language } from '../i18n';

/** Each language named in itself, so a user who cannot read the current one finds theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };
const SHORT_NAMES: Record<Language, string> = { en: 'EN', 'zh-CN': '中文' };

interface LanguageSwitchProps {
  /** Colour of the button text (the login page shows it on a dark background). */
  readonly tone?: 'light' | 'dark';
}

/** Header control that switches between English and 中文. */
export function LanguageSwitch({ tone = 'dark' }: LanguageSwitchProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const switchLanguage = useLanguageSwitch();
  const current = getLanguage();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: LANGUAGES.map((language) => ({
          key: language,
          label: LANGUAGE_NAMES[language],
          'data-testid': `language-${language}`,
        })),
        onClick: ({ key }) => {
          if (!isLanguage(key)) return;
          switchLanguage(key).catch((error: unknown) => {
            void message.error(t('errors.languageNotSaved', { reason: getErrorMessage(error) }));
          });
        },
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('header.language')}
        data-testid="language-switch"
        style={tone === 'light' ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      >
        {SHORT_NAMES[current]}
      </Button>
    </Dropdown>
  );
}
