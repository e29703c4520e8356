import { Modal } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS, showKey } from './shortcuts';

const GROUPS = ['edit', 'canvas', 'panels'] as const;

/** Every keyboard shortcut and mouse gesture, from the one list the key handler uses. */
export function HelpDialog({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation('designer');
  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      title={t('help.title')}
      width={880}
      destroyOnHidden
    >
      <div className="sy-help" data-testid="shortcuts-help">
        {GROUPS.map((group) => (
          <section key={group} className="sy-help-group">
            <h4>{t(`help.groups.${group}`)}</h4>
            <dl>
              {SHORTCUTS.filter((shortcut) => shortcut.group === group).map((shortcut) => (
                <Fragment key={shortcut.id}>
                  <dt>{t(`shortcuts.${shortcut.id}`)}</dt>
                  <dd>
                    {shortcut.keys.map((combo, index) => (
                      <span key={index} className="sy-help-combo">
                        {index > 0 && <span className="sy-help-or">{t('help.or')}</span>}
                        {combo.map((key) => (
                          <kbd key={key}>
                            {key === 'drag' || key === 'click' || key === 'scroll'
                              ? t(`help.${key}`)
                              : showKey(key)}
                          </kbd>
                        ))}
                      </span>
                    ))}
                  </dd>
                </Fragment>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
