/**
 * Form descriptions generated from a node kind's zod config schema, so the properties panel shows
 * the right widget for every field of every kind — including kinds added to the catalog later —
 * without a hand-written form per kind. Only the shape is read here; validation stays with the
 * schema (lint reports its messages on the fields).
 */

export type FieldSpec =
  | { readonly kind: 'text'; readonly maxLength?: number; readonly multiline: boolean }
  | { readonly kind: 'duration'; readonly allowZero: boolean }
  | { readonly kind: 'cel' }
  | {
      readonly kind: 'number';
      readonly min?: number;
      readonly max?: number;
      readonly integer: boolean;
    }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  /** A fixed value (the discriminator of a variant). */
  | { readonly kind: 'literal'; readonly value: string }
  /** One of the options or free text (recipients: a role or an e-mail address). */
  | { readonly kind: 'enum-or-text'; readonly options: readonly string[] }
  /** A string, number or boolean (action `set` values). */
  | { readonly kind: 'scalar' }
  /** A list of strings or options, edited as tags. */
  | {
      readonly kind: 'tags';
      readonly options: readonly string[];
      readonly free: boolean;
      readonly min?: number;
    }
  | {
      readonly kind: 'list';
      readonly item: FieldSpec;
      readonly min?: number;
      readonly max?: number;
    }
  | { readonly kind: 'object'; readonly fields: readonly ObjectField[] }
  /** Objects told apart by one field (`channel`, `type`). */
  | {
      readonly kind: 'variant';
      readonly discriminator: string;
      readonly variants: readonly Variant[];
    }
  | { readonly kind: 'record'; readonly value: FieldSpec }
  /** A message template: subject and body with `{{…}}` placeholders. */
  | { readonly kind: 'message' }
  | { readonly kind: 'unknown' };

export interface ObjectField {
  readonly key: string;
  readonly spec: FieldSpec;
  /** May be left out (no value). */
  readonly optional: boolean;
  /** The value used when it is left out. */
  readonly defaultValue?: unknown;
}

export interface Variant {
  readonly value: string;
  readonly spec: Extract<FieldSpec, { kind: 'object' }>;
}

/** The part of zod 4's internal definition this module reads. */
interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly element?: unknown;
  readonly innerType?: unknown;
  readonly options?: readonly unknown[];
  readonly discriminator?: string;
  readonly entries?: Readonly<Record<string, string>>;
  readonly values?: readonly unknown[];
  readonly valueType?: unknown;
  readonly defaultValue?: unknown;
  readonly in?: unknown;
  readonly format?: string;
}

interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly format?: string;
}

interface ProbeableSchema {
  readonly _zod: { readonly def: SchemaDef };
  safeParse(value: unknown): { readonly success: boolean };
}

function isSchema(value: unknown): value is ProbeableSchema {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

function getDef(schema: unknown): SchemaDef {
  return isSchema(schema) ? schema._zod.def : { type: 'unknown' };
}

function getChecks(def: SchemaDef): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

/** Fields with these names hold CEL conditions (the catalog's convention; a test checks it). */
const CEL_KEYS = new Set(['when']);
/** Long text: shown as a text area. */
const MULTILINE_KEYS = new Set(['body', 'note', 'description']);

/**
 * A string schema with a custom check that accepts "2h" and "1h30m" and refuses plain words is a
 * duration; one that also accepts "0m" is a delay that may be zero.
 */
function getDurationKind(schema: ProbeableSchema): 'duration' | 'delay' | null {
  if (!getChecks(schema._zod.def).some((check) => check.check === 'custom')) return null;
  if (!schema.safeParse('2h').success || !schema.safeParse('1h30m').success) return null;
  if (schema.safeParse('soon').success) return null;
  return schema.safeParse('0m').success ? 'delay' : 'duration';
}

function unwrap(schema: unknown): { inner: unknown; optional: boolean; defaultValue?: unknown } {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    const def = getDef(current);
    if (def.type === 'optional' || def.type === 'nullable') {
      optional = true;
      current = def.innerType;
    } else if (def.type === 'default' || def.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = def.defaultValue;
      optional = true;
      current = def.innerType;
    } else if (def.type === 'pipe') {
      current = def.in;
    } else {
      return { inner: current, optional, defaultValue };
    }
  }
}

function getEnumOptions(def: SchemaDef): string[] | null {
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'literal' && def.values)
    return def.values.map((value) => JSON.stringify(value).replace(/^"|"$/g, ''));
  return null;
}

/**
 * Describe a zod schema as a form field.
 *
 * @example
 * describeSchema(getNodeKind('sla').configSchema); // { kind: 'object', fields: [{ key: 'calendar', … }, …] }
 */
export function describeSchema(schema: unknown, key = ''): FieldSpec {
  const { inner } = unwrap(schema);
  const def = getDef(inner);
  switch (def.type) {
    case 'string': {
      if (CEL_KEYS.has(key)) return { kind: 'cel' };
      if (isSchema(inner)) {
        const duration = getDurationKind(inner);
        if (duration !== null) return { kind: 'duration', allowZero: duration === 'delay' };
      }
      const max = getChecks(def).find((check) => check.check === 'max_length')?.maximum;
      return {
        kind: 'text',
        ...(max !== undefined && { maxLength: max }),
        multiline: MULTILINE_KEYS.has(key) || (max ?? 0) > 2000,
      };
    }
    case 'number': {
      const checks = getChecks(def);
      const min = checks.find((c) => c.check === 'greater_than')?.value;
      const max = checks.find((c) => c.check === 'less_than')?.value;
      const integer = checks.some((c) => c.check === 'number_format' && c.format === 'safeint');
      return {
        kind: 'number',
        ...(min !== undefined && { min }),
        ...(max !== undefined && { max }),
        integer,
      };
    }
    case 'int':
      return { kind: 'number', integer: true };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return { kind: 'enum', options: getEnumOptions(def) ?? [] };
    case 'literal':
      return { kind: 'literal', value: getEnumOptions(def)?.[0] ?? '' };
    case 'union': {
      const options = def.options ?? [];
      if (def.discriminator !== undefined) {
        const variants: Variant[] = [];
        for (const option of options) {
          const spec = describeSchema(option);
          if (spec.kind !== 'object') continue;
          const tag = spec.fields.find((field) => field.key === def.discriminator);
          if (tag?.spec.kind === 'literal') variants.push({ value: tag.spec.value, spec });
        }
        return { kind: 'variant', discriminator: def.discriminator, variants };
      }
      const kinds = options.map((option) => getDef(unwrap(option).inner));
      const enumOptions = kinds.flatMap((k) => getEnumOptions(k) ?? []);
      if (kinds.some((k) => k.type === 'string') && enumOptions.length > 0) {
        return { kind: 'enum-or-text', options: enumOptions };
      }
      if (kinds.every((k) => ['string', 'number', 'boolean'].includes(k.type))) {
        return { kind: 'scalar' };
      }
      return { kind: 'unknown' };
    }
    case 'array': {
      const item = describeSchema(def.element, key);
      const checks = getChecks(def);
      const min = checks.find((c) => c.check === 'min_length')?.minimum;
      const max = checks.find((c) => c.check === 'max_length')?.maximum;
      if (item.kind === 'enum' || item.kind === 'text' || item.kind === 'enum-or-text') {
        return {
          kind: 'tags',
          options: item.kind === 'text' ? [] : item.options,
          free: item.kind !== 'enum',
          ...(min !== undefined && { min }),
        };
      }
      return {
        kind: 'list',
        item,
        ...(min !== undefined && { min }),
        ...(max !== undefined && { max }),
      };
    }
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      if (keys.length === 2 && keys.includes('subject') && keys.includes('body')) {
        return { kind: 'message' };
      }
      return {
        kind: 'object',
        fields: keys.map((fieldKey) => {
          const field = unwrap(shape[fieldKey]);
          return {
            key: fieldKey,
            spec: describeSchema(shape[fieldKey], fieldKey),
            optional: field.optional,
            ...(field.defaultValue !== undefined && { defaultValue: field.defaultValue }),
          };
        }),
      };
    }
    case 'record':
      return { kind: 'record', value: describeSchema(def.valueType) };
    default:
      return { kind: 'unknown' };
  }
}

/** A starting value for a new list item or a newly enabled optional field. */
export function getInitialValue(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'text':
    case 'cel':
    case 'enum-or-text':
      return '';
    case 'scalar':
      return '';
    case 'duration':
      return spec.allowZero ? '0m' : '1h';
    case 'number':
      return spec.min ?? 0;
    case 'boolean':
      return false;
    case 'enum':
      return spec.options[0] ?? '';
    case 'literal':
      return spec.value;
    case 'tags':
    case 'list':
      return [];
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const field of spec.fields) {
        if (field.defaultValue !== undefined)
          value[field.key] = structuredClone(field.defaultValue);
        else if (!field.optional) value[field.key] = getInitialValue(field.spec);
      }
      return value;
    }
    case 'variant': {
      const [first] = spec.variants;
      return first === undefined ? {} : getInitialValue(first.spec);
    }
    case 'record':
      return {};
    case 'message':
      return { subject: '', body: '' };
    case 'unknown':
      return null;
  }
}
