import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyChange } from '../model/changes';
import { useSession } from './context';

/**
 * Someone else saved this draft since we loaded it. Offer: re-apply our unsaved edits on top of
 * theirs (when they still fit), keep ours (overwrite), or load theirs (drop ours).
 */
export function ConflictDialog({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation('designer');
  const { message } = App.useApp();
  const { store, autosave, backend, flowId } = useSession();
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (action: 'merge' | 'mine' | 'theirs') => {
    setBusy(action);
    try {
      const latest = await backend.load(flowId);
      if (action === 'theirs') {
        store.reload(latest.document);
        autosave.rebase(latest.revision, null);
      } else if (action === 'mine') {
        autosave.rebase(latest.revision, store.getState().doc);
      } else {
        let merged = latest.document;
        for (const change of autosave.getPendingChanges()) merged = applyChange(merged, change);
        store.reload(merged);
        autosave.rebase(latest.revision, merged);
      }
      onClose();
    } catch (error: unknown) {
      void message.error(
        action === 'merge'
          ? t('conflict.mergeFailed')
          : error instanceof Error
            ? error.message
            : String(error),
      );
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal open={open} onCancel={onClose} title={t('conflict.title')} footer={null} destroyOnHidden>
      <Alert type="warning" showIcon title={t('conflict.explain')} />
      <Typography.Paragraph type="secondary" className="sy-conflict-pending">
        {t('conflict.pending', { count: autosave.getPendingChanges().length })}
      </Typography.Paragraph>
      <Space orientation="vertical" className="sy-full-width">
        <Button block type="primary" loading={busy === 'merge'} onClick={() => void run('merge')}>
          {t('conflict.merge')}
        </Button>
        <Button block loading={busy === 'mine'} onClick={() => void run('mine')}>
          {t('conflict.mine')}
        </Button>
        <Button block danger loading={busy === 'theirs'} onClick={() => void run('theirs')}>
          {t('conflict.theirs')}
        </Button>
      </Space>
    </Modal>
  );
}
