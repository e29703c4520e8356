import { describe, expect, it } from 'vitest';
import { CsvFormatError, parseLabelledCsv } from '../src/index';

describe('parseLabelledCsv', () => {
  it('reads RFC 4180 quoting, CRLF, BOM and embedded newlines', () => {
    const text =
      '\ufefftext,category\r\n"Hello, ""world""",greet\r\n"line one\nline two",multi\r\nplain,x\r\n';
    expect(parseLabelledCsv(text)).toEqual([
      { text: 'Hello, "world"', label: 'greet' },
      { text: 'line one\nline two', label: 'multi' },
      { text: 'plain', label: 'x' },
    ]);
  });

  it('accepts a label column in any order and ignores blank lines', () => {
    expect(parseLabelledCsv('id,label,text\n1,a,hi\n\n2,b,你好\n')).toEqual([
      { text: 'hi', label: 'a' },
      { text: '你好', label: 'b' },
    ]);
  });

  it('accepts a last row without a newline and an empty text', () => {
    expect(parseLabelledCsv('text,label\n,a\n"",b')).toEqual([
      { text: '', label: 'a' },
      { text: '', label: 'b' },
    ]);
  });

  it.each([
    ['empty file', '', 1, null, /empty file/],
    ['wrong header', 'sentence,intent\nhi,a\n', 1, null, /header must name a "text" column/],
    [
      'too many fields',
      'text,label\nok,a\nhi,there,b\n',
      3,
      null,
      /expected 2 fields \(text,label\), found 3; quote fields that contain commas/,
    ],
    ['too few fields', 'text,label\nok,a\nlonely\n', 3, null, /expected 2 fields/],
    ['empty label', 'text,label\nok,\n', 2, 2, /empty label/],
    ['empty category, label first', 'category,text\n ,hi\n', 2, 1, /empty category/],
    ['reserved label', 'text,label\nok,a\nhmm,unknown\n', 3, 2, /"unknown" is reserved/],
    ['unterminated quote', 'text,label\nok,a\n"open,b\nmore\n', 3, 1, /unterminated quoted/],
    ['stray quote', 'text,label\nsay "hi",a\n', 2, 1, /quote inside an unquoted field/],
    ['stray quote in 2nd column', 'text,label\nhi,a"b\n', 2, 2, /quote inside an unquoted/],
    ['text after closing quote', 'text,label\n"hi"x,a\n', 2, 1, /after closing quote/],
    ['line numbers count embedded newlines', 'text,label\n"a\nb",x\nbad\n', 4, null, /2 fields/],
  ])('%s → error with line and column', (_name, text, line, column, message) => {
    let caught: unknown;
    try {
      parseLabelledCsv(text);
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvFormatError);
    expect((caught as CsvFormatError).line).toBe(line);
    expect((caught as CsvFormatError).message).toMatch(message);
    expect((caught as CsvFormatError).column).toBe(column);
    const where = column === null ? `line ${line}` : `line ${line}, column ${column}`;
    expect((caught as CsvFormatError).message).toMatch(new RegExp(`^${where}: `));
  });
});
