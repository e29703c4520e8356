import type { TypeSpec, VariableSchema } from '@switchyard/expr';

/**
 * Message templates are logic-less: text with `{{path}}` placeholders and nothing else, so a
 * template can never run code. Paths name ticket fields (`{{ticket.number}}`,
 * `{{ticket.fields.orderId}}`) or links the runtime provides (`{{links.survey}}`).
 */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Links the runtime fills in when it renders a message. */
export const TEMPLATE_LINKS = ['ticket', 'survey', 'approval'] as const;

export interface Placeholder {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export function getPlaceholders(text: string): Placeholder[] {
  const result: Placeholder[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, path = ''] = match;
    result.push({ path, start: match.index, end: match.index + whole.length });
  }
  return result;
}

/** Why a placeholder does not resolve, or null when it does. */
export function checkPlaceholder(path: string, schema: VariableSchema): string | null {
  if (!PATH.test(path)) {
    return `"{{${path}}}" is not a field path; write a path such as {{ticket.number}}`;
  }
  const [head = '', ...rest] = path.split('.');
  if (head === 'links') {
    const [link] = rest;
    return rest.length === 1 &&
      link !== undefined &&
      (TEMPLATE_LINKS as readonly string[]).includes(link)
      ? null
      : `Unknown link "{{${path}}}"; use one of ${TEMPLATE_LINKS.map((l) => `{{links.${l}}}`).join(', ')}`;
  }
  let spec: TypeSpec | undefined = head === 'ticket' ? schema.ticket : undefined;
  if (spec === undefined)
    return `Unknown placeholder "{{${path}}}"; placeholders start with "ticket." or "links."`;
  for (const [index, part] of rest.entries()) {
    if (typeof spec === 'string' || spec.kind !== 'object') {
      const value = ['ticket', ...rest.slice(0, index)].join('.');
      return `"{{${path}}}" goes past a value; end the placeholder at {{${value}}}`;
    }
    // Own keys only: `{{ticket.constructor}}` must not resolve through Object.prototype.
    spec = Object.hasOwn(spec.fields, part) ? spec.fields[part] : undefined;
    if (spec === undefined) {
      return `The ticket has no field "${path.slice('ticket.'.length)}"; check the spelling, or declare the custom field under ticketFields`;
    }
  }
  if (typeof spec !== 'string' && spec.kind === 'object') {
    // An object renders as an empty string; the author meant one of its fields.
    const [example] = Object.keys(spec.fields);
    const hint = example === undefined ? '' : ` such as {{${path}.${example}}}`;
    return `"{{${path}}}" is a group of fields, not a value; use one of its fields${hint}`;
  }
  return null;
}

/**
 * Render a template with plain values. Missing values render as an empty string.
 *
 * @example
 * renderTemplate('Ticket {{ticket.number}}', { ticket: { number: 'CS20240101001' } }); // 'Ticket CS20240101001'
 */
export function renderTemplate(text: string, values: Readonly<Record<string, unknown>>): string {
  return text.replace(PLACEHOLDER, (_whole, path: string) => {
    let value: unknown = values;
    for (const part of path.split('.')) {
      value =
        typeof value === 'object' && value !== null && Object.hasOwn(value, part)
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (value === undefined || value === null) return '';
    if (typeof value === 'object') return Array.isArray(value) ? value.join(', ') : '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      return String(value);
    }
    return ''; // functions and symbols are not template values
  });
}
