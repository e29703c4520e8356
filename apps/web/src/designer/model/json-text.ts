import { flowDocumentSchema, lintFlow, toJsonPath } from '@switchyard/flow';
import type { Diagnostic, FlowDocument } from '@switchyard/flow';

export interface JsonProblem {
  readonly message: string;
  /** JSON path of the problem, when the text parsed. */
  readonly path?: string;
  /** 1-based line and column in the text, for syntax errors. */
  readonly line?: number;
  readonly column?: number;
}

export type ParseFlowTextResult =
  | {
      readonly ok: true;
      readonly document: FlowDocument;
      /** Lint findings; a draft may have errors, so they are shown, not refused. */
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly problems: readonly JsonProblem[] };

/** The document as the JSON view shows it. */
export function formatFlowText(doc: FlowDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function locateOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Read the JSON view's text: parse, validate the document shape (the same zod schema the JSON
 * Schema is generated from and the server checks on save), then lint. Never throws.
 */
export function parseFlowText(text: string): ParseFlowTextResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position === null ? {} : locateOffset(text, Number(position[1]));
    return { ok: false, problems: [{ message: `Not valid JSON: ${message}`, ...where }] };
  }
  const parsed = flowDocumentSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        message: issue.message,
        path: toJsonPath(issue.path),
      })),
    };
  }
  return { ok: true, document: parsed.data, diagnostics: lintFlow(parsed.data).diagnostics };
}
