/**
 * `switchyard classifier …`: train, evaluate and cross-validate the intent model from
 * CSV files. All file I/O of the classifier lives here; the package itself is pure.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  crossValidate,
  CsvFormatError,
  evaluate,
  IntentModelFormatError,
  IntentTrainingError,
  loadIntentModel,
  parseLabelledCsv,
  trainIntentModel,
  type IntentModelOptions,
  type LabelledExample,
} from '@switchyard/classifier';

export interface ClassifierIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const HELP = `switchyard classifier — train and check the intent model

Usage:
  switchyard classifier train --data train.csv --out model.json [model options]
  switchyard classifier eval --train train.csv --test test.csv [model options]
      last line: {"accuracy","macroF1","trainMs","p99InferenceMs"}
  switchyard classifier cv --data train.csv [--folds 5] [model options]
  switchyard classifier predict --model model.json TEXT...

Model options: --seed N  --c X  --threshold P (confidence below P → "unknown")
CSV: header text,category (or text,label), RFC 4180 quoting.
Exit codes: 0 ok, 2 usage problem (missing file, bad CSV, bad model, bad arguments).
`;

/** A problem the user can fix: reported as one line, exit code 2. */
class ClassifierUsageError extends Error {
  override readonly name = 'ClassifierUsageError';
}

const MODEL_OPTIONS = {
  seed: { type: 'string' },
  c: { type: 'string' },
  threshold: { type: 'string' },
} as const;

function numberOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ClassifierUsageError(
      `--${name} must be a number from ${min} to ${max}, got "${value}"`,
    );
  }
  return n;
}

function modelOptions(values: {
  seed?: string;
  c?: string;
  threshold?: string;
}): IntentModelOptions {
  const options: IntentModelOptions = {};
  const seed = numberOption(values.seed, 'seed', 0, 2 ** 32 - 1);
  const c = numberOption(values.c, 'c', 1e-6, 1e6);
  const threshold = numberOption(values.threshold, 'threshold', 0, 1);
  if (seed !== undefined) options.seed = seed;
  if (c !== undefined) options.c = c;
  if (threshold !== undefined) options.unknownThreshold = threshold;
  return options;
}

function required(value: string | undefined, flag: string, command: string): string {
  if (value === undefined || value === '') {
    throw new ClassifierUsageError(`${command}: --${flag} FILE is required`);
  }
  return value;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new ClassifierUsageError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : code === 'EISDIR'
          ? `${path}: is a directory, not a file`
          : `${path}: cannot read (${code || 'unknown error'})`,
    );
  }
}

async function readExamples(path: string): Promise<LabelledExample[]> {
  const text = await readText(path);
  try {
    const examples = parseLabelledCsv(text);
    if (examples.length === 0) throw new ClassifierUsageError(`${path}: no data rows`);
    return examples;
  } catch (error: unknown) {
    if (error instanceof CsvFormatError)
      throw new ClassifierUsageError(`${path}: ${error.message}`);
    throw error;
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Runs `fn`, returning its result with elapsed wall and CPU (user + system) milliseconds. */
function timed<T>(fn: () => T): { result: T; ms: number; cpuMs: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { result, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function train(args: string[], io: ClassifierIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, out: { type: 'string' }, ...MODEL_OPTIONS },
  });
  const dataPath = required(values.data, 'data', 'train');
  const outPath = required(values.out, 'out', 'train');
  const options = modelOptions(values);
  const examples = await readExamples(dataPath);
  const { result: model, ms, cpuMs } = timed(() => trainIntentModel(examples, options));
  try {
    await writeFile(outPath, JSON.stringify(model.toJSON()));
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    throw new ClassifierUsageError(`${outPath}: cannot write (${code})`);
  }
  io.stdout(
    `trained on ${examples.length} examples, ${model.labels.length} labels in ${seconds(ms)} (${seconds(cpuMs)} CPU) → ${outPath}\n`,
  );
  return 0;
}

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

async function evalCommand(args: string[], io: ClassifierIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { train: { type: 'string' }, test: { type: 'string' }, ...MODEL_OPTIONS },
  });
  const trainPath = required(values.train, 'train', 'eval');
  const testPath = required(values.test, 'test', 'eval');
  const options = modelOptions(values);
  const trainExamples = await readExamples(trainPath);
  const testExamples = await readExamples(testPath);
  const trained = timed(() => trainIntentModel(trainExamples, options));
  const model = trained.result;
  const result = evaluate(model, testExamples);
  // Latency: one predict per test text after a short warm-up, p99 of those. Wall time is
  // what a caller waits; CPU time (shown too) leaves out waiting for a core on a busy host.
  for (const example of testExamples.slice(0, 200)) model.predict(example.text);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const example of testExamples) {
    const one = timed(() => model.predict(example.text));
    wall.push(one.ms);
    cpu.push(one.cpuMs);
  }
  const p99 = percentile(wall, 0.99);
  io.stdout(
    `train ${trainExamples.length} / test ${testExamples.length}: accuracy ${pct(result.accuracy)}, macro-F1 ${pct(result.macroF1)}, balanced ${pct(result.balancedAccuracy)}, unknown ${pct(result.unknownRate)}, calibration error ${pct(result.calibrationError)}\n`,
  );
  io.stdout(
    `training ${seconds(trained.ms)} (${seconds(trained.cpuMs)} CPU); predict p50 ${percentile(wall, 0.5).toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (p99 CPU ${percentile(cpu, 0.99).toFixed(3)} ms)\n`,
  );
  io.stdout(
    `${JSON.stringify({
      accuracy: result.accuracy,
      macroF1: result.macroF1,
      trainMs: Math.round(trained.ms),
      p99InferenceMs: Number(p99.toFixed(4)),
    })}\n`,
  );
  return 0;
}

async function cv(args: string[], io: ClassifierIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, folds: { type: 'string' }, ...MODEL_OPTIONS },
  });
  const dataPath = required(values.data, 'data', 'cv');
  const folds = numberOption(values.folds ?? '5', 'folds', 2, 100) ?? 5;
  if (!Number.isInteger(folds)) throw new ClassifierUsageError(`--folds must be an integer`);
  const examples = await readExamples(dataPath);
  if (folds > examples.length) {
    throw new ClassifierUsageError(`--folds ${folds} is more than the ${examples.length} examples`);
  }
  const { result, ms, cpuMs } = timed(() =>
    crossValidate(examples, { ...modelOptions(values), folds }),
  );
  for (const f of result.perFold) {
    io.stdout(
      `fold ${f.fold}: ${f.size} examples, accuracy ${pct(f.accuracy)}, macro-F1 ${pct(f.macroF1)}\n`,
    );
  }
  io.stdout(
    `${JSON.stringify({
      folds,
      accuracy: result.accuracy,
      macroF1: result.macroF1,
      balancedAccuracy: result.balancedAccuracy,
      calibrationError: result.calibrationError,
      unknownRate: result.unknownRate,
      ms: Math.round(ms),
      cpuMs: Math.round(cpuMs),
    })}\n`,
  );
  return 0;
}

async function predict(args: string[], io: ClassifierIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { model: { type: 'string' } },
  });
  const modelPath = required(values.model, 'model', 'predict');
  if (positionals.length === 0) throw new ClassifierUsageError('predict: give at least one TEXT');
  const text = await readText(modelPath);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ClassifierUsageError(`${modelPath}: not valid JSON`);
  }
  const model = loadIntentModel(json);
  for (const input of positionals) {
    io.stdout(`${JSON.stringify({ text: input, ...model.predict(input) })}\n`);
  }
  return 0;
}

/**
 * Runs `switchyard classifier ARGS`; resolves to the exit code (0 ok, 2 usage problem).
 *
 * @example
 * await runClassifierCommand(['cv', '--data', 'train.csv', '--folds', '5'], {
 *   stdout: (s) => process.stdout.write(s),
 *   stderr: (s) => process.stderr.write(s),
 * });
 */
export async function runClassifierCommand(args: string[], io: ClassifierIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'train':
        return await train(rest, io);
      case 'eval':
        return await evalCommand(rest, io);
      case 'cv':
        return await cv(rest, io);
      case 'predict':
        return await predict(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new ClassifierUsageError(
          `unknown command "${command}" (try: train, eval, cv, predict)`,
        );
    }
  } catch (error: unknown) {
    if (
      error instanceof ClassifierUsageError ||
      error instanceof IntentTrainingError ||
      error instanceof IntentModelFormatError ||
      error instanceof RangeError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`switchyard classifier: ${error.message.replace(/\s+/g, ' ')}\n`);
      return 2;
    }
    throw error;
  }
}
