import type { Diagnostic } from '@switchyard/flow';
import type { TFunction } from 'i18next';

/** Values a translated diagnostic can use, taken from the diagnostic and its English sentence. */
export function getDiagnosticValues(diagnostic: Diagnostic): Record<string, string> {
  const quoted = [...diagnostic.message.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
  const values: Record<string, string> = {
    message: diagnostic.message,
    node: diagnostic.nodeId ?? '',
    edge: diagnostic.edgeId ?? '',
    nodes: quoted.map((id) => `“${id}”`).join(' → '),
  };
  quoted.forEach((text, index) => {
    values[`q${index}`] = text;
  });
  if (diagnostic.span !== undefined) {
    values.line = String(diagnostic.span.line);
    values.column = String(diagnostic.span.column);
  }
  // The library's or schema's own words: after "column N: " (CEL) or 'node "x": ' (config).
  const cel = /column \d+: (.*?)\.(?: [A-Z][^.]*\.)?$/.exec(diagnostic.message);
  const config = /node "[^"]*": (.*)$/.exec(diagnostic.message);
  values.detail = cel?.[1] ?? config?.[1] ?? diagnostic.message;
  return values;
}

/**
 * A diagnostic's sentence in the UI language. Lint writes English; other languages have a
 * sentence per code (and per variant: with a position in a condition, or without), filled with
 * the ids and names quoted in the English one. Unknown codes fall back to English.
 */
export function translateDiagnostic(diagnostic: Diagnostic, t: TFunction<'designer'>): string {
  const values = getDiagnosticValues(diagnostic);
  const variant = diagnostic.span === undefined ? diagnostic.code : `${diagnostic.code}_span`;
  return t(`diagnostics.${variant}`, {
    ...values,
    defaultValue: t(`diagnostics.${diagnostic.code}`, {
      ...values,
      defaultValue: diagnostic.message,
    }),
  });
}
