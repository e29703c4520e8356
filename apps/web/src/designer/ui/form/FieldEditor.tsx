import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { Button, Input, InputNumber, Segmented, Select, Switch, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getAtPath } from '../../model/edits';
import type { PathSegment } from '../../model/problems';
import { getInitialValue } from '../../model/schema-form';
import type { FieldSpec, ObjectField, Variant } from '../../model/schema-form';
import { CelEditor } from './CelEditor';
import { getCustomEditor } from './custom-editors';
import { useNodeForm } from './form-context';
import { fieldHelp, fieldLabel, valueLabel } from './labels';
import { MessageEditor, TemplateInput } from './MessageEditor';
import { getConfigJsonPath, getPathKey } from './paths';
import { DurationInput, FieldRow } from './widgets';

export interface FieldEditorProps {
  readonly spec: FieldSpec;
  readonly path: readonly PathSegment[];
  /** The field's key (last named segment) for labels and conventions. */
  readonly fieldKey: string;
  readonly optional?: boolean;
  readonly defaultValue?: unknown;
  /** Hide the label (items of a list show their own heading). */
  readonly bare?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A generated form field for any part of a node's config, picked by the schema's shape. */
export function FieldEditor(props: FieldEditorProps) {
  const { spec, path, fieldKey, optional = false, defaultValue, bare = false } = props;
  const form = useNodeForm();
  const { t } = useTranslation('designer');
  const custom = getCustomEditor(form.kind, path);
  const jsonPath = getConfigJsonPath(form.nodeIndex, path);
  const stored = getAtPath(form.config, path);
  const value = stored === undefined ? defaultValue : stored;
  const set = (next: unknown) => {
    form.setValue(path, next);
  };
  const label = fieldLabel(t, fieldKey);
  // Help describes a top-level field; the same key inside a list item may mean something else.
  const help = path.length === 1 ? fieldHelp(t, form.kind, fieldKey) : '';
  const id = `field-${form.nodeId}-${getPathKey(path)}`;

  const row = (control: ReactNode, options: { problemsUnder?: boolean; extra?: ReactNode } = {}) =>
    bare ? (
      <div data-field-path={jsonPath}>{control}</div>
    ) : (
      <FieldRow
        label={label}
        help={help}
        jsonPath={jsonPath}
        problems={options.problemsUnder === true ? form.problemsUnder(path) : form.problemsAt(path)}
        required={!optional}
        htmlFor={id}
        extra={options.extra}
      >
        {control}
      </FieldRow>
    );

  if (custom !== null) return row(custom({ path, spec }), { problemsUnder: false });

  switch (spec.kind) {
    case 'cel':
      return row(
        <CelEditor
          id={id}
          value={typeof value === 'string' ? value : ''}
          onChange={(next) => {
            set(next === '' && optional ? undefined : next);
          }}
          schema={form.celSchema}
          environment={form.celEnvironment}
        />,
      );
    case 'duration':
      return row(
        <DurationInput
          id={id}
          value={typeof value === 'string' ? value : undefined}
          onChange={set}
          allowZero={spec.allowZero}
          optional={optional}
        />,
      );
    case 'text': {
      const text = typeof value === 'string' ? value : '';
      if (form.templatePaths.has(jsonPath)) {
        return row(
          <TemplateInput id={id} value={text} onChange={set} multiline={spec.multiline} />,
        );
      }
      if (fieldKey === 'team' || fieldKey === 'calendar') {
        const list = fieldKey === 'team' ? form.doc.teams : form.doc.calendars;
        const options = list.map((item) => ({
          value: item.id,
          label: `${item.name} (${item.id})`,
        }));
        if (text !== '' && !list.some((item) => item.id === text)) {
          options.push({ value: text, label: t('form.undeclared', { id: text }) });
        }
        return row(
          <Select
            id={id}
            value={text === '' ? undefined : text}
            options={options}
            allowClear={optional}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t(fieldKey === 'team' ? 'form.pickTeam' : 'form.pickCalendar')}
            onChange={(next: string | undefined) => {
              set(next ?? (optional ? undefined : ''));
            }}
            notFoundContent={t(fieldKey === 'team' ? 'form.noTeams' : 'form.noCalendars')}
          />,
        );
      }
      if (spec.multiline) {
        return row(
          <Input.TextArea
            id={id}
            value={text}
            autoSize={{ minRows: 2, maxRows: 8 }}
            maxLength={spec.maxLength}
            onChange={(event) => {
              set(event.target.value === '' && optional ? undefined : event.target.value);
            }}
          />,
        );
      }
      return row(
        <Input
          id={id}
          value={text}
          maxLength={spec.maxLength}
          onChange={(event) => {
            set(event.target.value === '' && optional ? undefined : event.target.value);
          }}
        />,
      );
    }
    case 'number':
      return row(
        <InputNumber
          id={id}
          value={typeof value === 'number' ? value : null}
          min={spec.min}
          max={spec.max}
          step={spec.integer ? 1 : 0.05}
          precision={spec.integer ? 0 : undefined}
          onChange={(next) => {
            set(next ?? (optional ? undefined : 0));
          }}
          style={{ width: 140 }}
        />,
      );
    case 'boolean':
      return row(
        <Switch
          id={id}
          checked={value === true}
          onChange={(checked) => {
            set(checked);
          }}
        />,
      );
    case 'enum': {
      const current = typeof value === 'string' ? value : undefined;
      if (spec.options.length <= 3 && spec.options.every((option) => option.length <= 12)) {
        return row(
          <Segmented
            id={id}
            value={current ?? ''}
            options={spec.options.map((option) => ({
              value: option,
              label: valueLabel(t, option),
            }))}
            onChange={(next) => {
              set(next);
            }}
          />,
        );
      }
      return row(
        <Select
          id={id}
          value={current}
          allowClear={optional && defaultValue === undefined}
          options={spec.options.map((option) => ({ value: option, label: valueLabel(t, option) }))}
          onChange={(next: string | undefined) => {
            set(next);
          }}
          placeholder={t('form.pick')}
        />,
      );
    }
    case 'literal':
      return null;
    case 'enum-or-text':
    case 'scalar':
      return row(
        <Input
          id={id}
          value={
            typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
              ? String(value)
              : ''
          }
          onChange={(event) => {
            set(event.target.value);
          }}
        />,
      );
    case 'tags': {
      const list = Array.isArray(value) ? (value as unknown[]).map(String) : [];
      const options =
        fieldKey === 'requiredSkills'
          ? [...new Set(form.doc.teams.flatMap((team) => team.skills))]
          : spec.options;
      return row(
        <Select
          id={id}
          mode={spec.free ? 'tags' : 'multiple'}
          value={list}
          options={options.map((option) => ({ value: option, label: valueLabel(t, option) }))}
          onChange={(next: string[]) => {
            set(next.length === 0 && optional && defaultValue === undefined ? undefined : next);
          }}
          tokenSeparators={spec.free ? [',', '，'] : undefined}
          placeholder={t(spec.free ? 'form.typeAndEnter' : 'form.pickSome')}
          open={spec.free && options.length === 0 ? false : undefined}
          suffix={spec.free && options.length === 0 ? null : undefined}
        />,
      );
    }
    case 'message':
      return row(<MessageEditor path={path} optional={optional} />, { problemsUnder: false });
    case 'object': {
      if (optional && !isRecord(stored) && defaultValue === undefined) {
        return row(
          <Button
            icon={<PlusOutlined />}
            onClick={() => {
              set(getInitialValue(spec));
            }}
          >
            {t('form.add', { what: label })}
          </Button>,
        );
      }
      const body = <ObjectFields fields={spec.fields} path={path} />;
      if (path.length === 0) return body;
      return bare ? (
        <div data-field-path={jsonPath}>{body}</div>
      ) : (
        <fieldset className="sy-fieldset" data-field-path={jsonPath}>
          <legend>
            {label}
            {optional && defaultValue === undefined && (
              <Button
                type="link"
                size="small"
                danger
                onClick={() => {
                  set(undefined);
                }}
              >
                {t('form.remove')}
              </Button>
            )}
          </legend>
          {body}
        </fieldset>
      );
    }
    case 'variant':
      return <VariantFields spec={spec} path={path} value={value} />;
    case 'list':
      return row(<ListEditor spec={spec} path={path} fieldKey={fieldKey} />, {});
    case 'record':
      return row(<RecordEditor path={path} />);
    case 'unknown':
      return row(
        <Input.TextArea
          value={JSON.stringify(value, null, 2)}
          readOnly
          autoSize={{ maxRows: 6 }}
        />,
      );
  }
}

export function ObjectFields({
  fields,
  path,
}: {
  readonly fields: readonly ObjectField[];
  readonly path: readonly PathSegment[];
}) {
  return (
    <div className="sy-object-fields">
      {fields.map((field) => (
        <FieldEditor
          key={field.key}
          spec={field.spec}
          path={[...path, field.key]}
          fieldKey={field.key}
          optional={field.optional}
          defaultValue={field.defaultValue}
        />
      ))}
    </div>
  );
}

function VariantFields({
  spec,
  path,
  value,
}: {
  readonly spec: Extract<FieldSpec, { kind: 'variant' }>;
  readonly path: readonly PathSegment[];
  readonly value: unknown;
}) {
  const form = useNodeForm();
  const { t } = useTranslation('designer');
  const current = isRecord(value) ? value : {};
  const tag = current[spec.discriminator];
  const variant: Variant | undefined = spec.variants.find((entry) => entry.value === tag);
  const switchTo = (next: Variant) => {
    const initial = getInitialValue(next.spec) as Record<string, unknown>;
    // Keep what fits the new variant (a message, recipients) so switching back and forth is cheap.
    for (const field of next.spec.fields) {
      if (field.key !== spec.discriminator && current[field.key] !== undefined) {
        initial[field.key] = current[field.key];
      }
    }
    form.setValue(path, initial);
  };
  return (
    <div className="sy-object-fields" data-field-path={getConfigJsonPath(form.nodeIndex, path)}>
      <FieldRow
        label={fieldLabel(t, spec.discriminator)}
        jsonPath={getConfigJsonPath(form.nodeIndex, [...path, spec.discriminator])}
        problems={form.problemsAt([...path, spec.discriminator])}
        help={fieldHelp(t, form.kind, spec.discriminator)}
      >
        <Segmented
          value={typeof tag === 'string' ? tag : ''}
          options={spec.variants.map((entry) => ({
            value: entry.value,
            label: valueLabel(t, entry.value),
          }))}
          onChange={(next) => {
            const target = spec.variants.find((entry) => entry.value === next);
            if (target !== undefined) switchTo(target);
          }}
        />
      </FieldRow>
      {variant !== undefined && (
        <ObjectFields
          fields={variant.spec.fields.filter((field) => field.key !== spec.discriminator)}
          path={path}
        />
      )}
    </div>
  );
}

function ListEditor({
  spec,
  path,
  fieldKey,
}: {
  readonly spec: Extract<FieldSpec, { kind: 'list' }>;
  readonly path: readonly PathSegment[];
  readonly fieldKey: string;
}) {
  const form = useNodeForm();
  const { t } = useTranslation('designer');
  const stored = getAtPath(form.config, path);
  const items = Array.isArray(stored) ? (stored as unknown[]) : [];
  const move = (from: number, to: number) => {
    const next = [...items];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    form.setValue(path, next);
  };
  const canAdd = spec.max === undefined || items.length < spec.max;
  return (
    <div className="sy-list">
      {items.map((_item, index) => (
        <div className="sy-list-item" key={index}>
          <div className="sy-list-item-header">
            <span className="sy-list-item-title">
              {t('form.item', {
                what: t(`items.${fieldKey}`, { defaultValue: fieldLabel(t, fieldKey) }),
                index: index + 1,
              })}
            </span>
            <span className="sy-list-item-actions">
              <Tooltip title={t('form.moveUp')}>
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowUpOutlined />}
                  disabled={index === 0}
                  onClick={() => {
                    move(index, index - 1);
                  }}
                  aria-label={t('form.moveUp')}
                />
              </Tooltip>
              <Tooltip title={t('form.moveDown')}>
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowDownOutlined />}
                  disabled={index === items.length - 1}
                  onClick={() => {
                    move(index, index + 1);
                  }}
                  aria-label={t('form.moveDown')}
                />
              </Tooltip>
              <Tooltip title={t('form.remove')}>
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  disabled={spec.min !== undefined && items.length <= spec.min}
                  onClick={() => {
                    form.setValue(
                      path,
                      items.filter((_, i) => i !== index),
                    );
                  }}
                  aria-label={t('form.remove')}
                />
              </Tooltip>
            </span>
          </div>
          <FieldEditor spec={spec.item} path={[...path, index]} fieldKey={fieldKey} bare />
        </div>
      ))}
      <Button
        type="dashed"
        block
        icon={<PlusOutlined />}
        disabled={!canAdd}
        onClick={() => {
          form.setValue(path, [...items, getInitialValue(spec.item)]);
        }}
      >
        {t('form.addItem')}
      </Button>
    </div>
  );
}

function RecordEditor({ path }: { readonly path: readonly PathSegment[] }) {
  const form = useNodeForm();
  const { t } = useTranslation('designer');
  const stored = getAtPath(form.config, path);
  const entries = isRecord(stored) ? Object.entries(stored) : [];
  const write = (next: [string, unknown][]) => {
    form.setValue(path, Object.fromEntries(next));
  };
  return (
    <div className="sy-record">
      {entries.map(([key, value], index) => (
        <div className="sy-record-row" key={index}>
          <Input
            value={key}
            placeholder={t('form.key')}
            onChange={(event) => {
              write(
                entries.map((entry, i) => (i === index ? [event.target.value, entry[1]] : entry)),
              );
            }}
          />
          <Input
            value={typeof value === 'string' ? value : JSON.stringify(value)}
            placeholder={t('form.value')}
            onChange={(event) => {
              write(
                entries.map((entry, i) => (i === index ? [entry[0], event.target.value] : entry)),
              );
            }}
          />
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('form.remove')}
            onClick={() => {
              write(entries.filter((_, i) => i !== index));
            }}
          />
        </div>
      ))}
      <Button
        type="dashed"
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          const taken = new Set(entries.map(([key]) => key));
          let key = 'key';
          for (let n = 2; taken.has(key); n++) key = `key${n}`;
          write([...entries, [key, '']]);
        }}
      >
        {t('form.addEntry')}
      </Button>
    </div>
  );
}
