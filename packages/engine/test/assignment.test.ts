import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEligible, isOnShift, pickAgent } from '../src/assignment';
import type { AgentState, AssignmentRequest, AssignmentResult } from '../src/assignment';
import { agent as fixtureAgent, buildFlow, createTestEngine } from './fixtures';
import { compileCalendar } from '../src/calendar';

function agent(id: string, overrides: Partial<AgentState> = {}): AgentState {
  return {
    id,
    name: id.toUpperCase(),
    teamId: 'tech',
    skills: [],
    capacity: 5,
    openTickets: 0,
    active: true,
    onShift: true,
    lastAssignedAt: null,
    ...overrides,
  };
}

const leastLoaded = (requiredSkills: string[] = []): AssignmentRequest => ({
  teamId: 'tech',
  strategy: 'least-loaded',
  requiredSkills,
});
const roundRobin = (requiredSkills: string[] = []): AssignmentRequest => ({
  teamId: 'tech',
  strategy: 'round-robin',
  requiredSkills,
});

const picked = (result: AssignmentResult): string =>
  result.kind === 'agent' ? result.agentId : `queued: ${result.reason}`;

describe('pickAgent', () => {
  it.each<[string, AgentState[], AssignmentRequest, string]>([
    [
      'least-loaded takes the lowest ratio, not the fewest tickets',
      [agent('a', { openTickets: 2, capacity: 4 }), agent('b', { openTickets: 3, capacity: 10 })],
      leastLoaded(),
      'b',
    ],
    [
      'least-loaded breaks a ratio tie by fewer tickets',
      [agent('a', { openTickets: 2, capacity: 4 }), agent('b', { openTickets: 1, capacity: 2 })],
      leastLoaded(),
      'b',
    ],
    [
      'least-loaded then by assigned longest ago',
      [agent('a', { lastAssignedAt: 200 }), agent('b', { lastAssignedAt: 100 })],
      leastLoaded(),
      'b',
    ],
    [
      'least-loaded: never assigned goes first',
      [agent('a', { lastAssignedAt: 1 }), agent('b', { lastAssignedAt: null })],
      leastLoaded(),
      'b',
    ],
    [
      'least-loaded: last resort is the lowest id',
      [agent('b'), agent('a'), agent('c')],
      leastLoaded(),
      'a',
    ],
    [
      'round-robin ignores load',
      [
        agent('a', { openTickets: 0, lastAssignedAt: 300 }),
        agent('b', { openTickets: 4, lastAssignedAt: 100 }),
      ],
      roundRobin(),
      'b',
    ],
    [
      'round-robin: never assigned first, then id',
      [agent('c', { lastAssignedAt: 5 }), agent('b'), agent('a')],
      roundRobin(),
      'a',
    ],
    [
      'other teams, inactive, off-shift and full agents are skipped',
      [
        agent('a', { teamId: 'billing' }),
        agent('b', { active: false }),
        agent('c', { onShift: false }),
        agent('d', { openTickets: 5 }),
        agent('e', { openTickets: 4 }),
      ],
      leastLoaded(),
      'e',
    ],
    [
      'skills match case-insensitively and must all be present',
      [
        agent('a', { skills: ['Senior'] }),
        agent('b', { skills: ['senior', 'VIP'], openTickets: 4 }),
      ],
      leastLoaded(['SENIOR', 'vip']),
      'b',
    ],
    [
      'capacity 0 means no tickets',
      [agent('a', { capacity: 0 }), agent('b', { openTickets: 1, capacity: 1 })],
      leastLoaded(),
      'queued: all 2 agents in team tech are unavailable (2 at capacity)',
    ],
    [
      'queue strategy always queues',
      [agent('a')],
      { teamId: 'tech', strategy: 'queue', requiredSkills: [] },
      'queued: team tech uses the queue strategy: agents pick tickets from the queue',
    ],
    [
      'empty team',
      [agent('a', { teamId: 'billing' })],
      leastLoaded(),
      'queued: no agent in team tech',
    ],
    [
      'nobody has the skills',
      [agent('a', { skills: ['junior'] })],
      leastLoaded(['Senior']),
      'queued: no agent in team tech has skills senior',
    ],
    [
      'everyone with the skills is busy, counted by reason',
      [
        agent('a', { skills: ['senior'], onShift: false }),
        agent('b', { skills: ['senior'], openTickets: 5 }),
        agent('c', { skills: ['senior'], active: false, onShift: false }),
        agent('d'),
      ],
      roundRobin(['senior']),
      'queued: all 3 agents in team tech with skills senior are unavailable (1 inactive, 1 off shift, 1 at capacity)',
    ],
    [
      'a single unavailable agent',
      [agent('a', { onShift: false })],
      roundRobin(),
      'queued: the only agent in team tech is unavailable (1 off shift)',
    ],
  ])('%s', (_name, agents, request, expected) => {
    expect(picked(pickAgent(agents, request))).toBe(expected);
  });

  it('explains the pick', () => {
    expect(
      pickAgent([agent('ana', { name: 'Ana', openTickets: 1 })], leastLoaded(['senior'])),
    ).toEqual({
      kind: 'queued',
      reason: 'no agent in team tech has skills senior',
    });
    expect(pickAgent([agent('ana', { name: 'Ana', openTickets: 1 })], leastLoaded())).toEqual({
      kind: 'agent',
      agentId: 'ana',
      reason: 'least loaded in team tech: Ana has 1 of 5 open tickets',
    });
    expect(
      pickAgent([agent('ana', { name: 'Ana', skills: ['vip'] })], roundRobin(['VIP'])),
    ).toEqual({
      kind: 'agent',
      agentId: 'ana',
      reason: 'round robin in team tech with skills vip: Ana has not been assigned yet',
    });
  });
});

describe('isOnShift', () => {
  it('reads the shift calendar, null meaning always', () => {
    const early = compileCalendar({
      id: 'early',
      name: 'Early shift',
      timeZone: 'Europe/Berlin',
      week: { mon: [['06:00', '14:00']] },
      holidays: [],
    });
    expect(isOnShift(early, Date.parse('2024-01-08T06:00:00+01:00'))).toBe(true);
    expect(isOnShift(early, Date.parse('2024-01-08T14:00:00+01:00'))).toBe(false);
    expect(isOnShift(null, 0)).toBe(true);
  });
});

const agentArb = fc.record({
  id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
  name: fc.constant('Agent'),
  teamId: fc.constantFrom('tech', 'billing'),
  skills: fc.subarray(['senior', 'Senior', 'VIP', 'en', 'zh']),
  capacity: fc.integer({ min: 0, max: 6 }),
  openTickets: fc.integer({ min: 0, max: 7 }),
  active: fc.boolean(),
  onShift: fc.boolean(),
  lastAssignedAt: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
});
const agentsArb = fc.uniqueArray(agentArb, { selector: (a) => a.id, maxLength: 8 });
const requestArb = fc.record({
  teamId: fc.constantFrom('tech', 'billing'),
  strategy: fc.constantFrom('least-loaded' as const, 'round-robin' as const, 'queue' as const),
  requiredSkills: fc.subarray(['SENIOR', 'vip', 'en']),
});

describe('round-robin ties', () => {
  it('agents assigned at the same instant take turns by the ticket’s turn, in id order', () => {
    const tied = [
      agent('c', { lastAssignedAt: 7 }),
      agent('a', { lastAssignedAt: 7 }),
      agent('b', { lastAssignedAt: 7 }),
    ];
    const picks = [0, 1, 2, 3, 4, 5].map((turn) => {
      const result = pickAgent(tied, { ...roundRobin(), turn });
      return result.kind === 'agent' ? result.agentId : null;
    });
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('an agent assigned longer ago still comes before the tied ones, whatever the turn', () => {
    const agents = [
      agent('a', { lastAssignedAt: 7 }),
      agent('b', { lastAssignedAt: 3 }),
      agent('c', { lastAssignedAt: 7 }),
    ];
    for (const turn of [0, 1, 2, 99]) {
      expect(pickAgent(agents, { ...roundRobin(), turn })).toMatchObject({ agentId: 'b' });
    }
  });

  it('property: a burst at one instant is shared evenly (no agent gets two more than another)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 500 }),
        (ids, burst, firstTurn) => {
          // Every ticket of the burst is assigned at the same instant (time 10).
          let agents = ids.map((id) => agent(id));
          const counts = new Map<string, number>();
          for (let turn = firstTurn; turn < firstTurn + burst; turn++) {
            const result = pickAgent(agents, { ...roundRobin(), turn });
            if (result.kind !== 'agent') throw new Error('queued');
            counts.set(result.agentId, (counts.get(result.agentId) ?? 0) + 1);
            agents = agents.map((a) =>
              a.id === result.agentId ? { ...a, lastAssignedAt: 10 } : a,
            );
          }
          const shares = ids.map((id) => counts.get(id) ?? 0);
          expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('pickAgent properties', () => {
  it('picks an eligible agent exactly when one exists and the strategy assigns', () => {
    fc.assert(
      fc.property(agentsArb, requestArb, (agents, request) => {
        const result = pickAgent(agents, request);
        const eligible = agents.filter((a) => isEligible(a, request));
        if (request.strategy === 'queue' || eligible.length === 0) {
          expect(result.kind).toBe('queued');
          return;
        }
        expect(result.kind).toBe('agent');
        const chosen = eligible.find((a) => result.kind === 'agent' && a.id === result.agentId);
        expect(chosen).toBeDefined();
        if (!chosen) return;
        if (request.strategy === 'least-loaded') {
          const minRatio = Math.min(...eligible.map((a) => a.openTickets / a.capacity));
          expect(chosen.openTickets / chosen.capacity).toBe(minRatio);
        } else {
          const turn = (a: AgentState) => a.lastAssignedAt ?? -1;
          expect(turn(chosen)).toBe(Math.min(...eligible.map(turn)));
        }
      }),
    );
  });

  it('does not depend on the order of the agents', () => {
    fc.assert(
      fc.property(
        agentsArb.chain((agents) =>
          fc.tuple(fc.constant(agents), fc.shuffledSubarray(agents, { minLength: agents.length })),
        ),
        requestArb,
        ([agents, shuffled], request) => {
          expect(pickAgent(shuffled, request)).toEqual(pickAgent(agents, request));
        },
      ),
    );
  });
});

describe('round robin in the engine', () => {
  it('tickets created at the same instant go round the team, not all to one agent', async () => {
    const flow = buildFlow(
      [
        { id: 'route', kind: 'assign', config: { team: 'support', strategy: 'round-robin' } },
        { id: 'work', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
        { id: 'done', kind: 'end', config: { outcome: 'resolved' } },
      ],
      ['in.next -> route', 'route.next -> work', 'work.received -> done'],
    );
    const agents = ['s1', 's2', 's3'].map((id) => fixtureAgent(id, 'support', { capacity: 10 }));
    const { engine } = createTestEngine({ flow, agents });
    const assignees: (string | null)[] = [];
    // The clock never moves: every assignment happens at the same instant.
    for (let index = 0; index < 9; index++) {
      const { ticket } = await engine.createTicket(
        { subject: `burst ${index}`, channel: 'api', customer: { name: 'C' } },
        { flowVersionId: 'v1' },
      );
      assignees.push(ticket.ticket.assignee);
    }
    const counts = Object.fromEntries(
      ['s1', 's2', 's3'].map((id) => [id, assignees.filter((a) => a === id).length]),
    );
    expect(counts).toEqual({ s1: 3, s2: 3, s3: 3 });
  });
});
