import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Segmented,
  Select,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import type { TrainingJob } from './types';

/** Largest CSV the dialog sends (the server refuses more than 20 MB too). */
const MAX_CSV_BYTES = 20 * 1024 * 1024;

type SourceKind = 'csv' | 'tickets';

interface FormValues {
  name: string;
  folds: number;
  flowId?: string;
  from?: string;
  to?: string;
  level: 'category' | 'subcategory';
}

/** "Cross-validating: fold 2 of 5" / "Training on all examples" for a job's progress. */
export function useJobPhaseText(): (job: TrainingJob) => string {
  const { t } = useTranslation('models');
  return (job) => {
    if (job.status === 'queued') return t('job.queued');
    if (job.status === 'failed') return t('job.failed', { reason: job.error ?? '' });
    if (job.status === 'succeeded') return t('job.succeeded');
    if (job.phase === 'cross-validating') {
      return t('job.fold', { fold: job.fold ?? 1, folds: job.folds });
    }
    return t(`job.phase.${job.phase ?? 'preparing'}`);
  };
}

/** Progress of one training job, polled every half second until it ends. */
export function JobProgress({
  jobId,
  onDone,
}: {
  jobId: string;
  onDone?: (job: TrainingJob) => void;
}) {
  const phaseText = useJobPhaseText();
  const job = useQuery({
    ...trpc.classifier.jobs.get.queryOptions({ id: jobId }),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : 500;
    },
  });
  const data = job.data;
  const reported = useRef(false);
  useEffect(() => {
    if (data === undefined || reported.current) return;
    if (data.status === 'succeeded' || data.status === 'failed') {
      reported.current = true;
      onDone?.(data);
    }
  }, [data, onDone]);
  if (data === undefined) return <Progress percent={0} status="active" />;
  return (
    <div data-testid="training-progress">
      <Progress
        percent={Math.round(data.progress * 100)}
        status={
          data.status === 'failed'
            ? 'exception'
            : data.status === 'succeeded'
              ? 'success'
              : 'active'
        }
      />
      <Typography.Text type={data.status === 'failed' ? 'danger' : 'secondary'}>
        {phaseText(data)}
      </Typography.Text>
    </div>
  );
}

/**
 * "Train a model": a name, the examples (a CSV file with text,label columns, or tickets whose
 * category is set) and the number of folds; then the job's progress until the model is ready,
 * and on to its evaluation page.
 */
export function TrainModelDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(['models', 'common']);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [kind, setKind] = useState<SourceKind>('csv');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [finished, setFinished] = useState<TrainingJob | null>(null);
  const flows = useQuery({
    ...trpc.flows.list.queryOptions(),
    enabled: open && kind === 'tickets',
  });

  const train = useMutation({
    mutationFn: async (values: FormValues) => {
      if (kind === 'csv') {
        if (file === null) throw new Error(t('train.chooseFile'));
        return trpcClient.classifier.train.mutate({
          name: values.name,
          folds: values.folds,
          source: { kind: 'csv', fileName: file.name, text: file.text },
        });
      }
      return trpcClient.classifier.train.mutate({
        name: values.name,
        folds: values.folds,
        source: {
          kind: 'tickets',
          level: values.level,
          ...(values.flowId !== undefined && values.flowId !== '' && { flowId: values.flowId }),
          ...(values.from !== undefined && values.from !== '' && { from: values.from }),
          ...(values.to !== undefined && values.to !== '' && { to: values.to }),
        },
      });
    },
    onSuccess: (result) => {
      setJobId(result.jobId);
      void client.invalidateQueries(trpc.classifier.jobs.list.pathFilter());
    },
  });

  const reset = () => {
    form.resetFields();
    setFile(null);
    setFileError(null);
    setJobId(null);
    setFinished(null);
    train.reset();
  };
  const close = () => {
    reset();
    onClose();
  };

  const footer =
    jobId === null
      ? [
          <Button key="cancel" onClick={close}>
            {t('common:actions.cancel')}
          </Button>,
          <Button
            key="train"
            type="primary"
            loading={train.isPending}
            onClick={() => {
              form.submit();
            }}
          >
            {t('train.start')}
          </Button>,
        ]
      : [
          <Button key="close" onClick={close}>
            {t('common:actions.close')}
          </Button>,
          <Button
            key="open"
            type="primary"
            disabled={finished?.status !== 'succeeded' || finished.modelId === null}
            onClick={() => {
              const id = finished?.modelId;
              close();
              if (id !== null && id !== undefined)
                void navigate(`/models/${encodeURIComponent(id)}`);
            }}
          >
            {t('train.openModel')}
          </Button>,
        ];

  return (
    <Modal
      open={open}
      title={t('train.title')}
      onCancel={close}
      footer={footer}
      width={620}
      destroyOnHidden
    >
      {jobId !== null ? (
        <Flex vertical gap={12}>
          <Typography.Paragraph>{t('train.running')}</Typography.Paragraph>
          <JobProgress
            jobId={jobId}
            onDone={(job) => {
              setFinished(job);
              void client.invalidateQueries(trpc.classifier.models.list.pathFilter());
              void client.invalidateQueries(trpc.classifier.jobs.list.pathFilter());
            }}
          />
        </Flex>
      ) : (
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{ folds: 5, level: 'category' }}
          onFinish={(values) => {
            train.mutate(values);
          }}
        >
          <Form.Item
            name="name"
            label={t('train.name')}
            rules={[{ required: true, whitespace: true, message: t('train.nameRequired') }]}
          >
            <Input maxLength={100} placeholder={t('train.namePlaceholder')} />
          </Form.Item>
          <Form.Item label={t('train.source')}>
            <Segmented<SourceKind>
              value={kind}
              onChange={setKind}
              options={[
                { value: 'csv', label: t('train.csv') },
                { value: 'tickets', label: t('train.tickets') },
              ]}
            />
          </Form.Item>
          {kind === 'csv' ? (
            <Form.Item extra={t('train.csvHelp')}>
              <Upload.Dragger
                accept=".csv,text/csv"
                maxCount={1}
                showUploadList={false}
                beforeUpload={(picked) => {
                  if (picked.size > MAX_CSV_BYTES) {
                    setFile(null);
                    setFileError(t('train.fileTooLarge'));
                    return Upload.LIST_IGNORE;
                  }
                  void picked.text().then((text) => {
                    setFile({ name: picked.name, text });
                    setFileError(null);
                  });
                  return false;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">
                  {file === null ? t('train.dropFile') : t('train.fileChosen', { name: file.name })}
                </p>
                {file !== null && (
                  <p className="ant-upload-hint">
                    {t('train.fileLines', {
                      count: Math.max(0, file.text.trim().split(/\r?\n/).length - 1),
                    })}
                  </p>
                )}
              </Upload.Dragger>
              {fileError !== null && <Typography.Text type="danger">{fileError}</Typography.Text>}
            </Form.Item>
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('train.ticketsHelp')}</Typography.Paragraph>
              <Form.Item name="flowId" label={t('train.flow')}>
                <Select
                  allowClear
                  placeholder={t('train.anyFlow')}
                  loading={flows.isLoading}
                  options={(flows.data ?? []).map((flow) => ({
                    value: flow.id,
                    label: `${flow.name} (${flow.id})`,
                  }))}
                />
              </Form.Item>
              <Flex gap={12}>
                <Form.Item name="from" label={t('train.from')} style={{ flex: 1 }}>
                  <Input type="date" />
                </Form.Item>
                <Form.Item name="to" label={t('train.to')} style={{ flex: 1 }}>
                  <Input type="date" />
                </Form.Item>
              </Flex>
              <Form.Item name="level" label={t('train.level')}>
                <Select
                  options={[
                    { value: 'category', label: t('train.levelCategory') },
                    { value: 'subcategory', label: t('train.levelSubcategory') },
                  ]}
                />
              </Form.Item>
            </>
          )}
          <Form.Item name="folds" label={t('train.folds')} extra={t('train.foldsHelp')}>
            <InputNumber min={2} max={10} precision={0} />
          </Form.Item>
          {train.error !== null && (
            <Alert
              type="error"
              showIcon
              title={t('train.refused')}
              description={getErrorMessage(train.error)}
              data-testid="train-error"
            />
          )}
        </Form>
      )}
    </Modal>
  );
}
