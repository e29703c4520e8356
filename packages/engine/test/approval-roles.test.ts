import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../src';
import { agent, buildFlow, createRecordingEffects, createTestEngine, HOUR } from './fixtures';

const AGENTS: AgentRecord[] = [
  agent('ann', 'billing'),
  agent('bill-lead', 'billing', { role: 'lead' }),
  agent('bill-director', 'billing', { role: 'director' }),
  agent('li', 'tech'),
  agent('tech-lead', 'tech', { role: 'lead' }),
  agent('fin-lead', 'finance', { role: 'lead' }),
  agent('fin-director', 'finance', { role: 'director' }),
  agent('sam', 'support'),
];

const ticket = {
  subject: 'refund please',
  channel: 'web' as const,
  customer: { name: 'Ann', email: 'ann@example.com' },
};

/** intake → assign (team) → wait for a comment → approval (approver) → ends per port. */
function approvalFlow(team: string, approver: string) {
  return buildFlow(
    [
      { id: 'route', kind: 'assign', config: { team } },
      { id: 'hold', kind: 'wait', config: { event: 'COMMENT.ADDED' } },
      { id: 'ask', kind: 'approval', config: { approver, timeout: '1h' } },
      { id: 'yes', kind: 'end', config: { outcome: 'resolved' } },
      { id: 'no', kind: 'end', config: { outcome: 'rejected' } },
      { id: 'late', kind: 'end', config: { outcome: 'cancelled' } },
    ],
    [
      'in.next -> route',
      'route.next -> hold',
      'hold.received -> ask',
      'ask.approved -> yes',
      'ask.rejected -> no',
      'ask.timeout -> late',
    ],
    { ticketFields: [] },
  );
}

async function askApproval(
  team: string,
  approver: string,
  agents: AgentRecord[] = AGENTS,
  beforeApproval?: (send: (event: unknown) => Promise<unknown>) => Promise<unknown>,
) {
  const effects = createRecordingEffects();
  const setup = createTestEngine({ flow: approvalFlow(team, approver), agents, effects });
  const { engine } = setup;
  const { ticket: created } = await engine.createTicket(ticket, { flowVersionId: 'v1' });
  const send = (event: unknown) => engine.send(created.ticket.number, event);
  await beforeApproval?.(send);
  const step = await engine.send(created.ticket.number, {
    type: 'COMMENT.ADDED',
    by: 'x',
    text: 'please decide',
  });
  await engine.deliverDueEffects();
  const requests = effects.delivered
    .filter((effect) => effect.kind === 'email')
    .map((effect) => (effect.payload as { to: string[] }).to);
  return { ...setup, number: created.ticket.number, step, requests };
}

describe('the approval node asks the role it is configured with', () => {
  it('team-lead: the lead of the ticket’s own team', async () => {
    const { requests, step } = await askApproval('billing', 'team-lead');
    expect(requests).toEqual([['bill-lead@example.com']]);
    expect(step.trace.notes.join(' ')).not.toMatch(/approver/);
  });

  it('director: the director of the ticket’s team, not its lead', async () => {
    const { requests } = await askApproval('billing', 'director');
    expect(requests).toEqual([['bill-director@example.com']]);
  });

  it('finance and risk: the lead of that named team, whatever team the ticket is in', async () => {
    const { requests } = await askApproval('billing', 'finance');
    expect(requests).toEqual([['fin-lead@example.com']]);
  });

  it('admin: the director over the ticket’s team', async () => {
    const { requests } = await askApproval('billing', 'admin');
    expect(requests).toEqual([['bill-director@example.com']]);
  });

  it('account-manager: the lead of the assignee’s team (the assignee’s manager)', async () => {
    // Billing keeps the ticket but a tech agent works on it: tech's lead is the manager.
    const { requests } = await askApproval('billing', 'account-manager', AGENTS, (send) =>
      send({ type: 'TICKET.TRANSFERRED', team: 'billing', assignee: 'li' }),
    );
    expect(requests).toEqual([['tech-lead@example.com']]);
  });
});

describe('when nobody holds the role', () => {
  it('a team without a lead asks its director, never another team’s lead, and says so', async () => {
    const agents = AGENTS.filter((a) => a.id !== 'bill-lead');
    const { requests, step } = await askApproval('billing', 'team-lead', agents);
    expect(requests).toEqual([['bill-director@example.com']]);
    expect(step.trace.notes).toContain(
      'approver team-lead: team billing has no team lead; asking its director',
    );
  });

  it('a team without a director asks the organisation’s director, with a note', async () => {
    const { requests, step } = await askApproval('support', 'director');
    expect(requests).toEqual([['bill-director@example.com']]);
    expect(step.trace.notes).toContain(
      'approver director: team support has no director; bill-director (director of team billing) instead',
    );
  });

  it('nobody at all: no request goes out, the history says why, and the approval times out', async () => {
    const agents = AGENTS.filter((a) => a.role === 'agent');
    const { requests, step, engine, clock, store, number } = await askApproval(
      'billing',
      'risk',
      agents,
    );
    expect(requests).toEqual([]);
    expect(step.trace.notes).toEqual(
      expect.arrayContaining([
        'approver risk: team risk has no team lead; asking its director',
        'approver risk: nobody holds the director role',
      ]),
    );
    clock.advance(HOUR);
    await engine.fireDueTimers();
    expect((await store.getTicketByNumber(number))?.currentNodes).toEqual(['late']);
  });
});

describe('SLA escalation stays in the ticket’s team', () => {
  it('reassignTo team-lead does not hand the ticket to another team’s lead', async () => {
    const sla = {
      targets: {
        urgent: { response: '1h', resolution: '2h' },
        high: { response: '1h', resolution: '2h' },
        medium: { response: '1h', resolution: '2h' },
        low: { response: '1h', resolution: '2h' },
      },
      escalation: [{ after: '0m', reassignTo: 'team-lead', notify: ['team-lead'] }],
    };
    const flow = buildFlow(
      [
        { id: 'route', kind: 'assign', config: { team: 'support' } },
        { id: 'clock', kind: 'sla', config: sla },
        { id: 'work', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
        { id: 'done', kind: 'end', config: { outcome: 'resolved' } },
      ],
      ['in.next -> route', 'route.next -> clock', 'clock.next -> work', 'work.received -> done'],
    );
    const effects = createRecordingEffects();
    const { engine, clock, store } = createTestEngine({ flow, agents: AGENTS, effects });
    const { ticket: created } = await engine.createTicket(ticket, { flowVersionId: 'v1' });
    clock.advance(HOUR);
    await engine.fireDueTimers();
    const after = await store.getTicketById(created.id);
    // Support has no lead: the ticket stays with sam, nobody else's lead is mailed.
    expect(after?.ticket).toMatchObject({ assignee: 'sam', escalationLevel: 1 });
    const events = await store.listEvents(created.id);
    expect(events.at(-1)?.trace.notes).toEqual(
      expect.arrayContaining([
        'team support has no team lead to notify',
        'escalation level 1: nobody in team support holds the team-lead role; not reassigned',
      ]),
    );
    await engine.deliverDueEffects();
    expect(
      effects.delivered.filter((e) => JSON.stringify(e.payload).includes('lead@example.com')),
    ).toEqual([]);
  });
});
