import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@switchyard/flow';
import {
  formatReplayValue,
  getReplayPercent,
  getReplayTotals,
  REPLAY_FIELDS,
} from '../src/simulator/replay';
import type { ReplayedTicket } from '../src/simulator/replay';
import type { Edge } from '@xyflow/react';
import { decorateEdges } from '../src/simulator/highlight';
import { createSimulationVersion, runScenarios, scenarioFileSchema } from '@switchyard/engine';
import { EMPTY_HIGHLIGHT, getRunExpectations, parseEventScript } from '../src/simulator/model';
import { getModelIds, runDraft } from '../src/simulator/run';

function readTemplate(id: string): FlowDocument {
  return JSON.parse(
    readFileSync(new URL(`../../../templates/${id}/flow.json`, import.meta.url), 'utf8'),
  ) as FlowDocument;
}

const ticketArb: fc.Arbitrary<ReplayedTicket> = fc.record({
  number: fc.string(),
  differences: fc.subarray([...REPLAY_FIELDS]).map((fields) => fields.map((field) => ({ field }))),
  routedDifferently: fc.boolean(),
});

describe('replay totals over batches', () => {
  it('adds up to the same totals however the tickets were split into batches', () => {
    fc.assert(
      fc.property(fc.array(ticketArb, { maxLength: 40 }), fc.nat(40), (tickets, cut) => {
        const whole = getReplayTotals(tickets);
        const a = getReplayTotals(tickets.slice(0, cut));
        const b = getReplayTotals(tickets.slice(cut));
        expect(whole.tickets).toBe(tickets.length);
        expect(whole.changed).toBe(a.changed + b.changed);
        expect(whole.routedDifferently).toBe(a.routedDifferently + b.routedDifferently);
        for (const field of REPLAY_FIELDS) {
          expect(whole.byField[field]).toBe(a.byField[field] + b.byField[field]);
          expect(whole.byField[field]).toBeLessThanOrEqual(whole.changed);
        }
      }),
    );
  });

  it('counts a ticket once per field and once in changed', () => {
    const totals = getReplayTotals([
      { number: 'a', differences: [{ field: 'team' }, { field: 'path' }], routedDifferently: true },
      { number: 'b', differences: [{ field: 'priority' }], routedDifferently: false },
      { number: 'c', differences: [], routedDifferently: false },
    ]);
    expect(totals).toEqual({
      tickets: 3,
      changed: 2,
      routedDifferently: 1,
      byField: { path: 1, priority: 1, team: 1, slaBreached: 0, status: 0 },
    });
  });

  it('shows progress and values', () => {
    expect(getReplayPercent(0, 0)).toBe(100);
    expect(getReplayPercent(25, 200)).toBe(13);
    expect(getReplayPercent(300, 200)).toBe(100);
    expect(formatReplayValue(['intake', 'classify'], 'yes', 'no')).toBe('intake → classify');
    expect(formatReplayValue([], 'yes', 'no')).toBe('∅');
    expect(formatReplayValue(true, 'yes', 'no')).toBe('yes');
    expect(formatReplayValue(null, 'yes', 'no')).toBe('—');
    expect(formatReplayValue('tech', 'yes', 'no')).toBe('tech');
  });
});

describe('drafts with trained models', () => {
  it('names the models a classify step asks for, not rules-only steps', () => {
    expect(getModelIds(readTemplate('saas-login'))).toEqual([]);
    const retail = readTemplate('retail-returns');
    expect(getModelIds(retail).length).toBe(1);
    const rulesOnly = {
      ...retail,
      nodes: retail.nodes.map((node) =>
        node.kind === 'classify' ? { ...node, config: { ...node.config, mode: 'rules' } } : node,
      ),
    };
    expect(getModelIds(rulesOnly)).toEqual([]);
    expect(getModelIds(null)).toEqual([]);
    expect(getModelIds({ nodes: [{ kind: 'classify', config: { model: 7 } }] })).toEqual([]);
  });

  it('runs them through the remote runner, others in the browser', async () => {
    const requests: unknown[] = [];
    const retail = readTemplate('retail-returns');
    const ticket = { subject: 'Refund for a broken blender' };
    const local = await runDraft(retail, ticket, []);
    expect(local.kind === 'ok' && local.where).toBe('browser');
    const remote = await runDraft(retail, ticket, [], {
      remote: (request) => {
        requests.push(request);
        // The server's answer: here the browser's own run stands in for it.
        return local.kind === 'ok' ? Promise.resolve(local.result) : Promise.reject(new Error());
      },
    });
    expect(remote.kind === 'ok' && remote.where).toBe('server');
    expect(requests).toEqual([
      { document: retail, ticket: expect.objectContaining(ticket), events: [], until: '30d' },
    ]);
    const saas = await runDraft(readTemplate('saas-login'), ticket, [], {
      remote: () => Promise.reject(new Error('must not be called')),
    });
    expect(saas.kind === 'ok' && saas.where).toBe('browser');
  });
});

describe('coverage overlay', () => {
  it('draws covered edges green unless taken, uncovered dashed red, the rest untouched', () => {
    const edges: Edge[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, source: 's', target: 't' }));
    const shown = decorateEdges(edges, {
      ...EMPTY_HIGHLIGHT,
      takenEdges: ['a'],
      activeEdges: ['a'],
      coveredEdges: ['a', 'b'],
      uncoveredEdges: ['c'],
    });
    const byId = new Map(shown.map((edge) => [edge.id, edge]));
    expect(byId.get('a')?.className).toBe('sy-sim-taken');
    expect(byId.get('a')?.animated).toBe(true);
    expect(byId.get('b')?.className).toBe('sy-sim-covered');
    expect(byId.get('b')?.animated).toBe(false);
    expect(byId.get('c')?.className).toBe('sy-sim-uncovered');
    expect(byId.get('c')?.style).toMatchObject({ strokeDasharray: '6 4' });
    expect(byId.get('d')).toBe(edges[3]);
  });
});

describe('save a run as a scenario', () => {
  it('expects what the run produced, so the scenario passes on the same draft and fails on a change', async () => {
    const saas = readTemplate('saas-login');
    const ticket = {
      subject: 'Cannot log in — password reset loop',
      customer: { name: 'Alice', email: 'alice@corp.example', tier: 'vip' as const },
    };
    const { events } = parseEventScript('+30m AGENT.REPLIED\n+2h AGENT.RESOLVED');
    const run = await runDraft(saas, ticket, events);
    if (run.kind !== 'ok') throw new Error(run.kind);
    const expectations = getRunExpectations(run.result);
    expect(new Set(expectations.nodesVisited).size).toBe(expectations.nodesVisited.length);
    expect(expectations).toMatchObject({ priority: 'high', team: 'tech', category: 'fault' });
    const scenario = { name: 'from a run', ticket, events, until: '30d', expect: expectations };
    const same = createSimulationVersion(saas).version;
    if (same === undefined) throw new Error('does not compile');
    // As the server stores it: through the scenario schema (defaults filled in).
    const file = scenarioFileSchema.parse({ scenarios: [scenario] });
    const suite = await runScenarios(same, file);
    expect(suite.scenarios[0]?.failures).toEqual([]);

    // VIP faults urgent in a later draft: the saved scenario catches it.
    const changed = createSimulationVersion({
      ...saas,
      nodes: saas.nodes.map((node) =>
        node.id === 'prioritize'
          ? {
              ...node,
              config: {
                ...node.config,
                rules: (node.config as { rules: { tier?: string; priority: string }[] }).rules.map(
                  (rule) => (rule.tier === 'vip' ? { ...rule, priority: 'urgent' } : rule),
                ),
              },
            }
          : node,
      ),
    }).version;
    if (changed === undefined) throw new Error('does not compile');
    const after = await runScenarios(changed, file);
    expect(after.failed).toBe(1);
    expect(after.scenarios[0]?.failures[0]).toContain('priority');
  });
});
