/**
 * bench:sim — 1,000 tickets × 30 virtual days through the SaaS example on the simulator.
 *
 * Each ticket is its own simulation (own memory store and engine, shared compiled machine), with
 * one of four event scripts. The figures are for the first 1,000 tickets after a warm-up of the
 * template's scenario suite (a designer session that has opened the flow and run its suite once),
 * so they include the JIT's warm-up; a second, warm pass of the same tickets is reported beside
 * them. CPU time (process.cpuUsage: every thread, including the JIT's and GC's) is the figure to
 * trust on a busy machine; wall time includes waiting for a core.
 *
 * The bench checks the outcome of every ticket against its script, so a change that skips work
 * fails here instead of looking fast. The last line is JSON {"tickets", "virtualDays", "ms", ...}.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createSimulationCache,
  createSimulationVersion,
  runScenarios,
  scenarioFileSchema,
  simulate,
  toAgentRecord,
} from '../src';
import type { ScriptedEvent, SimulationResult } from '../src';

const TICKETS = Number(process.env.TICKETS ?? 1000);
const DAYS = 30;
const templateDir = fileURLToPath(new URL('../../../templates/saas-login/', import.meta.url));
const compiled = createSimulationVersion(
  JSON.parse(readFileSync(`${templateDir}flow.json`, 'utf8')),
);
if (compiled.version === undefined) throw new Error('SaaS template does not compile');
const { version } = compiled;
const scenarios = scenarioFileSchema.parse(
  JSON.parse(readFileSync(`${templateDir}scenarios.json`, 'utf8')),
);
const agents = scenarios.agents?.map(toAgentRecord) ?? [];

const subjects = [
  '无法登录后台',
  'Cannot log in after password reset',
  'Need March invoice',
  'How do I export?',
  'API error 500, site down',
];
const scripts: ScriptedEvent[][] = [
  [], // nobody answers: SLA breaches and escalates twice over the 30 days
  [
    { at: '+1h', type: 'AGENT.RESOLVED' },
    { at: '+2h', type: 'SURVEY.ANSWERED', score: 5, resolved: true },
  ],
  [
    { at: '+3h', type: 'AGENT.RESOLVED' },
    { at: '+5h', type: 'SURVEY.ANSWERED', score: 1, resolved: false },
    { at: '+2d', type: 'AGENT.RESOLVED' },
  ],
  [
    { at: '+20m', type: 'AGENT.REPLIED' },
    { at: '+1d', type: 'AGENT.RESOLVED' },
  ],
];

/** What each script must lead to; a simulation that skipped work would not get here. */
function checkOutcome(index: number, result: SimulationResult): void {
  const { ticket } = result;
  const script = index % scripts.length;
  const problems: string[] = [];
  if (result.rejected.length > 0) problems.push(`rejected ${JSON.stringify(result.rejected)}`);
  if (result.path[0] !== 'intake') problems.push(`path starts at ${String(result.path[0])}`);
  if (script === 0 && !(ticket.sla.breached && ticket.escalationLevel === 2 && !result.done))
    problems.push('an unanswered ticket must breach and escalate twice');
  // Resolved, survey answered happily or after the reopen; or resolved with the survey unanswered.
  if (script !== 0 && !(result.done && ticket.status === 'closed'))
    problems.push(`expected closed, got ${ticket.status}`);
  if (script === 1 && ticket.csat.score !== 5) problems.push('CSAT 5 not recorded');
  if (script === 2 && !result.path.includes('reopen-senior')) problems.push('not reopened');
  if (problems.length > 0)
    throw new Error(`ticket ${index} (script ${script}): ${problems.join('; ')}`);
}

async function run(label: string): Promise<{ ms: number; cpuMs: number; steps: number }> {
  const cache = createSimulationCache();
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let steps = 0;
  for (let i = 0; i < TICKETS; i++) {
    const result = await simulate({
      version,
      agents,
      cache,
      until: `${DAYS}d`,
      ticket: {
        subject: subjects[i % subjects.length] ?? 'help',
        channel: 'web',
        customer: { email: `${label}${i}@example.com`, tier: i % 3 === 0 ? 'vip' : 'standard' },
      },
      events: scripts[i % scripts.length] ?? [],
    });
    steps += result.steps.length;
    checkOutcome(i, result);
  }
  const ms = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), steps };
}

/** A fixed CPU-bound workload: how fast this machine is right now (a busy machine is slower). */
function calibrate(): number {
  const started = process.cpuUsage();
  let hash = 2166136261;
  for (let i = 0; i < 20_000_000; i++) hash = Math.imul(hash ^ (i & 0xff), 16777619);
  if (hash === 42) console.log('');
  const cpu = process.cpuUsage(started);
  return Math.round((cpu.user + cpu.system) / 1000);
}

// Warm-up: compile caches and JIT, like a designer session that already opened the flow.
const suite = await runScenarios(version, scenarios);
if (suite.failed > 0) throw new Error('the SaaS scenarios fail; fix them before benchmarking');

const calibrationMs = calibrate();
const first = await run('c');
const warm = await run('w');
console.log(
  `${TICKETS} tickets × ${DAYS} virtual days: ${first.steps} steps in ${first.ms} ms wall, ${first.cpuMs} ms CPU (${Math.round((first.steps / first.cpuMs) * 1000)} steps per CPU second)`,
);
console.log(
  `the same tickets again, JIT warm: ${warm.ms} ms wall, ${warm.cpuMs} ms CPU; calibration loop ${calibrationMs} ms CPU`,
);
console.log(
  JSON.stringify({
    tickets: TICKETS,
    virtualDays: DAYS,
    ms: first.ms,
    cpuMs: first.cpuMs,
    steps: first.steps,
    warmMs: warm.ms,
    warmCpuMs: warm.cpuMs,
    calibrationMs,
  }),
);
