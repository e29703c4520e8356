#!/usr/bin/env node
// Adds up Vitest's per-package "Tests  N failed | M passed (T)" lines from a turbo log and prints
// one closing line, "Tests: N passed, N failed", for CI readers that look for it.
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? '/dev/stdin', 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of log.split('\n')) {
  const match = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!match) continue;
  for (const part of (match[1] ?? '').split('|')) {
    const count = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part.trim());
    if (!count) continue;
    const n = Number(count[1]);
    if (count[2] === 'passed') passed += n;
    else if (count[2] === 'failed') failed += n;
    else skipped += n;
  }
}
console.log(
  `Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
);
