import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTempDir } from './support/temp';

const BIN = fileURLToPath(new URL('../bin/switchyard-server.js', import.meta.url));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

async function waitFor(read: () => string, pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(read());
    if (match !== null) return match;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('switchyard-server (npm start)', () => {
  it('seeds the demo, prints the URLs and the generated password once, stops on SIGTERM', async () => {
    using dir = createTempDir();
    const env = {
      SWITCHYARD_DATA_DIR: dir.path,
      SWITCHYARD_BOOTSTRAP_TOKEN: 'start-test-token-0123456789',
    };
    const first = start(env);
    const [, url] = await waitFor(first.output, /running at (http:\/\/\S+)/);
    await waitFor(first.output, /API token/);
    expect(first.output()).toMatch(/Password {4}\S{20,}/);
    expect(first.output()).toMatch(/Published {3}saas-login/);
    expect((await fetch(`${String(url)}/readyz`)).status).toBe(200);
    const created = await fetch(`${String(url)}/api/v1/tickets`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer start-test-token-0123456789',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ subject: 'Cannot log in' }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Switchyard stopped.');

    // Second start on the same data: nothing seeded again, no password printed.
    const second = start(env);
    await waitFor(second.output, /running at/);
    await waitFor(second.output, /Database/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toMatch(/Password|Published|API token/);
  });

  it('refuses a bad variable with a message naming it', async () => {
    const run = start({ PORT: 'eighty' });
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/PORT: /);
  });
});
