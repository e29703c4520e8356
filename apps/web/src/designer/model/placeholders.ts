import { checkPlaceholder, getConditionSchema, TEMPLATE_LINKS } from '@switchyard/flow';
import type { TicketField } from '@switchyard/flow';
import type { TypeSpec } from '@switchyard/expr';

export interface PlaceholderOption {
  /** The path inside `{{…}}`, e.g. `ticket.customer.name`. */
  readonly path: string;
  /** Where it comes from, for grouping in the insert menu. */
  readonly group: 'ticket' | 'customer' | 'custom' | 'links';
  /** The custom field's label, when it is one. */
  readonly label?: string;
}

function collect(spec: TypeSpec, path: string, out: string[]): void {
  if (typeof spec !== 'string' && spec.kind === 'object') {
    for (const [key, child] of Object.entries(spec.fields)) collect(child, `${path}.${key}`, out);
    return;
  }
  out.push(path);
}

/**
 * Every placeholder a message template in this flow can use: the ticket's fields (custom fields
 * included) and the links the runtime fills in. Each one passes the same check lint applies.
 *
 * @example
 * getPlaceholderOptions([]).map((o) => o.path); // ['ticket.number', 'ticket.subject', …, 'links.survey']
 */
export function getPlaceholderOptions(ticketFields: readonly TicketField[]): PlaceholderOption[] {
  const schema = getConditionSchema(ticketFields);
  const paths: string[] = [];
  if (schema.ticket !== undefined) collect(schema.ticket, 'ticket', paths);
  const labels = new Map(ticketFields.map((field) => [`ticket.fields.${field.key}`, field.label]));
  const options: PlaceholderOption[] = paths
    .filter((path) => checkPlaceholder(path, schema) === null)
    .map((path) => {
      const label = labels.get(path);
      const group = path.startsWith('ticket.fields.')
        ? 'custom'
        : path.startsWith('ticket.customer.')
          ? 'customer'
          : 'ticket';
      return { path, group, ...(label !== undefined && { label }) };
    });
  for (const link of TEMPLATE_LINKS) {
    const path = `links.${link}`;
    if (checkPlaceholder(path, schema) === null) options.push({ path, group: 'links' });
  }
  return options;
}

/**
 * Insert `{{path}}` into text at a selection, returning the new text and where the caret goes.
 */
export function insertPlaceholder(
  text: string,
  selectionStart: number,
  selectionEnd: number,
  path: string,
): { text: string; caret: number } {
  const start = Math.max(0, Math.min(selectionStart, text.length));
  const end = Math.max(start, Math.min(selectionEnd, text.length));
  const token = `{{${path}}}`;
  return { text: text.slice(0, start) + token + text.slice(end), caret: start + token.length };
}
