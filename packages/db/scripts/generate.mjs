// Runs `prisma generate` offline: writes the Prisma client and the DMMF JSON into
// src/generated/ (gitignored). Wired as this package's `postinstall` and `generate` scripts.
//
// The prisma CLI insists that a schema engine binary exists before it will generate, and
// cannot download one here. Generation never executes it, so any existing executable will
// do; this process's own node binary is one that exists on every machine.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: packageDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    // No update checks or telemetry: there is no network beyond the npm registry.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
