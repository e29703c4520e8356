import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getErrorMessage } from '../../api/errors';
import { trpc, trpcClient } from '../../api/client';

interface RollbackDialogProps {
  readonly flowId: string;
  /** The version to publish again; null when the dialog is closed. */
  readonly version: number | null;
  readonly latest: number;
  readonly onClose: () => void;
  readonly onDone: (version: number) => void;
}

/** Confirms a rollback: the chosen version's document is published again as a new version. */
export function RollbackDialog({ flowId, version, latest, onClose, onDone }: RollbackDialogProps) {
  const { t } = useTranslation(['versions', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const rollback = useMutation({
    mutationFn: ({ target, note }: { target: number; note: string }) =>
      trpcClient.versions.rollback.mutate({
        flowId,
        version: target,
        note,
      }),
    onSuccess: ({ version: created }) => {
      // Refetch in the background: the page switches its comparison to the new version at once.
      void client.invalidateQueries(trpc.versions.list.queryFilter({ flowId }));
      void client.invalidateQueries(trpc.flows.pathFilter());
      void message.success(t('rollback.done', { version: created }));
      form.resetFields();
      onDone(created);
    },
  });
  return (
    <Modal
      open={version !== null}
      title={t('rollback.title', { version })}
      okText={t('rollback.submit', { version })}
      cancelText={t('common:actions.cancel')}
      okButtonProps={{ danger: true, id: 'rollback-confirm' }}
      confirmLoading={rollback.isPending}
      destroyOnHidden
      onOk={() => {
        form.submit();
      }}
      onCancel={() => {
        rollback.reset();
        onClose();
      }}
    >
      <Typography.Paragraph>
        {t('rollback.explain', { version, next: latest + 1 })}
      </Typography.Paragraph>
      <Form<{ note: string }>
        form={form}
        layout="vertical"
        initialValues={{ note: '' }}
        onFinish={(values) => {
          // The default note is written in the UI language, like one the user would type.
          const note = values.note.trim() || t('rollback.notePlaceholder', { version });
          if (version !== null) rollback.mutate({ target: version, note });
        }}
      >
        <Form.Item name="note" label={t('rollback.note')}>
          <Input
            maxLength={2000}
            placeholder={t('rollback.notePlaceholder', { version })}
            data-testid="rollback-note"
          />
        </Form.Item>
      </Form>
      {rollback.isError && <Alert type="error" showIcon title={getErrorMessage(rollback.error)} />}
    </Modal>
  );
}
