import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const template = join(root, 'templates/saas-login/flow.json');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function brokenCopy(
  name: string,
  edit: (flow: {
    nodes: { id: string; kind: string; config: Record<string, unknown> }[];
    edges: { id: string; target: string }[];
  }) => void,
): string {
  const flow = JSON.parse(readFileSync(template, 'utf8')) as Parameters<typeof edit>[0];
  edit(flow);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(flow));
  return file;
}

describe('switchyard validate', () => {
  it('exits 0 and prints nothing for a clean flow', async () => {
    expect(await run('validate', template)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 naming the edge when an edge target is broken', async () => {
    const file = brokenCopy('edge.json', (flow) => {
      const edge = flow.edges.find((e) => e.id === 'e-resolved');
      if (edge) edge.target = 'missing-node';
    });
    const { code, stdout } = await run('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^unknown-edge-target error node=await-resolution edge=e-resolved path=\$\.edges\[7\]\.target /m,
    );
  });

  it('exits 1 naming the node when a CEL condition is broken', async () => {
    const file = brokenCopy('cel.json', (flow) => {
      const assign = flow.nodes.find((n) => n.id === 'assign');
      if (assign) assign.config.teamRules = [{ when: 'ticket.category == ', team: 'tech' }];
    });
    const { code, stdout } = await run('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^cel-syntax error node=assign path=\$\.nodes\[3\]\.config\.teamRules\[0\]\.when /m,
    );
  });

  it('exits 1 naming the node when a node kind is unknown', async () => {
    const file = brokenCopy('kind.json', (flow) => {
      const survey = flow.nodes.find((n) => n.id === 'survey');
      if (survey) survey.kind = 'questionnaire';
    });
    const { code, stdout } = await run('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^unknown-node-kind error node=survey path=\$\.nodes\[6\]\.kind /m);
  });

  it('prints diagnostics as JSON with --json', async () => {
    const file = brokenCopy('json.json', (flow) => {
      const survey = flow.nodes.find((n) => n.id === 'survey');
      if (survey) survey.kind = 'questionnaire';
    });
    const { code, stdout } = await run('validate', '--json', file);
    expect(code).toBe(1);
    const diagnostics = JSON.parse(stdout) as { code: string; nodeId?: string; path: string }[];
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'unknown-node-kind',
        nodeId: 'survey',
        path: '$.nodes[6].kind',
      }),
    );
  });

  it('exits 2 with one line for a non-JSON file and for a missing file', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ "schemaVersion": 1,\n oops');
    const bad = await run('validate', notJson);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^switchyard: .*not\.json: not valid JSON \(.*\)\n$/);
    const missing = await run('validate', join(dir, 'nope.json'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^switchyard: .*nope\.json: no such file\n$/);
  });
});

describe('switchyard compile', () => {
  it('prints a machine that loads in plain xstate and writes the source map', async () => {
    const sourceMap = join(dir, 'map.json');
    const { code, stdout } = await run('compile', template, '--source-map', sourceMap);
    expect(code).toBe(0);
    const machine = JSON.parse(stdout) as { id: string };
    expect(createMachine(machine as never).id).toBe('flow:saas-login');
    const map = JSON.parse(readFileSync(sourceMap, 'utf8')) as { nodes: Record<string, string> };
    expect(map.nodes.survey).toBe('main.survey');
  });

  it('writes to --out and exits 1 with diagnostics on stderr for a broken flow', async () => {
    const out = join(dir, 'machine.json');
    expect((await run('compile', template, '--out', out)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      id: 'flow:saas-login',
      type: 'parallel',
    });
    const file = brokenCopy('compile-broken.json', (flow) => {
      const survey = flow.nodes.find((n) => n.id === 'survey');
      if (survey) survey.kind = 'questionnaire';
    });
    const broken = await run('compile', file);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('unknown-node-kind error node=survey');
  });
});

describe('switchyard schema and usage', () => {
  it('prints the Flow JSON Schema', async () => {
    const { code, stdout } = await run('schema');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ $id: expect.stringContaining('flow') });
  });

  it('rejects unknown commands and options with exit 2', async () => {
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('validate', '--bogus', template)).code).toBe(2);
  });
});

describe('the switchyard binary', () => {
  it('runs through node with the real exit code', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../bin/switchyard.js', import.meta.url));
    const ok = spawnSync(process.execPath, [bin, 'validate', template], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const missing = spawnSync(process.execPath, [bin, 'validate', join(dir, 'absent.json')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000); // two cold node+tsx start-ups; slow when the machine is busy
});
