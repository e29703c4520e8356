#!/usr/bin/env node
// The npm registry mirror this project is developed against does not serve turbo's macOS and
// Windows binaries, so `npm install` leaves them out of package-lock.json and `npm ci` then
// refuses the lock as out of sync. This adds their (platform-skipped) entries back. Run it after
// changing dependencies: `node scripts/lockfile-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const turbo = packages['node_modules/turbo'];
const platforms = [
  ['darwin-64', 'darwin', 'x64'],
  ['darwin-arm64', 'darwin', 'arm64'],
  ['windows-64', 'win32', 'x64'],
  ['windows-arm64', 'win32', 'arm64'],
];
let added = 0;
for (const [name, os, cpu] of platforms) {
  const key = `node_modules/@turbo/${name}`;
  if (turbo && !packages[key]) {
    packages[key] = {
      version: turbo.version,
      cpu: [cpu],
      dev: true,
      license: 'MIT',
      optional: true,
      os: [os],
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(added === 0 ? 'package-lock.json already complete' : `added ${added} platform entries`);
