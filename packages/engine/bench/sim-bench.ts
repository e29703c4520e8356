/**
 * bench:sim — 1,000 tickets × 30 virtual days through the SaaS example on the simulator.
 * Prints figures; the last line is JSON {"tickets", "virtualDays", "ms", ...}.
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
import type { ScriptedEvent } from '../src';

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

// Warm-up: compile caches and JIT, like a designer session that already opened the flow.
await runScenarios(version, scenarios);

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
      customer: { email: `c${i}@example.com`, tier: i % 3 === 0 ? 'vip' : 'standard' },
    },
    events: scripts[i % scripts.length] ?? [],
  });
  steps += result.steps.length;
}
const ms = Math.round(performance.now() - started);
const cpu = process.cpuUsage(cpuStart);
const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
console.log(
  `${TICKETS} tickets × ${DAYS} virtual days: ${steps} steps in ${ms} ms (${Math.round((steps / ms) * 1000)} steps/s)`,
);
console.log(`CPU time ${cpuMs} ms (wall time includes waiting for a busy machine)`);
console.log(JSON.stringify({ tickets: TICKETS, virtualDays: DAYS, ms, cpuMs, steps }));
