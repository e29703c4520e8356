import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown, Input } from 'antd';
import type { MenuProps } from 'antd';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { getAtPath } from '../../model/edits';
import { getPlaceholderOptions, insertPlaceholder } from '../../model/placeholders';
import type { PathSegment } from '../../model/problems';
import { useNodeForm } from './form-context';
import { fieldLabel } from './labels';
import { getConfigJsonPath } from './paths';
import { FieldRow } from './widgets';

export interface TemplateInputProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly multiline?: boolean;
  readonly id?: string;
  readonly placeholder?: string;
}

/**
 * Text with `{{…}}` placeholders and an "Insert field" menu of every placeholder this flow can
 * use (ticket fields, its custom fields, links), inserted at the caret.
 */
export function TemplateInput({
  value,
  onChange,
  multiline = false,
  id,
  placeholder,
}: TemplateInputProps) {
  const { t } = useTranslation('designer');
  const form = useNodeForm();
  const caret = useRef<{ start: number; end: number } | null>(null);
  const element = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const options = useMemo(
    () => getPlaceholderOptions(form.doc.ticketFields),
    [form.doc.ticketFields],
  );

  const remember = (target: HTMLInputElement | HTMLTextAreaElement) => {
    element.current = target;
    caret.current = {
      start: target.selectionStart ?? value.length,
      end: target.selectionEnd ?? value.length,
    };
  };

  const insert = (path: string) => {
    const at = caret.current ?? { start: value.length, end: value.length };
    const result = insertPlaceholder(value, at.start, at.end, path);
    onChange(result.text);
    caret.current = { start: result.caret, end: result.caret };
    requestAnimationFrame(() => {
      const target = element.current;
      if (target !== null) {
        target.focus();
        target.setSelectionRange(result.caret, result.caret);
      }
    });
  };

  const groups = ['ticket', 'customer', 'custom', 'links'] as const;
  const items: MenuProps['items'] = groups
    .map((group) => ({
      type: 'group' as const,
      key: group,
      label: t(`placeholders.${group}`),
      children: options
        .filter((option) => option.group === group)
        .map((option) => ({
          key: option.path,
          label: (
            <span className="sy-placeholder-option">
              <code>{`{{${option.path}}}`}</code>
              {option.label !== undefined && <span className="sy-muted"> {option.label}</span>}
            </span>
          ),
        })),
    }))
    .filter((group) => group.children.length > 0);

  const menu = (
    <Dropdown
      menu={{
        items,
        onClick: ({ key }) => {
          insert(key);
        },
        className: 'sy-placeholder-menu',
      }}
      trigger={['click']}
    >
      <Button
        size="small"
        type="text"
        className="sy-insert-placeholder"
        data-testid="insert-placeholder"
      >
        {'{{ }}'} {t('placeholders.insert')}
      </Button>
    </Dropdown>
  );

  const common = {
    id,
    value,
    placeholder,
    onSelect: (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      remember(event.currentTarget);
    },
    onKeyUp: (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      remember(event.currentTarget);
    },
    onClick: (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      remember(event.currentTarget);
    },
  };
  return (
    <div className="sy-template">
      {multiline ? (
        <Input.TextArea
          {...common}
          autoSize={{ minRows: 3, maxRows: 10 }}
          onChange={(event) => {
            remember(event.currentTarget);
            onChange(event.target.value);
          }}
        />
      ) : (
        <Input
          {...common}
          onChange={(event) => {
            remember(event.currentTarget);
            onChange(event.target.value);
          }}
        />
      )}
      <div className="sy-template-toolbar">{menu}</div>
    </div>
  );
}

/** Subject and body of a message template. */
export function MessageEditor({
  path,
  optional,
}: {
  readonly path: readonly PathSegment[];
  readonly optional: boolean;
}) {
  const form = useNodeForm();
  const { t } = useTranslation('designer');
  const stored = getAtPath(form.config, path);
  const message =
    typeof stored === 'object' && stored !== null
      ? (stored as { subject?: unknown; body?: unknown })
      : null;
  if (message === null) {
    return (
      <Button
        icon={<PlusOutlined />}
        onClick={() => {
          form.setValue(path, { subject: '', body: '' });
        }}
      >
        {t('message.add')}
      </Button>
    );
  }
  const subjectPath = [...path, 'subject'];
  const bodyPath = [...path, 'body'];
  return (
    <div className="sy-message">
      <FieldRow
        label={fieldLabel(t, 'subject')}
        jsonPath={getConfigJsonPath(form.nodeIndex, subjectPath)}
        problems={form.problemsAt(subjectPath)}
        extra={
          optional && (
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              onClick={() => {
                form.setValue(path, undefined);
              }}
            >
              {t('message.remove')}
            </Button>
          )
        }
      >
        <TemplateInput
          value={typeof message.subject === 'string' ? message.subject : ''}
          onChange={(next) => {
            form.setValue(subjectPath, next);
          }}
        />
      </FieldRow>
      <FieldRow
        label={fieldLabel(t, 'body')}
        jsonPath={getConfigJsonPath(form.nodeIndex, bodyPath)}
        problems={form.problemsAt(bodyPath)}
        required
      >
        <TemplateInput
          multiline
          value={typeof message.body === 'string' ? message.body : ''}
          onChange={(next) => {
            form.setValue(bodyPath, next);
          }}
        />
      </FieldRow>
    </div>
  );
}
