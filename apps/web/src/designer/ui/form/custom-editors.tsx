import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { CUSTOMER_TIERS, IMPACTS, PRIORITIES, RECIPIENT_ROLES } from '@switchyard/flow';
import type { NodeKind } from '@switchyard/flow';
import { AutoComplete, Button, Input, InputNumber, Segmented, Select, Switch, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getAtPath } from '../../model/edits';
import { ESCALATION_TARGETS } from './catalog-values';
import type { PathSegment } from '../../model/problems';
import type { FieldSpec } from '../../model/schema-form';
import { CelEditor } from './CelEditor';
import { ClassifyModelEditor } from './ClassifyModelEditor';
import { useNodeForm } from './form-context';
import { fieldLabel, valueLabel } from './labels';
import { MessageEditor } from './MessageEditor';
import { getConfigJsonPath } from './paths';
import { DurationInput, ProblemText } from './widgets';

type Render = (props: { path: readonly PathSegment[]; spec: FieldSpec }) => ReactNode;

/** Hand-made editors for the parts of a config a generated form would make awkward. */
const CUSTOM_EDITORS: Partial<Record<NodeKind, Readonly<Record<string, Render>>>> = {
  prioritize: { rules: (props) => <DecisionTable {...props} /> },
  classify: {
    rules: (props) => <KeywordRules {...props} />,
    categories: (props) => <Categories {...props} />,
    model: (props) => <ClassifyModelEditor {...props} />,
  },
  sla: {
    targets: (props) => <SlaTargets {...props} />,
    escalation: (props) => <EscalationChain {...props} />,
  },
  action: { set: (props) => <SetFields {...props} /> },
};

export function getCustomEditor(kind: NodeKind, path: readonly PathSegment[]): Render | null {
  if (path.length !== 1 || typeof path[0] !== 'string') return null;
  return CUSTOM_EDITORS[kind]?.[path[0]] ?? null;
}

function asList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? (value as unknown[]).map((item) =>
        typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {},
      )
    : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function RowActions({
  index,
  count,
  onMove,
  onRemove,
  min = 0,
}: {
  readonly index: number;
  readonly count: number;
  readonly onMove: (from: number, to: number) => void;
  readonly onRemove: (index: number) => void;
  readonly min?: number;
}) {
  const { t } = useTranslation('designer');
  return (
    <span className="sy-row-actions">
      <Tooltip title={t('form.moveUp')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          disabled={index === 0}
          aria-label={t('form.moveUp')}
          onClick={() => {
            onMove(index, index - 1);
          }}
        />
      </Tooltip>
      <Tooltip title={t('form.moveDown')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          disabled={index === count - 1}
          aria-label={t('form.moveDown')}
          onClick={() => {
            onMove(index, index + 1);
          }}
        />
      </Tooltip>
      <Tooltip title={t('form.remove')}>
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          disabled={count <= min}
          aria-label={t('form.remove')}
          onClick={() => {
            onRemove(index);
          }}
        />
      </Tooltip>
    </span>
  );
}

/** List editing helpers for a config array at `path`. */
function useList(path: readonly PathSegment[]) {
  const form = useNodeForm();
  const items = asList(getAtPath(form.config, path));
  return {
    form,
    items,
    set: (index: number, key: string, value: unknown) => {
      form.setValue([...path, index, key], value);
    },
    move: (from: number, to: number) => {
      const next = [...items];
      const [item] = next.splice(from, 1);
      next.splice(to, 0, item ?? {});
      form.setValue(path, next);
    },
    remove: (index: number) => {
      form.setValue(
        path,
        items.filter((_, i) => i !== index),
      );
    },
    add: (item: Record<string, unknown>) => {
      form.setValue(path, [...items, item]);
    },
  };
}

const priorityClass = (priority: string) => `sy-priority sy-priority-${priority}`;

/** `prioritize`: rows of category × tier × impact (× condition) → priority; first match wins. */
function DecisionTable({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('designer');
  const { form, items, set, move, remove, add } = useList(path);
  const anyOption = { value: '', label: t('decision.any') };
  return (
    <div className="sy-dtable" data-testid="decision-table">
      <div className="sy-dtable-head">
        <span>#</span>
        <span>{t('decision.category')}</span>
        <span>{t('decision.tier')}</span>
        <span>{t('decision.impact')}</span>
      </div>
      {items.map((rule, index) => {
        const rowPath = [...path, index];
        const when = rule.when;
        return (
          <div
            className="sy-dtable-row"
            key={index}
            data-field-path={getConfigJsonPath(form.nodeIndex, rowPath)}
          >
            <div className="sy-dtable-cells">
              <span className="sy-dtable-index">{index + 1}</span>
              <AutoComplete
                size="small"
                value={text(rule.category)}
                placeholder={t('decision.any')}
                options={form.categories.map((category) => ({ value: category }))}
                onChange={(next: string) => {
                  set(index, 'category', next === '' ? undefined : next);
                }}
                allowClear
              />
              <Select
                size="small"
                value={text(rule.tier)}
                options={[
                  anyOption,
                  ...CUSTOMER_TIERS.map((tier) => ({ value: tier, label: valueLabel(t, tier) })),
                ]}
                onChange={(next: string) => {
                  set(index, 'tier', next === '' ? undefined : next);
                }}
              />
              <Select
                size="small"
                value={text(rule.impact)}
                options={[
                  anyOption,
                  ...IMPACTS.map((impact) => ({ value: impact, label: valueLabel(t, impact) })),
                ]}
                onChange={(next: string) => {
                  set(index, 'impact', next === '' ? undefined : next);
                }}
              />
            </div>
            <div className="sy-dtable-then">
              <span className="sy-dtable-then-label">{t('decision.then')}</span>
              <Select
                size="small"
                value={text(rule.priority)}
                className={priorityClass(text(rule.priority))}
                options={PRIORITIES.map((priority) => ({
                  value: priority,
                  label: <span className={priorityClass(priority)}>{valueLabel(t, priority)}</span>,
                }))}
                onChange={(next: string) => {
                  set(index, 'priority', next);
                }}
              />
              {when === undefined ? (
                <Button
                  size="small"
                  type="link"
                  icon={<PlusOutlined />}
                  onClick={() => {
                    set(index, 'when', '');
                  }}
                >
                  {t('decision.addCondition')}
                </Button>
              ) : (
                <span />
              )}
              <RowActions index={index} count={items.length} onMove={move} onRemove={remove} />
            </div>
            <div className="sy-dtable-when">
              {when === undefined ? null : (
                <div
                  className="sy-dtable-condition"
                  data-field-path={getConfigJsonPath(form.nodeIndex, [...rowPath, 'when'])}
                >
                  <span className="sy-dtable-and">{t('decision.and')}</span>
                  <CelEditor
                    value={text(when)}
                    onChange={(next) => {
                      set(index, 'when', next);
                    }}
                    schema={form.celSchema}
                    environment={form.celEnvironment}
                    maxLines={3}
                  />
                  <Tooltip title={t('decision.removeCondition')}>
                    <Button
                      size="small"
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('decision.removeCondition')}
                      onClick={() => {
                        set(index, 'when', undefined);
                      }}
                    />
                  </Tooltip>
                </div>
              )}
            </div>
            <ProblemText problems={form.problemsUnder(rowPath)} />
          </div>
        );
      })}
      <Button
        type="dashed"
        size="small"
        block
        icon={<PlusOutlined />}
        onClick={() => {
          add({ priority: 'medium' });
        }}
      >
        {t('decision.addRow')}
      </Button>
      <div className="sy-dtable-note">{t('decision.note')}</div>
    </div>
  );
}

/** `classify`: the categories (one output port each). */
function Categories({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('designer');
  const { form, items, set, remove, add } = useList(path);
  return (
    <div className="sy-categories">
      {items.map((category, index) => {
        const labels =
          typeof category.labels === 'object' && category.labels !== null
            ? (category.labels as Record<string, string>)
            : {};
        return (
          <div className="sy-category-row" key={index}>
            <Input
              size="small"
              value={text(category.id)}
              placeholder={t('classify.categoryId')}
              onChange={(event) => {
                set(index, 'id', event.target.value);
              }}
              aria-label={t('classify.categoryId')}
            />
            <Input
              size="small"
              value={text(category.label)}
              placeholder={t('classify.categoryLabel')}
              onChange={(event) => {
                set(index, 'label', event.target.value);
              }}
              aria-label={t('classify.categoryLabel')}
            />
            <Input
              size="small"
              value={labels['zh-CN'] ?? ''}
              placeholder={t('classify.categoryLabelZh')}
              onChange={(event) => {
                const next = Object.fromEntries(
                  Object.entries({ ...labels, 'zh-CN': event.target.value }).filter(
                    ([, label]) => label !== '',
                  ),
                );
                set(index, 'labels', Object.keys(next).length === 0 ? undefined : next);
              }}
              aria-label={t('classify.categoryLabelZh')}
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              disabled={items.length <= 1}
              aria-label={t('form.remove')}
              onClick={() => {
                remove(index);
              }}
            />
          </div>
        );
      })}
      <ProblemText problems={form.problemsUnder(path)} />
      <Button
        type="dashed"
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          const taken = new Set(items.map((item) => text(item.id)));
          let id = 'category';
          for (let n = 2; taken.has(id); n++) id = `category-${n}`;
          add({ id, label: id });
        }}
      >
        {t('classify.addCategory')}
      </Button>
    </div>
  );
}

/** `classify`: keyword rules — any / all / none of these words, in the subject or description. */
function KeywordRules({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('designer');
  const { form, items, set, move, remove, add } = useList(path);
  const categories = asList(getAtPath(form.config, ['categories'])).map((c) => text(c.id));
  const words = (index: number, key: 'any' | 'all' | 'none', label: string) => {
    const list = items[index]?.[key];
    return (
      <div className="sy-rule-words">
        <span className="sy-rule-words-label">{label}</span>
        <Select
          mode="tags"
          size="small"
          value={Array.isArray(list) ? (list as string[]) : []}
          open={false}
          suffix={null}
          tokenSeparators={[',', '，']}
          placeholder={t('classify.typeKeywords')}
          onChange={(next: string[]) => {
            set(index, key, next.length === 0 ? undefined : next);
          }}
        />
      </div>
    );
  };
  return (
    <div className="sy-rules" data-testid="keyword-rules">
      {items.map((rule, index) => {
        const rowPath = [...path, index];
        return (
          <div
            className="sy-rule"
            key={index}
            data-field-path={getConfigJsonPath(form.nodeIndex, rowPath)}
          >
            <div className="sy-rule-header">
              <Input
                size="small"
                value={text(rule.id)}
                className="sy-rule-id"
                aria-label={t('classify.ruleId')}
                onChange={(event) => {
                  set(index, 'id', event.target.value);
                }}
              />
              <span className="sy-rule-arrow">→</span>
              <Select
                size="small"
                value={text(rule.category)}
                className="sy-rule-category"
                options={categories.map((category) => ({ value: category, label: category }))}
                onChange={(next: string) => {
                  set(index, 'category', next);
                }}
                aria-label={t('classify.category')}
              />
              <RowActions index={index} count={items.length} onMove={move} onRemove={remove} />
            </div>
            {words(index, 'any', t('classify.any'))}
            {words(index, 'all', t('classify.all'))}
            {words(index, 'none', t('classify.none'))}
            <div className="sy-rule-footer">
              <Segmented
                size="small"
                value={text(rule.scope) === '' ? 'both' : text(rule.scope)}
                options={['subject', 'description', 'both'].map((scope) => ({
                  value: scope,
                  label: valueLabel(t, scope),
                }))}
                onChange={(next) => {
                  set(index, 'scope', next);
                }}
              />
              <Input
                size="small"
                value={text(rule.subcategory)}
                placeholder={t('classify.subcategory')}
                onChange={(event) => {
                  set(
                    index,
                    'subcategory',
                    event.target.value === '' ? undefined : event.target.value,
                  );
                }}
                className="sy-rule-sub"
              />
            </div>
            <ProblemText problems={form.problemsUnder(rowPath)} />
          </div>
        );
      })}
      <ProblemText problems={form.problemsAt(path)} />
      <Button
        type="dashed"
        size="small"
        block
        icon={<PlusOutlined />}
        onClick={() => {
          const taken = new Set(items.map((item) => text(item.id)));
          let id = `rule-${items.length + 1}`;
          for (let n = items.length + 2; taken.has(id); n++) id = `rule-${n}`;
          add({ id, category: categories[0] ?? '', any: [] });
        }}
      >
        {t('classify.addRule')}
      </Button>
    </div>
  );
}

/** `sla`: response and resolution targets for each priority. */
function SlaTargets({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('designer');
  const form = useNodeForm();
  const targets = getAtPath(form.config, path);
  const get = (priority: string, key: string) => text(getAtPath(targets, [priority, key]));
  return (
    <div className="sy-sla-targets" data-testid="sla-targets">
      <div className="sy-sla-head">
        <span>{t('sla.priority')}</span>
        <span>{t('sla.response')}</span>
        <span>{t('sla.resolution')}</span>
      </div>
      {PRIORITIES.map((priority) => (
        <div
          key={priority}
          className="sy-sla-row"
          data-field-path={getConfigJsonPath(form.nodeIndex, [...path, priority])}
        >
          <span className={priorityClass(priority)}>{valueLabel(t, priority)}</span>
          {(['response', 'resolution'] as const).map((key) => (
            <div
              key={key}
              data-field-path={getConfigJsonPath(form.nodeIndex, [...path, priority, key])}
            >
              <DurationInput
                size="small"
                value={get(priority, key)}
                onChange={(next) => {
                  form.setValue([...path, priority, key], next ?? '');
                }}
              />
            </div>
          ))}
          <div className="sy-sla-row-problems">
            <ProblemText problems={form.problemsUnder([...path, priority])} />
          </div>
        </div>
      ))}
    </div>
  );
}

/** `sla`: what happens after a breach, level by level. */
function EscalationChain({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('designer');
  const { form, items, set, move, remove, add } = useList(path);
  return (
    <div className="sy-escalation" data-testid="escalation-chain">
      {items.map((level, index) => {
        const rowPath = [...path, index];
        const notify = level.notify;
        return (
          <div
            className="sy-escalation-level"
            key={index}
            data-field-path={getConfigJsonPath(form.nodeIndex, rowPath)}
          >
            <div className="sy-escalation-marker">{index + 1}</div>
            <div className="sy-escalation-body">
              <div className="sy-escalation-header">
                <span className="sy-escalation-title">{t('sla.level', { level: index + 1 })}</span>
                <RowActions index={index} count={items.length} onMove={move} onRemove={remove} />
              </div>
              <div className="sy-escalation-line">
                <span>{t(index === 0 ? 'sla.afterBreach' : 'sla.afterPrevious')}</span>
                <DurationInput
                  size="small"
                  allowZero
                  value={text(level.after)}
                  onChange={(next) => {
                    set(index, 'after', next ?? '0m');
                  }}
                />
              </div>
              <div className="sy-escalation-line">
                <span>{fieldLabel(t, 'reassignTo')}</span>
                <Segmented
                  size="small"
                  value={text(level.reassignTo) === '' ? 'none' : text(level.reassignTo)}
                  options={ESCALATION_TARGETS.map((target) => ({
                    value: target,
                    label: valueLabel(t, target),
                  }))}
                  onChange={(next) => {
                    set(index, 'reassignTo', next);
                  }}
                />
              </div>
              <div className="sy-escalation-line sy-escalation-notify">
                <span>{fieldLabel(t, 'notify')}</span>
                <Select
                  mode="tags"
                  size="small"
                  value={Array.isArray(notify) ? (notify as string[]) : []}
                  options={RECIPIENT_ROLES.map((role) => ({
                    value: role,
                    label: valueLabel(t, role),
                  }))}
                  placeholder={t('sla.nobody')}
                  onChange={(next: string[]) => {
                    set(index, 'notify', next);
                  }}
                />
              </div>
              <details className="sy-escalation-message">
                <summary>{t('sla.message')}</summary>
                <MessageEditor path={[...rowPath, 'message']} optional={false} />
              </details>
              <ProblemText
                problems={form.problemsUnder(rowPath).filter((p) => !p.path.includes('.message'))}
              />
            </div>
          </div>
        );
      })}
      <Button
        type="dashed"
        size="small"
        block
        icon={<PlusOutlined />}
        disabled={items.length >= 10}
        onClick={() => {
          add({
            after: items.length === 0 ? '0m' : '1h',
            reassignTo: 'none',
            notify: ['team-lead'],
          });
        }}
      >
        {t('sla.addLevel')}
      </Button>
    </div>
  );
}

const BUILTIN_SET_FIELDS = ['priority', 'impact', 'category', 'subcategory', 'addTag', 'removeTag'];

/** `action` (set fields): which ticket field gets which value, with the field's own widget. */
function SetFields({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('designer');
  const { form, items, set, remove, add, move } = useList(path);
  const custom = new Map(form.doc.ticketFields.map((field) => [`fields.${field.key}`, field]));
  const fieldOptions = [
    ...BUILTIN_SET_FIELDS.map((field) => ({ value: field, label: fieldLabel(t, field) })),
    ...form.doc.ticketFields.map((field) => ({
      value: `fields.${field.key}`,
      label: `${field.label} (fields.${field.key})`,
    })),
  ];
  const valueEditor = (index: number, field: string, value: unknown) => {
    const write = (next: unknown) => {
      set(index, 'value', next);
    };
    const enumOptions =
      field === 'priority' ? PRIORITIES : field === 'impact' ? IMPACTS : custom.get(field)?.options;
    const type = custom.get(field)?.type;
    if (enumOptions !== undefined) {
      return (
        <Select
          size="small"
          value={typeof value === 'string' ? value : undefined}
          options={enumOptions.map((option) => ({ value: option, label: valueLabel(t, option) }))}
          onChange={write}
        />
      );
    }
    if (type === 'boolean') {
      return <Switch size="small" checked={value === true} onChange={write} />;
    }
    if (type === 'number' || type === 'integer') {
      return (
        <InputNumber
          size="small"
          value={typeof value === 'number' ? value : null}
          precision={type === 'integer' ? 0 : undefined}
          onChange={(next) => {
            write(next ?? 0);
          }}
        />
      );
    }
    return (
      <Input
        size="small"
        value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
        onChange={(event) => {
          write(event.target.value);
        }}
      />
    );
  };
  return (
    <div className="sy-set-fields">
      {items.map((assignment, index) => {
        const field = text(assignment.field);
        return (
          <div
            className="sy-set-row"
            key={index}
            data-field-path={getConfigJsonPath(form.nodeIndex, [...path, index])}
          >
            <Select
              size="small"
              value={field}
              options={fieldOptions}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(next: string) => {
                form.setValue([...path, index], { field: next, value: '' });
              }}
            />
            <span className="sy-set-equals">=</span>
            {valueEditor(index, field, assignment.value)}
            <RowActions
              index={index}
              count={items.length}
              onMove={move}
              onRemove={remove}
              min={1}
            />
            <div className="sy-set-problems">
              <ProblemText problems={form.problemsUnder([...path, index])} />
            </div>
          </div>
        );
      })}
      <ProblemText problems={form.problemsAt(path)} />
      <Button
        type="dashed"
        size="small"
        block
        icon={<PlusOutlined />}
        onClick={() => {
          add({ field: 'addTag', value: '' });
        }}
      >
        {t('action.addField')}
      </Button>
    </div>
  );
}
