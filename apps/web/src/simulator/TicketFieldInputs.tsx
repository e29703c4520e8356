import type { TicketField, TicketInput } from '@switchyard/flow';
import { Form, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';

type FieldValue = string | number | boolean | null;

/** The value as the field's input shows it (anything of another type shows as empty). */
function shown(field: TicketField, value: unknown): FieldValue {
  switch (field.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return value === true;
    case 'string':
    case 'timestamp':
    case 'enum':
      return typeof value === 'string' ? value : null;
  }
}

/**
 * Inputs for the flow's own ticket fields (`ticketFields` of the draft), one per field by type; an
 * emptied input removes the field from the sample ticket.
 */
export function TicketFieldInputs({
  fields,
  ticket,
  onChange,
}: {
  readonly fields: readonly TicketField[];
  readonly ticket: TicketInput;
  readonly onChange: (ticket: TicketInput) => void;
}) {
  const { t, i18n } = useTranslation('simulator');
  const zh = i18n.language.startsWith('zh');
  const set = (key: string, value: FieldValue) => {
    const { [key]: _old, ...rest } = ticket.fields ?? {};
    onChange({
      ...ticket,
      fields: value === null || value === '' ? rest : { ...rest, [key]: value },
    });
  };
  if (fields.length === 0) return null;
  return (
    <div className="sy-sim-fields" data-testid="sim-ticket-fields">
      {fields.map((field) => {
        const value = shown(field, ticket.fields?.[field.key]);
        const label = (zh ? field.labels?.['zh-CN'] : undefined) ?? field.label;
        let input;
        switch (field.type) {
          case 'number':
          case 'integer':
            input = (
              <InputNumber
                style={{ width: '100%' }}
                precision={field.type === 'integer' ? 0 : undefined}
                value={typeof value === 'number' ? value : null}
                onChange={(next) => {
                  set(field.key, typeof next === 'number' ? next : null);
                }}
              />
            );
            break;
          case 'boolean':
            input = (
              <Switch
                size="small"
                checked={value === true}
                onChange={(next) => {
                  set(field.key, next);
                }}
              />
            );
            break;
          case 'enum':
            input = (
              <Select
                allowClear
                value={typeof value === 'string' ? value : undefined}
                options={(field.options ?? []).map((option) => ({ value: option, label: option }))}
                onChange={(next: string | undefined) => {
                  set(field.key, next ?? null);
                }}
              />
            );
            break;
          case 'string':
          case 'timestamp':
            input = (
              <Input
                value={typeof value === 'string' ? value : ''}
                placeholder={field.type === 'timestamp' ? '2026-03-02T09:00:00Z' : undefined}
                onChange={(event) => {
                  set(field.key, event.target.value);
                }}
              />
            );
            break;
        }
        return (
          <Form.Item
            key={field.key}
            label={label}
            tooltip={`fields.${field.key}${field.required === true ? ` (${t('requiredField')})` : ''}`}
            className="sy-sim-field"
          >
            {input}
          </Form.Item>
        );
      })}
    </div>
  );
}
