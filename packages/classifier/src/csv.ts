/**
 * Labelled-data CSV: RFC 4180 (quoted fields, doubled quotes, CRLF or LF, newlines inside
 * quotes), header `text,category` or `text,label` (any column order, extra columns ignored).
 */

// The model answers `unknown` below its confidence threshold, so no data may use it.
const RESERVED_LABEL = 'unknown';

export interface LabelledExample {
  text: string;
  label: string;
}

/**
 * Thrown for malformed CSV. `line` is 1-based and points at the offending row (where it
 * starts, for rows with quoted newlines); `column` is the 1-based field, when one field
 * is at fault. The message starts `line L:` or `line L, column C:`.
 */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number | null = null,
  ) {
    super(`line ${line}${column === null ? '' : `, column ${column}`}: ${message}`);
  }
}

interface CsvRow {
  fields: string[];
  line: number;
}

function parseRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fieldStarted = false;
  const endRow = (): void => {
    fields.push(field);
    rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === '"' && !fieldStarted && field === '') {
      // Quoted field.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw new CsvFormatError(
            'unterminated quoted field (a " opens it and no closing " follows)',
            startLine,
            fields.length + 1,
          );
        }
        const q = text.charAt(i);
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      fieldStarted = true;
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        throw new CsvFormatError(
          'unexpected character after closing quote (inside quotes, write a quote as "")',
          line,
          fields.length + 1,
        );
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    if (ch === '"') {
      throw new CsvFormatError(
        'quote inside an unquoted field (quote the whole field and double inner quotes)',
        line,
        fields.length + 1,
      );
    }
    field += ch;
    fieldStarted = true;
    i++;
  }
  if (field !== '' || fieldStarted || fields.length > 0) endRow();
  return rows;
}

/**
 * Parses labelled examples from CSV text.
 *
 * @example
 * parseLabelledCsv('text,label\n"Hi, there",greeting\n')
 * // → [{ text: 'Hi, there', label: 'greeting' }]
 */
export function parseLabelledCsv(text: string): LabelledExample[] {
  const rows = parseRows(text).filter((row) => !(row.fields.length === 1 && row.fields[0] === ''));
  const header = rows[0];
  if (header === undefined)
    throw new CsvFormatError('empty file: expected a header text,category', 1);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const textCol = names.indexOf('text');
  let labelCol = names.indexOf('category');
  if (labelCol < 0) labelCol = names.indexOf('label');
  if (textCol < 0 || labelCol < 0) {
    throw new CsvFormatError(
      `header must name a "text" column and a "category" or "label" column, got "${header.fields.join(',')}"`,
      header.line,
    );
  }
  const labelName = header.fields[labelCol]?.trim() ?? 'label';
  const examples: LabelledExample[] = [];
  for (const row of rows.slice(1)) {
    if (row.fields.length !== header.fields.length) {
      throw new CsvFormatError(
        `expected ${header.fields.length} fields (${header.fields.join(',')}), found ${row.fields.length}; quote fields that contain commas`,
        row.line,
      );
    }
    const exampleText = row.fields[textCol] ?? '';
    const label = (row.fields[labelCol] ?? '').trim();
    if (label === '') throw new CsvFormatError(`empty ${labelName}`, row.line, labelCol + 1);
    if (label === RESERVED_LABEL) {
      throw new CsvFormatError(
        `${labelName} "${RESERVED_LABEL}" is reserved for low-confidence answers; rename it`,
        row.line,
        labelCol + 1,
      );
    }
    examples.push({ text: exampleText, label });
  }
  return examples;
}
