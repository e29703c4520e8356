import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenarios, scenarioFileSchema, simulate } from '../src';
import { compileVersion, loadTemplate } from './fixtures';

const scenarios = scenarioFileSchema.parse(
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../../templates/saas-login/scenarios.json', import.meta.url)),
      'utf8',
    ),
  ),
);

describe('simulator on the SaaS template', () => {
  it('passes every scenario with full node and edge coverage', async () => {
    const suite = await runScenarios(compileVersion(loadTemplate('saas-login')), scenarios);
    expect(suite.scenarios.map((s) => [s.name, s.failures])).toEqual(
      suite.scenarios.map((s) => [s.name, []]),
    );
    expect(suite.coverage).toMatchObject({ nodes: 1, edges: 1, uncoveredEdges: [] });
  });

  it('reports the first differing expectation', async () => {
    const broken = structuredClone(scenarios);
    const [first] = broken.scenarios;
    if (first) first.expect = { ...first.expect, team: 'billing', priority: 'urgent' };
    const suite = await runScenarios(compileVersion(loadTemplate('saas-login')), broken);
    expect(suite.failed).toBe(1);
    expect(suite.scenarios[0]?.failures).toEqual([
      'priority: expected "urgent", got "high"',
      'team: expected "billing", got "tech"',
    ]);
  });

  it('suggests how to reach uncovered edges', async () => {
    const only = { ...scenarios, scenarios: scenarios.scenarios.slice(0, 1) };
    const suite = await runScenarios(compileVersion(loadTemplate('saas-login')), only);
    expect(suite.coverage.uncoveredEdges).toContain('e-unsatisfied');
    const suggestion = suite.suggestions.find((s) => s.edgeId === 'e-unsatisfied');
    expect(suggestion?.from).toBe('survey');
    // intake → classify → prioritize → assign → sla → wait move on by themselves (5 edges).
    expect(suggestion?.via.map((v) => v.event)).toEqual([
      ...Array<string>(5).fill('(automatic)'),
      'AGENT.RESOLVED',
      'SURVEY.ANSWERED',
    ]);
    expect(suggestion?.via[1]).toEqual({
      edgeId: 'e-fault',
      event: '(automatic)',
      condition: 'ticket.category == "fault"',
    });
  });

  it('fast-forwards 30 virtual days and records effects without sending them', async () => {
    const result = await simulate({
      version: compileVersion(loadTemplate('saas-login')),
      ticket: {
        subject: 'cannot login',
        channel: 'web',
        customer: { email: 'x@y.z', tier: 'vip' },
      },
      until: '30d',
    });
    expect(result.done).toBe(false);
    expect(result.ticket).toMatchObject({ escalationLevel: 2, status: 'escalated' });
    expect(result.steps.map((s) => s.event)).toEqual([
      'TICKET.CREATED',
      'TIMER.FIRED',
      'TIMER.FIRED',
    ]);
    expect(result.steps[1]?.offsetMs).toBe(2 * 3_600_000);
  });
});
