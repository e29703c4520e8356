#!/usr/bin/env node
// `npm start`: builds the web app when its sources are newer than the last build, then starts
// the server (which applies migrations and seeds the demo on an empty database).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'apps/web/dist/index.html');

/** Newest modification time under the given paths (files or folders), skipping node_modules. */
function newest(paths) {
  let latest = 0;
  const stack = [...paths];
  while (stack.length > 0) {
    const path = stack.pop();
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name !== 'node_modules' && name !== 'dist') stack.push(join(path, name));
      }
    } else if (stat.mtimeMs > latest) latest = stat.mtimeMs;
  }
  return latest;
}

const sources = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/public',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/flow/src',
  'packages/expr/src',
  'packages/compiler/src',
  'packages/engine/src',
  'templates',
].map((path) => join(root, path));

if (!existsSync(built) || newest(sources) > statSync(built).mtimeMs) {
  console.log('Building the web app (once per change; takes a minute on a small machine)…');
  const result = spawnSync('npm', ['run', 'build', '-w', '@switchyard/web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('The web app did not build; see the messages above.');
    process.exit(result.status ?? 1);
  }
}

// The server runs in this process, so SIGTERM/SIGINT reach its graceful shutdown directly.
await import('../apps/server/bin/switchyard-server.js');
