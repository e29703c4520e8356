import { describe, expect, it } from 'vitest';
import { agent, createTestEngine, HOUR, MINUTE } from './fixtures';

const invoice = {
  subject: 'Invoice question',
  description: 'Why was I charged twice on my invoice?',
  channel: 'web' as const,
  customer: { name: 'Bo', email: 'bo@example.com' },
};

// Billing: zhao (no senior skill, two slots) and sun (senior, one slot).
const AGENTS = [
  agent('sun', 'billing', { skills: ['billing', 'senior'], capacity: 1 }),
  agent('zhao', 'billing', { skills: ['billing'], capacity: 2 }),
];

async function assigneeOf(store: ReturnType<typeof createTestEngine>['store'], id: string) {
  return (await store.getTicketById(id))?.ticket.assignee;
}

async function load(store: ReturnType<typeof createTestEngine>['store']) {
  return Object.fromEntries((await store.listAgents()).map((a) => [a.id, a.openTickets]));
}

describe('the team queue hands a freed slot only to a ticket the agent may take', () => {
  it('a ticket reopened to a senior agent waits for a senior agent; younger tickets go first', async () => {
    const { engine, store, clock } = createTestEngine({ agents: AGENTS });
    const create = async () => (await engine.createTicket(invoice, { flowVersionId: 'v1' })).ticket;
    // sun and zhao both have no load: the lower id, sun, takes the first; zhao the next two.
    const d = await create();
    clock.advance(MINUTE);
    const a = await create();
    clock.advance(MINUTE);
    const b = await create();
    clock.advance(MINUTE);
    expect([d, a, b].map((t) => t.ticket.assignee)).toEqual(['sun', 'zhao', 'zhao']);
    // Everybody is full: c waits in the queue, needing no particular skill.
    const c = await create();
    expect(c.ticket).toMatchObject({ team: 'billing', assignee: null });

    // a is resolved, and the customer says it is not: "Reopen to a senior agent".
    clock.advance(HOUR);
    await engine.send(a.number, { type: 'AGENT.RESOLVED', by: 'zhao' });
    clock.advance(30 * MINUTE);
    await engine.fireDueTimers();
    const reopened = await engine.send(a.number, {
      type: 'SURVEY.ANSWERED',
      score: 1,
      resolved: false,
    });
    expect(reopened.trace.entered).toContain('reopen-senior');
    expect(reopened.trace.notes).toContain(
      'Billing: the only agent in team billing with skills senior is unavailable (1 at capacity)',
    );

    // zhao's slot is free, but a needs a senior agent: a stays queued, and zhao takes c, the
    // oldest waiting ticket zhao may take.
    expect(await assigneeOf(store, a.id)).toBeNull();
    expect(await assigneeOf(store, c.id)).toBe('zhao');
    expect(await load(store)).toEqual({ sun: 1, zhao: 2 });
    const handed = (await store.listEvents(c.id)).at(-1)?.event;
    expect(handed).toEqual({
      type: 'TICKET.TRANSFERRED',
      team: 'billing',
      assignee: 'zhao',
      by: 'system',
      reason: 'assigned from the team queue',
    });

    // zhao frees another slot: still not a senior agent, a keeps waiting.
    await engine.send(b.number, { type: 'AGENT.RESOLVED', by: 'zhao' });
    await engine.send(b.number, { type: 'TICKET.CLOSED', by: 'zhao' });
    expect(await assigneeOf(store, a.id)).toBeNull();
    expect(await load(store)).toEqual({ sun: 1, zhao: 1 });

    // sun, the senior agent, frees a slot: a goes to sun.
    await engine.send(d.number, { type: 'AGENT.RESOLVED', by: 'sun' });
    await engine.send(d.number, { type: 'TICKET.CLOSED', by: 'sun' });
    expect(await assigneeOf(store, a.id)).toBe('sun');
    expect(await load(store)).toEqual({ sun: 1, zhao: 1 });
  });

  it('a transfer to another team drops the skills the old team was asked for', async () => {
    // The default agents: billing has only zhao, no senior; support has chen, no skills.
    const { engine, store, clock } = createTestEngine();
    const { ticket } = await engine.createTicket(invoice, { flowVersionId: 'v1' });
    clock.advance(HOUR);
    await engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'zhao' });
    await engine.send(ticket.number, { type: 'TICKET.REOPENED', by: 'lead@example.com' });
    const skillsOf = async () =>
      (
        (await store.getTicketById(ticket.id))?.snapshot as {
          context: { runtime: { requiredSkills?: string[] } };
        }
      ).context.runtime.requiredSkills;
    expect(await assigneeOf(store, ticket.id)).toBeNull();
    expect(await skillsOf()).toEqual(['senior']);
    // Queued in billing, where nobody is senior; the support team has room.
    await engine.assignQueued('billing');
    expect(await assigneeOf(store, ticket.id)).toBeNull();

    await engine.send(ticket.number, { type: 'TICKET.TRANSFERRED', team: 'support' });
    expect(await skillsOf()).toBeUndefined();
    await engine.assignQueued('support');
    expect(await store.getTicketById(ticket.id)).toMatchObject({
      ticket: { team: 'support', assignee: 'chen' },
    });
  });
});
