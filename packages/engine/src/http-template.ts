/**
 * Filling `{{…}}` placeholders of outbound HTTP calls. Ticket values come from customers, so each
 * value is encoded for the place it lands in and can never change the request's shape:
 *
 * - URL: every value is one URL component (`encodeURIComponent`): a `/`, `?`, `#` or `&` in an
 *   order number stays inside its path segment or query value.
 * - JSON body: a placeholder that is a whole string value (`"{{ticket.fields.amount}}"`) becomes
 *   the value itself with its JSON type (number, boolean, null, array, string); a bare placeholder
 *   (`{"n": {{ticket.fields.n}}}`) too; a placeholder inside a longer string is escaped as JSON
 *   string content. The filled body has the template's structure whatever the values hold.
 * - Form body (`application/x-www-form-urlencoded`): values are URL components.
 * - Header values: control characters (CR, LF, …) become spaces, so no value adds a header.
 * - Any other body (`text/plain`, …): plain text, as written.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** A placeholder starting exactly at `lastIndex`. */
const PLACEHOLDER_AT = /\{\{\s*([^{}]*?)\s*\}\}/y;
/** A string literal's content that is one placeholder and nothing else. */
const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/** The value a placeholder path names (own keys only), or undefined. */
export function getTemplateValue(values: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = values;
  for (const part of path.split('.')) {
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, part)
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return value;
}

/** The text of a value, as plain message templates show it (missing → empty, lists joined). */
function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(toText).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return '';
}

/** The value as JSON text, keeping its type; objects and other non-values become null. */
function toJsonText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  return 'null';
}

/** Lone UTF-16 surrogates (which `encodeURIComponent` refuses) replaced by U+FFFD. */
export function toWellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

function replace(text: string, fill: (path: string) => string): string {
  return text.replace(PLACEHOLDER, (_whole, path: string) => fill(path));
}

/**
 * Fill a URL template: each value is encoded as one URL component.
 *
 * @example
 * renderUrlTemplate('https://oms.example.com/orders/{{ticket.fields.orderId}}', values);
 * // orderId "A/1?x=2" → 'https://oms.example.com/orders/A%2F1%3Fx%3D2'
 */
export function renderUrlTemplate(
  template: string,
  values: Readonly<Record<string, unknown>>,
): string {
  return replace(template, (path) =>
    encodeURIComponent(toWellFormed(toText(getTemplateValue(values, path)))),
  );
}

/** Fill a header value: control characters (CR, LF, NUL, …) in values become spaces. */
export function renderHeaderTemplate(
  template: string,
  values: Readonly<Record<string, unknown>>,
): string {
  return replace(template, (path) =>
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    toText(getTemplateValue(values, path)).replace(/[\u0000-\u001f\u007f]/g, ' '),
  );
}

/**
 * Fill a JSON body template. Scans the template as JSON text: a placeholder outside a string, or
 * one that is a whole string literal, becomes the value as JSON; inside a longer string it becomes
 * escaped string content. Whatever the values hold, the result parses to the structure the
 * template has with every placeholder replaced by a value.
 *
 * @example
 * renderJsonTemplate('{"subject": "Re: {{ticket.subject}}", "amount": "{{ticket.fields.amount}}"}', values);
 * // subject 'say "hi"', amount 42 → '{"subject": "Re: say \"hi\"", "amount": 42}'
 */
export function renderJsonTemplate(
  template: string,
  values: Readonly<Record<string, unknown>>,
): string {
  let out = '';
  let index = 0;
  while (index < template.length) {
    const char = template.charAt(index);
    if (char === '"') {
      const end = findStringEnd(template, index);
      const literal = template.slice(index, end);
      const closed = literal.length > 1 && literal.endsWith('"');
      const whole = closed ? WHOLE_PLACEHOLDER.exec(literal.slice(1, -1)) : null;
      out +=
        whole === null
          ? replace(literal, (path) =>
              JSON.stringify(toText(getTemplateValue(values, path))).slice(1, -1),
            )
          : toJsonText(getTemplateValue(values, whole[1] ?? ''));
      index = end;
      continue;
    }
    PLACEHOLDER_AT.lastIndex = index;
    const bare = char === '{' ? PLACEHOLDER_AT.exec(template) : null;
    if (bare !== null) {
      out += toJsonText(getTemplateValue(values, bare[1] ?? ''));
      index += bare[0].length;
      continue;
    }
    out += char;
    index += 1;
  }
  return out;
}

/** Index just past the string literal opening at `start` (or the end of the text if unclosed). */
function findStringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else index += 1;
  }
  return text.length;
}

/** How a request body is filled, from its content type and what the template looks like. */
export type BodyFormat = 'json' | 'form' | 'text';

/**
 * The body's format: the `Content-Type` header decides when set (a `+json` type is JSON); without
 * one, a body that is JSON once its placeholders are filled in is JSON, anything else text.
 */
export function getBodyFormat(
  template: string,
  headers: Readonly<Record<string, string>>,
): BodyFormat {
  const contentType = Object.entries(headers)
    .find(([name]) => name.toLowerCase() === 'content-type')?.[1]
    ?.toLowerCase();
  if (contentType !== undefined) {
    if (/[/+]json\b/.test(contentType)) return 'json';
    if (contentType.includes('application/x-www-form-urlencoded')) return 'form';
    return 'text';
  }
  try {
    JSON.parse(template.replace(PLACEHOLDER, 'null'));
    return 'json';
  } catch {
    return 'text';
  }
}

/** Fill a request body for its format (see {@link getBodyFormat}). */
export function renderBodyTemplate(
  template: string,
  headers: Readonly<Record<string, string>>,
  values: Readonly<Record<string, unknown>>,
): string {
  switch (getBodyFormat(template, headers)) {
    case 'json':
      return renderJsonTemplate(template, values);
    case 'form':
      return replace(template, (path) =>
        encodeURIComponent(toWellFormed(toText(getTemplateValue(values, path)))),
      );
    case 'text':
      return replace(template, (path) => toText(getTemplateValue(values, path)));
  }
}
