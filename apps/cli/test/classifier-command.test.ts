import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClassifierCommand } from '../src/classifier-command';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-classifier-'));

function csv(rows: [string, string][]): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `text,category\n${rows.map(([t, l]) => `${quote(t)},${l}`).join('\n')}\n`;
}

const rows: [string, string][] = [];
for (const [label, phrases] of Object.entries({
  refund: [
    'I want a refund',
    'refund my payment, please',
    '我要退款',
    '申请退款',
    'money back please',
  ],
  login: ['I cannot log in', 'login failed', '无法登录', '登录失败', 'locked out of my account'],
  card: [
    'my card has not arrived',
    'where is my card',
    '我的卡还没到',
    '卡片没有收到',
    'card delivery',
  ],
})) {
  for (const p of phrases) {
    rows.push([p, label]);
    rows.push([`hi, ${p}`, label]);
    rows.push([`${p}?`, label]);
  }
}
const trainCsv = join(dir, 'train.csv');
writeFileSync(trainCsv, csv(rows));
const testCsv = join(dir, 'test.csv');
writeFileSync(
  testCsv,
  csv([
    ['refund please', 'refund'],
    ['cannot log in', 'login'],
    ['卡还没到', 'card'],
  ]),
);
const badCsv = join(dir, 'bad.csv');
writeFileSync(badCsv, 'text,category\nfine,a\n"unterminated,b\n');
const extraFieldCsv = join(dir, 'extra.csv');
writeFileSync(extraFieldCsv, 'text,category\nfine,a\nhello, world,b\n');
const noLabelCsv = join(dir, 'nolabel.csv');
writeFileSync(noLabelCsv, 'text,category\nrefund please,\n');

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runClassifierCommand(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

describe('switchyard classifier', () => {
  it('train writes a model that predict loads', async () => {
    const out = join(dir, 'model.json');
    const trained = await run('train', '--data', trainCsv, '--out', out, '--seed', '3');
    expect(trained).toMatchObject({ code: 0, stderr: '' });
    expect(trained.stdout).toMatch(/trained on 45 examples, 3 labels/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { format: string; labels: string[] };
    expect(json.format).toBe('switchyard.intent-model');
    expect(json.labels).toEqual(['card', 'login', 'refund']);
    const predicted = await run('predict', '--model', out, '我想退款');
    expect(predicted.code).toBe(0);
    expect(JSON.parse(predicted.stdout) as { label: string }).toMatchObject({ label: 'refund' });
  });

  it('eval ends with the JSON summary line', async () => {
    const { code, stdout } = await run('eval', '--train', trainCsv, '--test', testCsv);
    expect(code).toBe(0);
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const summary = JSON.parse(last) as Record<string, number>;
    expect(Object.keys(summary)).toEqual(['accuracy', 'macroF1', 'trainMs', 'p99InferenceMs']);
    expect(summary.accuracy).toBe(1);
    expect(summary.macroF1).toBe(1);
  });

  it('cv reports each fold and a JSON summary', async () => {
    const { code, stdout } = await run('cv', '--data', trainCsv, '--folds', '3');
    expect(code).toBe(0);
    expect(stdout.match(/^fold \d/gm)).toHaveLength(3);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      folds: number;
      accuracy: number;
    };
    expect(summary.folds).toBe(3);
    expect(summary.accuracy).toBeGreaterThan(0.5);
  });

  it.each([
    [
      'missing file',
      ['train', '--data', join(dir, 'nope.csv'), '--out', join(dir, 'x.json')],
      /nope\.csv: no such file/,
    ],
    ['bad CSV', ['cv', '--data', badCsv], /bad\.csv: line 3, column 1: unterminated quoted field/],
    [
      'CSV row with too many fields',
      ['train', '--data', extraFieldCsv, '--out', join(dir, 'x.json')],
      /extra\.csv: line 3: expected 2 fields \(text,category\), found 3/,
    ],
    [
      'CSV row without a label',
      ['eval', '--train', trainCsv, '--test', noLabelCsv],
      /nolabel\.csv: line 2, column 2: empty category/,
    ],
    ['missing flag', ['eval', '--train', trainCsv], /eval: --test FILE is required/],
    ['unknown option', ['cv', '--data', trainCsv, '--bogus'], /bogus/],
    ['bad number', ['cv', '--data', trainCsv, '--folds', 'many'], /--folds must be a number/],
    ['unknown command', ['fly'], /unknown command "fly"/],
    ['bad model file', ['predict', '--model', trainCsv, 'hi'], /not valid JSON/],
  ])('%s → one line, exit 2', async (_name, args, message) => {
    const { code, stderr, stdout } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
