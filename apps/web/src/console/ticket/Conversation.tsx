import { LockOutlined, SendOutlined, StarFilled } from '@ant-design/icons';
import { Button, Empty, Flex, Input, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getLanguage } from '../../i18n';
import { formatDateTime } from '../../shell/format';
import type { Message } from '../model/conversation';

interface MessageListProps {
  readonly messages: readonly Message[];
  readonly emptyText: string;
  readonly agentName: (author: string | null) => string | null;
}

/** Chat bubbles: the customer on the left, agents on the right, notes in yellow. */
export function MessageList({ messages, emptyText, agentName }: MessageListProps) {
  const { t } = useTranslation('console');
  const language = getLanguage();
  if (messages.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />;
  return (
    <div className="sy-messages">
      {messages.map((message) => (
        <div
          key={`${message.kind}-${message.seq}`}
          className={`sy-message sy-message-${message.kind}`}
          data-testid={`message-${message.kind}`}
        >
          <div className="sy-message-head">
            <Typography.Text strong>
              {message.kind === 'agent' || message.kind === 'note'
                ? (agentName(message.author) ?? t('ticket.agent'))
                : (message.author ?? t('ticket.customer'))}
            </Typography.Text>
            {message.kind === 'note' && (
              <Tag icon={<LockOutlined />} variant="outlined" color="gold">
                {t('ticket.internal')}
              </Tag>
            )}
            <Typography.Text type="secondary" className="sy-message-time">
              {formatDateTime(message.at, language)}
            </Typography.Text>
          </div>
          {message.kind === 'survey' ? (
            <div>
              <span
                className="sy-survey-score"
                aria-label={t('ticket.surveyScore', { score: message.score })}
              >
                {Array.from({ length: 5 }, (_, index) => (
                  <StarFilled
                    key={index}
                    className={index < (message.score ?? 0) ? 'sy-star-on' : 'sy-star-off'}
                  />
                ))}
              </span>{' '}
              <Typography.Text>{t('ticket.surveyScore', { score: message.score })}</Typography.Text>{' '}
              <Tag color={message.resolved === true ? 'green' : 'red'} variant="filled">
                {message.resolved === true
                  ? t('ticket.surveyResolved')
                  : t('ticket.surveyUnresolved')}
              </Tag>
              {message.text !== '' && <div className="sy-message-text">{message.text}</div>}
            </div>
          ) : (
            <div className="sy-message-text">{message.text}</div>
          )}
        </div>
      ))}
    </div>
  );
}

interface ComposerProps {
  readonly placeholder: string;
  readonly submitLabel: string;
  readonly disabledReason: string | null;
  readonly pending: boolean;
  readonly onSubmit: (text: string) => Promise<unknown>;
  readonly testId: string;
  readonly tone?: 'reply' | 'note';
}

/** The box under the conversation: write, then send (Ctrl/⌘ + Enter). */
export function Composer({
  placeholder,
  submitLabel,
  disabledReason,
  pending,
  onSubmit,
  testId,
  tone = 'reply',
}: ComposerProps) {
  const { t } = useTranslation('console');
  const [text, setText] = useState('');
  const disabled = disabledReason !== null;
  const submit = () => {
    if (text.trim() === '' || disabled) return;
    onSubmit(text.trim()).then(
      () => {
        setText('');
      },
      () => undefined,
    );
  };
  return (
    <div className={`sy-composer sy-composer-${tone}`}>
      <Input.TextArea
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
        placeholder={disabled ? disabledReason : placeholder}
        autoSize={{ minRows: 3, maxRows: 10 }}
        disabled={disabled}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
        }}
        data-testid={`${testId}-text`}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('ticket.sendHint')}
        </Typography.Text>
        <Tooltip title={disabledReason}>
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={submit}
            loading={pending}
            disabled={disabled || text.trim() === ''}
            data-testid={`${testId}-submit`}
          >
            {submitLabel}
          </Button>
        </Tooltip>
      </Flex>
    </div>
  );
}
