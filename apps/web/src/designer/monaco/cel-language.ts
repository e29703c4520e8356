import type { VariableSchema } from '@switchyard/expr';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { CEL_FUNCTIONS, CEL_KEYWORDS, getCelCompletions } from '../model/cel';

type Monaco = typeof MonacoApi;

export const CEL_LANGUAGE_ID = 'cel';

/** The variable schema of each CEL model (its flow's ticket fields), for completion. */
const schemas = new Map<string, VariableSchema>();

export function setModelSchema(model: MonacoApi.editor.ITextModel, schema: VariableSchema): void {
  schemas.set(model.uri.toString(), schema);
}

export function forgetModel(model: MonacoApi.editor.ITextModel): void {
  schemas.delete(model.uri.toString());
}

/** Highlighting for CEL: identifiers, strings, numbers, operators, keywords and functions. */
const monarch: MonacoApi.languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  keywords: [...CEL_KEYWORDS],
  functions: CEL_FUNCTIONS.map((fn) => fn.name),
  variables: ['ticket', 'event', 'now'],
  operators: ['==', '!=', '<', '<=', '>', '>=', '&&', '||', '!', '+', '-', '*', '/', '%', '?', ':'],
  symbols: /[=><!~?:&|+\-*/^%]+/,
  escapes: /\\(?:[abfnrtv\\"'`]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3})/,
  tokenizer: {
    root: [
      [
        /[a-zA-Z_][\w]*(?=\s*\()/,
        { cases: { '@functions': 'predefined', '@default': 'identifier' } },
      ],
      [
        /[a-zA-Z_][\w]*/,
        {
          cases: {
            '@keywords': 'keyword',
            '@variables': 'variable.predefined',
            '@default': 'identifier',
          },
        },
      ],
      { include: '@whitespace' },
      [/[{}()[\]]/, '@brackets'],
      [/@symbols/, { cases: { '@operators': 'operator', '@default': 'invalid' } }],
      [/\d+\.\d+([eE][-+]?\d+)?/, 'number.float'],
      [/0[xX][0-9a-fA-F]+u?/, 'number.hex'],
      [/\d+u?/, 'number'],
      [/[;,.]/, 'delimiter'],
      [/[rR]?"([^"\\]|\\.)*$/, 'string.invalid'],
      [/[rR]?'([^'\\]|\\.)*$/, 'string.invalid'],
      [/[rR]?"/, 'string', '@string_double'],
      [/[rR]?'/, 'string', '@string_single'],
    ],
    whitespace: [
      [/[ \t\r\n]+/, 'white'],
      [/\/\/.*$/, 'comment'],
    ],
    string_double: [
      [/[^\\"]+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, 'string', '@pop'],
    ],
    string_single: [
      [/[^\\']+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/'/, 'string', '@pop'],
    ],
  },
};

let registered = false;

/** Register the CEL language once: tokenizer, brackets, and completion of fields and functions. */
export function registerCelLanguage(monaco: Monaco): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: CEL_LANGUAGE_ID, aliases: ['CEL'] });
  monaco.languages.setMonarchTokensProvider(CEL_LANGUAGE_ID, monarch);
  monaco.languages.setLanguageConfiguration(CEL_LANGUAGE_ID, {
    brackets: [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '[', close: ']' },
      { open: '{', close: '}' },
      { open: '"', close: '"', notIn: ['string'] },
      { open: "'", close: "'", notIn: ['string'] },
    ],
    comments: { lineComment: '//' },
  });
  const kinds = {
    variable: monaco.languages.CompletionItemKind.Variable,
    field: monaco.languages.CompletionItemKind.Field,
    function: monaco.languages.CompletionItemKind.Function,
    method: monaco.languages.CompletionItemKind.Method,
    keyword: monaco.languages.CompletionItemKind.Keyword,
  } as const;
  monaco.languages.registerCompletionItemProvider(CEL_LANGUAGE_ID, {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const schema = schemas.get(model.uri.toString());
      if (schema === undefined) return { suggestions: [] };
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      return {
        suggestions: getCelCompletions(schema, before).map((item, index) => ({
          label: item.label,
          kind: kinds[item.kind],
          detail: item.detail,
          insertText: item.insertText,
          insertTextRules: item.snippet
            ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet
            : monaco.languages.CompletionItemInsertTextRule.None,
          sortText: String(index).padStart(4, '0'),
          range,
        })),
      };
    },
  });
}
