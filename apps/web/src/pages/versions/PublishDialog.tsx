import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getErrorCode, getErrorDiagnostics, getErrorMessage } from '../../api/errors';
import { trpc, trpcClient } from '../../api/client';
import { DiagnosticsList } from '../../shell/DiagnosticsList';

interface PublishDialogProps {
  readonly flowId: string;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onPublished: (version: number) => void;
}

/** Publishes the draft as a new version with a note; shows the lint errors that block it. */
export function PublishDialog({ flowId, open, onClose, onPublished }: PublishDialogProps) {
  const { t } = useTranslation(['versions', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const publish = useMutation({
    mutationFn: (note: string) => trpcClient.versions.publish.mutate({ flowId, note }),
    onSuccess: ({ version }) => {
      // Refetch in the background: the page switches its comparison to the new version at once.
      void client.invalidateQueries(trpc.versions.list.queryFilter({ flowId }));
      void client.invalidateQueries(trpc.flows.pathFilter());
      void message.success(t('publish.done', { version }));
      form.resetFields();
      onPublished(version);
    },
  });
  const blocked = getErrorCode(publish.error) === 'PRECONDITION_FAILED';
  const diagnostics = getErrorDiagnostics(publish.error);
  return (
    <Modal
      open={open}
      title={t('publish.title')}
      okText={t('publish.submit')}
      cancelText={t('common:actions.cancel')}
      confirmLoading={publish.isPending}
      width={blocked ? 680 : 520}
      onOk={() => {
        form.submit();
      }}
      onCancel={() => {
        publish.reset();
        onClose();
      }}
      destroyOnHidden
      okButtonProps={{ id: 'publish-confirm' }}
    >
      <Form<{ note: string }>
        form={form}
        layout="vertical"
        onFinish={(values) => {
          publish.mutate(values.note.trim());
        }}
        initialValues={{ note: '' }}
      >
        <Form.Item name="note" label={t('publish.note')} extra={t('publish.noteHint')}>
          <Input.TextArea
            autoFocus
            rows={3}
            maxLength={2000}
            placeholder={t('publish.notePlaceholder')}
            data-testid="publish-note"
          />
        </Form.Item>
      </Form>
      {publish.isError &&
        (blocked ? (
          <>
            <Alert
              type="error"
              showIcon
              title={t('publish.blocked')}
              description={
                <Link to={`/flows/${encodeURIComponent(flowId)}`}>{t('publish.openDesigner')}</Link>
              }
              style={{ marginBottom: 8 }}
              data-testid="publish-blocked"
            />
            {diagnostics.length > 0 ? (
              <DiagnosticsList items={diagnostics} />
            ) : (
              <Typography.Paragraph>{getErrorMessage(publish.error)}</Typography.Paragraph>
            )}
          </>
        ) : (
          <Alert type="error" showIcon title={getErrorMessage(publish.error)} />
        ))}
    </Modal>
  );
}
