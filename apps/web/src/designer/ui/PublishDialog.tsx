import { Alert, App, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PublishError } from '../backend';
import { useDesigner, useSession } from './context';
import { translateDiagnostic } from './diagnostic-text';

/** Publish the draft as a new immutable version, with a note; blocked while lint has errors. */
export function PublishDialog({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation('designer');
  const { message } = App.useApp();
  const { backend, autosave, flowId } = useSession();
  const lint = useDesigner((state) => state.lint);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PublishError | null>(null);

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      await autosave.flush();
      const saved = autosave.getState();
      if (saved.status !== 'saved') {
        setError(new PublishError(t('publish.notSaved')));
        return;
      }
      const { version } = await backend.publish(flowId, note.trim());
      void message.success(t('publish.done', { version }));
      setNote('');
      onClose();
    } catch (caught: unknown) {
      setError(
        caught instanceof PublishError
          ? caught
          : new PublishError(caught instanceof Error ? caught.message : String(caught)),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('publish.title')}
      okText={t('publish.confirm')}
      cancelText={t('common.cancel')}
      onOk={() => void publish()}
      onCancel={onClose}
      okButtonProps={{ disabled: !lint.canPublish, loading: busy, id: 'publish-confirm' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('publish.explain')}</Typography.Paragraph>
      {!lint.canPublish && (
        <Alert type="error" showIcon title={t('publish.blocked', { count: lint.errorCount })} />
      )}
      {lint.canPublish && lint.warningCount > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('publish.warnings', { count: lint.warningCount })}
          className="sy-publish-alert"
        />
      )}
      <label className="sy-field-label" htmlFor="publish-note">
        {t('publish.note')}
      </label>
      <Input.TextArea
        id="publish-note"
        value={note}
        maxLength={500}
        showCount
        autoSize={{ minRows: 3, maxRows: 6 }}
        placeholder={t('publish.notePlaceholder')}
        onChange={(event) => {
          setNote(event.target.value);
        }}
        data-testid="publish-note"
        style={{ marginBottom: 24 }}
      />
      {error !== null && (
        <Alert
          type="error"
          showIcon
          className="sy-publish-alert"
          title={error.message}
          description={
            error.diagnostics.length > 0 ? (
              <ul className="sy-publish-diagnostics">
                {error.diagnostics.slice(0, 8).map((diagnostic, index) => (
                  <li key={index}>{translateDiagnostic(diagnostic, t)}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
    </Modal>
  );
}
