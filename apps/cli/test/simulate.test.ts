import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ticketSchema } from '@switchyard/flow';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const flow = join(root, 'templates/saas-login/flow.json');
const sample = join(root, 'templates/saas-login/samples/vip-login.json');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-sim-'));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('switchyard simulate', () => {
  it('prints one JSON object with the final ticket, path and covered edges', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(
      events,
      JSON.stringify([
        { at: '+1h', type: 'AGENT.RESOLVED' },
        { at: '+2h', type: 'SURVEY.ANSWERED', score: 5, resolved: true },
      ]),
    );
    const { code, stdout } = await run(
      'simulate',
      flow,
      '--ticket',
      sample,
      '--events',
      events,
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      ticket: { status: string; assignee: string };
      path: string[];
      coveredEdges: string[];
      steps: unknown[];
    };
    expect(result.ticket).toMatchObject({ status: 'closed', assignee: 'li', priority: 'high' });
    expect(result.path.at(-1)).toBe('closed');
    expect(result.coveredEdges).toContain('e-satisfied');
    expect(result.steps).toHaveLength(4); // created, resolved, survey timer, answer
  });

  it('--json is exactly {steps, ticket, path, coveredEdges}, the ticket in the canonical model', async () => {
    const { code, stdout } = await run('simulate', flow, '--ticket', sample, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['coveredEdges', 'path', 'steps', 'ticket']);
    expect(ticketSchema.safeParse(result.ticket).success).toBe(true);
    const input = JSON.parse(readFileSync(sample, 'utf8')) as { subject: string };
    expect(result.ticket).toMatchObject({ number: 'CS20260302001', subject: input.subject });
  });

  it('keeps stdout one JSON object and names events the flow did not take on stderr', async () => {
    const events = join(dir, 'early-survey.json');
    // A survey answer before the ticket is resolved: the flow is not at the survey yet.
    writeFileSync(
      events,
      JSON.stringify([{ at: '+10m', type: 'SURVEY.ANSWERED', score: 4, resolved: true }]),
    );
    const { code, stdout, stderr } = await run(
      'simulate',
      flow,
      '--ticket',
      sample,
      '--events',
      events,
      '--until',
      '1h',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('path');
    expect(stderr).toMatch(/^SURVEY\.ANSWERED at \+10m was not accepted: .*await-resolution/);
  });

  it('names the event and the field of a bad events file', async () => {
    const events = join(dir, 'bad-events.json');
    const cases: [unknown[], RegExp][] = [
      [
        [{ at: '+1h', type: 'AGENT.RESOLVE' }],
        /bad-events\.json: 0\.type: unknown event type "AGENT\.RESOLVE"; use one of TICKET\.UPDATED/,
      ],
      [
        [
          { at: '+1h', type: 'AGENT.RESOLVED' },
          { at: '+2h', type: 'SURVEY.ANSWERED', score: 9, resolved: true },
        ],
        /bad-events\.json: 1\.score: Too big/,
      ],
      [
        [{ at: 'in an hour', type: 'AGENT.RESOLVED' }],
        /bad-events\.json: 0\.at: Use an offset like "\+30m"/,
      ],
      [
        [{ at: '+1h', type: 'AGENT.RESOLVED', bogus: true }],
        /bad-events\.json: 0: Unrecognized key: "bogus"/,
      ],
    ];
    for (const [content, message] of cases) {
      writeFileSync(events, JSON.stringify(content));
      const { code, stdout, stderr } = await run(
        'simulate',
        flow,
        '--ticket',
        sample,
        '--events',
        events,
      );
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    }
  });

  it('names a ticket file key the canonical model does not have', async () => {
    const ticket = join(dir, 'extra-key.json');
    writeFileSync(ticket, JSON.stringify({ subject: 'Help', priority: 'urgent' }));
    const { code, stderr } = await run('simulate', flow, '--ticket', ticket);
    expect(code).toBe(2);
    expect(stderr).toMatch(/extra-key\.json: Unrecognized key: "priority"/);
  });

  it('stops at --until and explains each step in text mode', async () => {
    const { code, stdout } = await run('simulate', flow, '--ticket', sample, '--until', '2h30m');
    expect(code).toBe(0);
    expect(stdout).toContain('+2h TIMER.FIRED: await-resolution → await-resolution');
    expect(stdout).toContain('escalated to level 1: reassigned to Zhou Jie (team-lead)');
    expect(stdout).not.toContain('Escalated to director');
  });

  it('names the bad field of a ticket file, and rejects a bad --until', async () => {
    const ticket = join(dir, 'bad-ticket.json');
    writeFileSync(ticket, JSON.stringify({ subject: '', channel: 'fax' }));
    const bad = await run('simulate', flow, '--ticket', ticket);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-ticket\.json: subject: Subject is required/);
    expect((await run('simulate', flow, '--ticket', sample, '--until', 'soon')).code).toBe(2);
  });
});

describe('switchyard test', () => {
  it('passes the template scenarios with full coverage; the last JSON line has the totals', async () => {
    const { code, stdout } = await run('test', flow, '--json');
    expect(code).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
    expect(last).toEqual({ passed: 4, failed: 0, coverage: { nodes: 1, edges: 1 } });
  });

  it('exits 1 and shows the differing expectation when a scenario fails', async () => {
    const scenarios = JSON.parse(
      readFileSync(join(root, 'templates/saas-login/scenarios.json'), 'utf8'),
    ) as {
      scenarios: { expect: Record<string, unknown> }[];
    };
    const first = scenarios.scenarios[0];
    if (first) first.expect.team = 'billing';
    const file = join(dir, 'scenarios.json');
    writeFileSync(file, JSON.stringify(scenarios));
    const { code, stdout } = await run('test', flow, '--scenarios', file);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL VIP login fault answered in time, happy customer');
    expect(stdout).toContain('team: expected "billing", got "tech"');
    expect(stdout).toContain('3 passed, 1 failed');
  });
});

describe('switchyard test: where scenarios come from, and coverage', () => {
  it('reports partial coverage as fractions between 0 and 1', async () => {
    const all = JSON.parse(
      readFileSync(join(root, 'templates/saas-login/scenarios.json'), 'utf8'),
    ) as { agents: unknown; scenarios: { name: string }[] };
    const file = join(dir, 'one-scenario.json');
    writeFileSync(file, JSON.stringify({ agents: all.agents, scenarios: all.scenarios.slice(3) }));
    const { code, stdout } = await run('test', flow, '--scenarios', file, '--json');
    expect(code).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      passed: number;
      failed: number;
      coverage: { nodes: number; edges: number };
    };
    expect(last).toMatchObject({ passed: 1, failed: 0 });
    // The unrecognised question waits at await-resolution: it visits 6 of the 9 nodes, over
    // 5 of the 12 edges (intake→classify, unknown, →assign, →sla, →await-resolution).
    expect(last.coverage).toEqual({ nodes: 6 / 9, edges: 5 / 12 });
  });

  it('says so when there is no scenarios.json beside the flow', async () => {
    const lonely = join(dir, 'lonely');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(lonely, { recursive: true });
    writeFileSync(join(lonely, 'flow.json'), readFileSync(flow, 'utf8'));
    const { code, stderr } = await run('test', join(lonely, 'flow.json'));
    expect(code).toBe(2);
    expect(stderr).toContain('there is no scenarios.json beside');
    expect(stderr).toContain('--scenarios FILE');
  });

  it('counts every scenario as failed when the flow does not compile, and --json still ends with the totals', async () => {
    const broken = join(dir, 'broken');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(broken, { recursive: true });
    const doc = JSON.parse(readFileSync(flow, 'utf8')) as { edges: unknown[] };
    doc.edges = [];
    writeFileSync(join(broken, 'flow.json'), JSON.stringify(doc));
    writeFileSync(
      join(broken, 'scenarios.json'),
      readFileSync(join(root, 'templates/saas-login/scenarios.json'), 'utf8'),
    );
    const { code, stdout, stderr } = await run('test', join(broken, 'flow.json'), '--json');
    expect(code).toBe(1);
    expect(stderr).not.toBe('');
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      passed: 0,
      failed: 4,
      coverage: { nodes: 0, edges: 0 },
    });
  });
});

describe('trained models in simulate', () => {
  it('routes by a model trained with switchyard classifier train, loaded from models/ beside the flow', async () => {
    const { mkdirSync } = await import('node:fs');
    const work = join(dir, 'model-flow');
    mkdirSync(join(work, 'models'), { recursive: true });
    const rows = [
      ...[
        'I want my money back',
        'please refund my order',
        'refund the charge',
        '我要退款',
        '申请退款',
        '退钱给我',
      ].map((t) => `${t},refund`),
      ...[
        'where is my parcel',
        'package has not arrived',
        'track my delivery',
        '快递到哪里了',
        '包裹还没到',
        '物流信息',
      ].map((t) => `${t},delivery`),
    ];
    writeFileSync(join(work, 'train.csv'), `text,category\n${rows.join('\n')}\n`);
    const trained = await run(
      'classifier',
      'train',
      '--data',
      join(work, 'train.csv'),
      '--out',
      join(work, 'models', 'shop.json'),
    );
    expect(trained.code).toBe(0);
    const flowDoc = {
      schemaVersion: 1,
      id: 'model-flow',
      name: 'Model flow',
      teams: [
        { id: 'billing', name: 'Billing' },
        { id: 'logistics', name: 'Logistics' },
      ],
      nodes: [
        {
          id: 'in',
          kind: 'intake',
          position: { x: 0, y: 0 },
          config: { channels: ['web'], acknowledge: false },
        },
        {
          id: 'cls',
          kind: 'classify',
          position: { x: 1, y: 0 },
          config: {
            mode: 'model',
            categories: [
              { id: 'refund', label: 'Refund' },
              { id: 'delivery', label: 'Delivery' },
            ],
            model: { modelId: 'shop', threshold: 0.2 },
          },
        },
        { id: 'money', kind: 'assign', position: { x: 2, y: 0 }, config: { team: 'billing' } },
        { id: 'parcel', kind: 'assign', position: { x: 2, y: 1 }, config: { team: 'logistics' } },
        { id: 'end', kind: 'end', position: { x: 3, y: 0 }, config: { outcome: 'closed' } },
      ],
      edges: [
        { id: 'a', source: 'in', sourcePort: 'next', target: 'cls' },
        { id: 'b', source: 'cls', sourcePort: 'refund', target: 'money' },
        { id: 'c', source: 'cls', sourcePort: 'delivery', target: 'parcel' },
        { id: 'd', source: 'cls', sourcePort: 'unknown', target: 'end' },
        { id: 'e', source: 'money', sourcePort: 'next', target: 'end' },
        { id: 'f', source: 'parcel', sourcePort: 'next', target: 'end' },
      ],
    };
    writeFileSync(join(work, 'flow.json'), JSON.stringify(flowDoc));
    writeFileSync(
      join(work, 'ticket.json'),
      JSON.stringify({ subject: '我的包裹还没到', channel: 'web' }),
    );
    const { code, stdout } = await run(
      'simulate',
      join(work, 'flow.json'),
      '--ticket',
      join(work, 'ticket.json'),
      '--json',
    );
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { path: string[] }).path).toEqual(['in', 'cls', 'parcel', 'end']);

    writeFileSync(join(work, 'models', 'shop.json'), '{"format": "nope"}');
    const broken = await run(
      'simulate',
      join(work, 'flow.json'),
      '--ticket',
      join(work, 'ticket.json'),
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('shop.json');
  });
});
