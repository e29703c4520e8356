/**
 * Banking77 benchmark (kept out of the unit tests: it takes minutes).
 *
 *   npx tsx packages/classifier/scripts/bench.ts [path/to/train.csv] [--folds 5] [--options '{"c":1}']
 *
 * Prints 5-fold stratified CV accuracy / macro-F1 / balanced accuracy on train.csv, then
 * trains on all of it and measures training time and per-text predict latency (p50/p99
 * over the training texts, after a warm-up). The last line is JSON.
 *
 * Wall-clock figures on a shared 2-core machine include time spent waiting for a core, so
 * the CPU time of this process (`process.cpuUsage`) and the load average are printed too.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  crossValidate,
  parseLabelledCsv,
  trainIntentModel,
  type IntentModelOptions,
} from '../src/index';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const positional = process.argv
  .slice(2)
  .find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const dataPath = positional ?? '/work/shared/data/banking77/train.csv';
const folds = Number(argValue('--folds') ?? '5');
const options = JSON.parse(argValue('--options') ?? '{}') as IntentModelOptions;
const skipCv = process.argv.includes('--no-cv');

const examples = parseLabelledCsv(readFileSync(dataPath, 'utf8'));
console.log(`data: ${dataPath} (${examples.length} examples); options: ${JSON.stringify(options)}`);

let cv: {
  accuracy: number;
  macroF1: number;
  balancedAccuracy: number;
  calibrationError: number;
} | null = null;
if (!skipCv) {
  const cvStart = performance.now();
  const result = crossValidate(examples, { ...options, folds });
  const pct = (x: number): string => (x * 100).toFixed(2);
  for (const f of result.perFold) {
    console.log(
      `fold ${f.fold}: n=${f.size} accuracy=${pct(f.accuracy)}% macroF1=${pct(f.macroF1)}%`,
    );
  }
  console.log(
    `${folds}-fold CV: accuracy=${pct(result.accuracy)}% balanced=${pct(result.balancedAccuracy)}% macroF1=${pct(result.macroF1)}% calibrationError=${pct(result.calibrationError)}% unknown=${pct(result.unknownRate)}% (${((performance.now() - cvStart) / 1000).toFixed(1)} s)`,
  );
  cv = {
    accuracy: result.accuracy,
    macroF1: result.macroF1,
    balancedAccuracy: result.balancedAccuracy,
    calibrationError: result.calibrationError,
  };
}

const trainStart = performance.now();
const trainCpuStart = process.cpuUsage();
const model = trainIntentModel(examples, options);
const trainMs = performance.now() - trainStart;
const trainCpu = process.cpuUsage(trainCpuStart);
const trainCpuMs = (trainCpu.user + trainCpu.system) / 1000;
const json = JSON.stringify(model.toJSON());
console.log(
  `train on all ${examples.length}: ${(trainMs / 1000).toFixed(2)} s wall, ${(trainCpuMs / 1000).toFixed(2)} s CPU; model JSON ${(json.length / 1e6).toFixed(1)} MB`,
);

for (let i = 0; i < 2000; i++) model.predict(examples[i % examples.length]?.text ?? '');
const times: number[] = [];
const cpuTimes: number[] = [];
for (const example of examples) {
  const cpuStart = process.cpuUsage();
  const t = performance.now();
  model.predict(example.text);
  times.push(performance.now() - t);
  const used = process.cpuUsage(cpuStart);
  cpuTimes.push((used.user + used.system) / 1000);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const at = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const load = loadavg()[0] ?? 0;
console.log(
  `predict: p50=${at(times, 0.5).toFixed(3)} ms p99=${at(times, 0.99).toFixed(3)} ms max=${at(times, 1).toFixed(3)} ms wall; p99 CPU ${at(cpuTimes, 0.99).toFixed(3)} ms; load average ${load.toFixed(1)}`,
);
console.log(
  JSON.stringify({
    cvAccuracy: cv?.accuracy ?? null,
    cvBalancedAccuracy: cv?.balancedAccuracy ?? null,
    cvMacroF1: cv?.macroF1 ?? null,
    cvCalibrationError: cv?.calibrationError ?? null,
    folds: cv === null ? 0 : folds,
    trainMs: Math.round(trainMs),
    trainCpuMs: Math.round(trainCpuMs),
    p50InferenceMs: Number(at(times, 0.5).toFixed(4)),
    p99InferenceMs: Number(at(times, 0.99).toFixed(4)),
    p99InferenceCpuMs: Number(at(cpuTimes, 0.99).toFixed(4)),
    modelJsonBytes: json.length,
    loadAverage: Number(load.toFixed(2)),
  }),
);
