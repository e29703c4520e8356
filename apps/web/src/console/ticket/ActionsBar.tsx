import {
  CheckCircleOutlined,
  CheckOutlined,
  CloseOutlined,
  DownOutlined,
  FlagOutlined,
  RedoOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Form, Input, Modal, Select, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { trpc, trpcClient } from '../../api/client';
import { getErrorMessage } from '../../api/errors';
import { useDirectory } from '../api';
import type { ActionState, TicketAction } from '../model/actions';
import { PRIORITY_VALUES } from '../model/filters';
import type { Priority } from '../model/filters';

type DialogAction = 'resolve' | 'approve' | 'reject' | 'transfer' | 'reopen';

interface ActionsBarProps {
  readonly number: string;
  readonly priority: string;
  readonly team: string | null;
  readonly states: Readonly<Record<TicketAction, ActionState>>;
  readonly reasonOf: (action: TicketAction) => string | null;
}

interface DialogValues {
  readonly note?: string;
  readonly reason?: string;
  readonly team?: string;
  readonly assignee?: string;
}

/** The ticket's actions; each one the current step does not take is disabled with the reason. */
export function ActionsBar({ number, priority, team, states, reasonOf }: ActionsBarProps) {
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const client = useQueryClient();
  const directory = useDirectory();
  const [dialog, setDialog] = useState<DialogAction | null>(null);
  const [form] = Form.useForm<DialogValues>();
  const watchedTeam: unknown = Form.useWatch('team', form);
  const teamValue = typeof watchedTeam === 'string' ? watchedTeam : undefined;

  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries(trpc.tickets.get.queryFilter({ number })),
      client.invalidateQueries(trpc.timeline.get.queryFilter({ number })),
      client.invalidateQueries(trpc.tickets.list.pathFilter()),
    ]);
  };

  const run = useMutation({
    mutationFn: async ({
      action,
      values,
    }: {
      action: DialogAction | 'setPriority';
      values: DialogValues & { priority?: Priority };
    }) => {
      const reason = values.reason?.trim() === '' ? undefined : values.reason?.trim();
      switch (action) {
        case 'resolve':
          return trpcClient.tickets.resolve.mutate({
            number,
            ...(values.note?.trim() ? { note: values.note.trim() } : {}),
          });
        case 'approve':
          return trpcClient.tickets.approve.mutate({ number, reason });
        case 'reject':
          return trpcClient.tickets.reject.mutate({ number, reason });
        case 'reopen':
          return trpcClient.tickets.reopen.mutate({ number, reason });
        case 'transfer':
          return trpcClient.tickets.transfer.mutate({
            number,
            ...(values.team !== undefined && { team: values.team }),
            assignee: values.assignee ?? null,
            reason,
          });
        case 'setPriority':
          return trpcClient.tickets.setPriority.mutate({
            number,
            priority: values.priority ?? 'medium',
          });
      }
    },
    onSuccess: async (_, { action }) => {
      setDialog(null);
      void message.success(t(`actions.done.${action}`));
      await refresh();
    },
    onError: (error) => void message.error(getErrorMessage(error)),
  });

  const button = (
    action: TicketAction,
    icon: React.ReactNode,
    onClick: () => void,
    danger = false,
  ) => {
    const state = states[action];
    return (
      <Tooltip title={state.enabled ? undefined : reasonOf(action)} key={action}>
        {/* A disabled button gets no pointer events: the wrapper is what the pointer hovers. */}
        <span
          className={state.enabled ? undefined : 'sy-disabled-action'}
          data-testid={`action-${action}-hover`}
        >
          <Button
            icon={icon}
            danger={danger}
            disabled={!state.enabled}
            onClick={onClick}
            data-testid={`action-${action}`}
            data-reason={state.enabled ? undefined : reasonOf(action)}
          >
            {t(`actions.${action}`)}
          </Button>
        </span>
      </Tooltip>
    );
  };

  const open = (action: DialogAction) => {
    form.resetFields();
    if (action === 'transfer') form.setFieldsValue({ team: team ?? undefined });
    setDialog(action);
  };

  const priorityState = states.setPriority;
  return (
    <>
      {button('resolve', <CheckCircleOutlined />, () => {
        open('resolve');
      })}
      {button('approve', <CheckOutlined />, () => {
        open('approve');
      })}
      {button(
        'reject',
        <CloseOutlined />,
        () => {
          open('reject');
        },
        true,
      )}
      {button('transfer', <SwapOutlined />, () => {
        open('transfer');
      })}
      <Tooltip title={priorityState.enabled ? undefined : reasonOf('setPriority')}>
        <Dropdown
          disabled={!priorityState.enabled}
          trigger={['click']}
          menu={{
            selectable: true,
            selectedKeys: [priority],
            items: PRIORITY_VALUES.map((value) => ({ key: value, label: t(`priority.${value}`) })),
            onClick: ({ key }) => {
              run.mutate({ action: 'setPriority', values: { priority: key as Priority } });
            },
          }}
        >
          <Button
            icon={<FlagOutlined />}
            disabled={!priorityState.enabled}
            data-testid="action-setPriority"
          >
            {t('actions.setPriority')} <DownOutlined style={{ fontSize: 10 }} />
          </Button>
        </Dropdown>
      </Tooltip>
      {button('reopen', <RedoOutlined />, () => {
        open('reopen');
      })}

      <Modal
        open={dialog !== null}
        title={dialog === null ? '' : t(`actions.dialog.${dialog}`, { number })}
        okText={dialog === null ? '' : t(`actions.${dialog}`)}
        okButtonProps={{ danger: dialog === 'reject', 'data-testid': 'action-confirm' }}
        confirmLoading={run.isPending}
        onCancel={() => {
          setDialog(null);
        }}
        onOk={() => {
          form.submit();
        }}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(values) => {
            if (dialog !== null) run.mutate({ action: dialog, values });
          }}
        >
          {dialog === 'resolve' && (
            <Form.Item name="note" label={t('actions.field.note')}>
              <Input.TextArea
                autoSize={{ minRows: 3 }}
                maxLength={5000}
                data-testid="resolve-note"
              />
            </Form.Item>
          )}
          {dialog === 'transfer' && (
            <>
              <Form.Item
                name="team"
                label={t('actions.field.team')}
                rules={[{ required: true, message: t('actions.field.teamRequired') }]}
              >
                <Select
                  options={directory.teams.map((item) => ({ value: item.id, label: item.name }))}
                  onChange={() => {
                    form.setFieldValue('assignee', undefined);
                  }}
                />
              </Form.Item>
              <Form.Item
                name="assignee"
                label={t('actions.field.assignee')}
                extra={t('actions.field.assigneeHint')}
              >
                <Select
                  allowClear
                  options={directory.agents
                    .filter((agent) => teamValue === undefined || agent.teamId === teamValue)
                    .map((agent) => ({ value: agent.id, label: agent.name }))}
                />
              </Form.Item>
            </>
          )}
          {(dialog === 'approve' ||
            dialog === 'reject' ||
            dialog === 'reopen' ||
            dialog === 'transfer') && (
            <Form.Item
              name="reason"
              label={t('actions.field.reason')}
              rules={
                dialog === 'reject'
                  ? [
                      {
                        required: true,
                        whitespace: true,
                        message: t('actions.field.reasonRequired'),
                      },
                    ]
                  : []
              }
            >
              <Input.TextArea
                autoSize={{ minRows: 2 }}
                maxLength={2000}
                data-testid="action-reason"
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
