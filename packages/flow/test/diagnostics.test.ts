import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, formatDiagnostic, hasErrors, lintFlow, toJsonPath } from '../src';
import type { Diagnostic } from '../src';
import { edge, end, flowOf, intake } from './fixtures';

describe('toJsonPath', () => {
  it.each([
    [[], '$'],
    [['schemaVersion'], '$.schemaVersion'],
    [['nodes', 2, 'config', 'headers', 'X-Key'], '$.nodes[2].config.headers["X-Key"]'],
    [['a b'], '$["a b"]'],
    [['$ref', '_x'], '$.$ref._x'],
    [['0'], '$["0"]'],
    [[''], '$[""]'],
    [['say "hi"'], '$["say \\"hi\\""]'],
    [['名字'], '$["名字"]'],
    [[Symbol('s')], '$["Symbol(s)"]'],
  ] as const)('%j → %s', (segments, path) => {
    expect(toJsonPath(segments)).toBe(path);
  });
});

describe('formatDiagnostic', () => {
  const base = { severity: 'error', message: 'Fix it.' } as const;
  it.each([
    [
      {
        ...base,
        code: 'unknown-port',
        path: '$.edges[0].sourcePort',
        nodeId: 'intake',
        edgeId: 'e1',
      },
      'unknown-port error node=intake edge=e1 path=$.edges[0].sourcePort Fix it.',
    ],
    [
      { ...base, code: 'missing-intake', path: '$.nodes' },
      'missing-intake error node=- path=$.nodes Fix it.',
    ],
    [
      { ...base, code: 'unknown-edge-source', path: '$.edges[1].source', edgeId: 'e2' },
      'unknown-edge-source error node=- edge=e2 path=$.edges[1].source Fix it.',
    ],
    [
      {
        code: 'unreachable-node',
        severity: 'warning',
        message: 'Connect it.',
        path: '$.nodes[2]',
        nodeId: 'orphan',
      },
      'unreachable-node warning node=orphan path=$.nodes[2] Connect it.',
    ],
  ] satisfies [Diagnostic, string][])('%j', (diagnostic, line) => {
    expect(formatDiagnostic(diagnostic)).toBe(line);
  });

  it('prints what lint found, one line each', () => {
    const { diagnostics } = lintFlow(
      flowOf(
        [intake(), end()],
        [edge('intake', 'out', 'done', 'e1'), edge('intake', 'next', 'done', 'e2')],
      ),
    );
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'unknown-port error node=intake edge=e1 path=$.edges[0].sourcePort Edge "e1" leaves node "intake" from port "out", which it does not have (ports: next).',
    ]);
  });
});

describe('hasErrors and DIAGNOSTIC_CODES', () => {
  const warning: Diagnostic = {
    code: 'unreachable-node',
    severity: 'warning',
    message: 'Connect it.',
    path: '$.nodes[1]',
  };
  const error: Diagnostic = { ...warning, code: 'dead-end', severity: 'error' };

  it('counts only errors', () => {
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([warning])).toBe(false);
    expect(hasErrors([warning, error])).toBe(true);
  });

  it('uses kebab-case codes, warnings only for what does not block a flow', () => {
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    const warnings = Object.entries(DIAGNOSTIC_CODES)
      .filter(([, severity]) => severity === 'warning')
      .map(([code]) => code);
    expect(warnings).toEqual(['unreachable-node', 'unknown-category']);
  });

  it('are all listed in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(readme).toContain(`| \`${code}\``);
  });
});
