import { describe, expect, it } from 'vitest';
import { EventNotAcceptedError } from '../src';
import { buildFlow, createTestEngine, HOUR, MINUTE } from './fixtures';

const billing = {
  subject: 'Invoice question',
  description: 'Why was I charged twice on my invoice?',
  channel: 'web' as const,
  customer: { name: 'Bo', email: 'bo@example.com' },
};

/** A saas-login ticket taken to the survey (status resolved), the survey mail sent. */
async function resolvedTicket() {
  const setup = createTestEngine();
  const { engine, clock } = setup;
  const { ticket } = await engine.createTicket(billing, { flowVersionId: 'v1' });
  clock.advance(HOUR);
  await engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'zhao' });
  clock.advance(30 * MINUTE);
  await engine.fireDueTimers();
  return { ...setup, number: ticket.number, id: ticket.id };
}

async function scheduledTimers(
  store: ReturnType<typeof createTestEngine>['store'],
  ticketId: string,
) {
  return (await store.listTimers(ticketId))
    .filter((timer) => timer.status === 'scheduled')
    .map((timer) => `${timer.key}@${timer.dueAt}`);
}

async function openTickets(store: ReturnType<typeof createTestEngine>['store'], id: string) {
  return (await store.listAgents()).find((agent) => agent.id === id)?.openTickets;
}

describe('TICKET.CLOSED', () => {
  it('closes a resolved ticket: status closed, the flow ends, every timer is cancelled', async () => {
    const { engine, store, number, id } = await resolvedTicket();
    expect(await scheduledTimers(store, id)).toEqual([expect.stringMatching(/^survey:expire@/)]);
    expect(await openTickets(store, 'zhao')).toBe(1);
    expect(await engine.accepts(number, { type: 'TICKET.CLOSED' })).toBe(true);

    const { ticket, trace } = await engine.send(number, {
      type: 'TICKET.CLOSED',
      by: 'zhao',
      reason: 'customer confirmed by phone',
    });
    expect(ticket).toMatchObject({ done: true, currentNodes: [], ticket: { status: 'closed' } });
    expect(trace.notes).toContain('closed by zhao: customer confirmed by phone');
    expect(await scheduledTimers(store, id)).toEqual([]);
    // The assignee's slot is free again.
    expect(await openTickets(store, 'zhao')).toBe(0);
    // Nothing else is taken after the end, a second close neither.
    await expect(engine.send(number, { type: 'TICKET.CLOSED' })).rejects.toBeInstanceOf(
      EventNotAcceptedError,
    );
    await expect(
      engine.send(number, { type: 'COMMENT.ADDED', by: 'zhao', text: 'late note' }),
    ).rejects.toBeInstanceOf(EventNotAcceptedError);
  });

  it('is refused while the ticket is still being worked on', async () => {
    const { engine } = createTestEngine();
    const { ticket } = await engine.createTicket(billing, { flowVersionId: 'v1' });
    expect(await engine.accepts(ticket.number, { type: 'TICKET.CLOSED' })).toBe(false);
    await expect(engine.send(ticket.number, { type: 'TICKET.CLOSED' })).rejects.toBeInstanceOf(
      EventNotAcceptedError,
    );
  });
});

describe('TICKET.REOPENED', () => {
  it('reopens a closed ticket on the survey’s reopen path with a new SLA due time', async () => {
    const { engine, store, clock, number, id } = await resolvedTicket();
    await engine.send(number, { type: 'TICKET.CLOSED' });
    clock.advance(2 * HOUR);
    const reopenedAt = clock.now();
    expect(await engine.accepts(number, { type: 'TICKET.REOPENED' })).toBe(true);

    const { ticket, trace } = await engine.send(number, {
      type: 'TICKET.REOPENED',
      by: 'lead@example.com',
      reason: 'customer called back',
    });
    // The saas-login survey's unsatisfied port leads to reopen-senior (assign), then the wait.
    expect(trace.entered).toEqual(['reopen-senior', 'await-resolution']);
    expect(trace.notes).toContain('reopened by lead@example.com: customer called back');
    expect(ticket).toMatchObject({
      done: false,
      currentNodes: ['await-resolution'],
      // reopen-senior asks for a senior agent; billing has none, so the ticket is queued…
      ticket: { status: 'open', team: 'billing', assignee: null },
    });
    // Low priority: 72 h resolution, counted from the reopen (not from the first start).
    const due = new Date(reopenedAt + 72 * HOUR).toISOString();
    expect(ticket.ticket.sla).toMatchObject({ resolutionDueAt: due, breached: false });
    // Nobody replied to the customer yet, so the response clock (8 h) starts again too.
    const responseDue = new Date(reopenedAt + 8 * HOUR).toISOString();
    expect(await scheduledTimers(store, id)).toEqual([
      `sla:resolution@${due}`,
      `sla:response@${responseDue}`,
    ]);
    // …and stays queued: the reassignment freed zhao's slot, but zhao is no senior agent, so the
    // queue does not hand it to zhao (it waits for a senior billing agent).
    const queued = await store.getTicketById(id);
    expect(queued?.ticket.assignee).toBeNull();
    expect(queued?.snapshot).toMatchObject({
      context: { runtime: { requiredSkills: ['senior'] } },
    });
    expect(await openTickets(store, 'zhao')).toBe(0);

    // The restarted clock is a real one: it breaches and escalates when it runs out.
    clock.advance(72 * HOUR);
    await engine.fireDueTimers();
    const breached = await store.getTicketById(id);
    expect(breached?.ticket).toMatchObject({
      status: 'escalated',
      sla: { breached: true },
      escalationLevel: 1,
    });
  });

  it('a console reopen and a dissatisfied survey answer reopen the same way', async () => {
    const viaConsole = await resolvedTicket();
    const viaSurvey = await resolvedTicket();
    const a = await viaConsole.engine.send(viaConsole.number, { type: 'TICKET.REOPENED' });
    const b = await viaSurvey.engine.send(viaSurvey.number, {
      type: 'SURVEY.ANSWERED',
      score: 2,
      resolved: false,
    });
    expect(a.trace.entered).toEqual(b.trace.entered);
    const { csat: _csat, updatedAt: _a, ...fromConsole } = a.ticket.ticket;
    const { csat: _csat2, updatedAt: _b, ...fromSurvey } = b.ticket.ticket;
    expect(fromConsole).toEqual(fromSurvey);
    expect(fromConsole.status).toBe('open');
    expect(a.ticket.ticket.sla.resolutionDueAt).not.toBeNull();
    expect(await scheduledTimers(viaConsole.store, viaConsole.id)).toEqual(
      await scheduledTimers(viaSurvey.store, viaSurvey.id),
    );
    expect(b.trace.notes).toContain('reopened after a survey answer (score 2, not resolved)');
  });

  it('reopens a ticket whose flow ended resolved; refuses open and cancelled tickets', async () => {
    const flow = buildFlow(
      [
        { id: 'route', kind: 'assign', config: { team: 'billing' } },
        { id: 'work', kind: 'wait', config: { event: 'AGENT.RESOLVED', status: 'open' } },
        { id: 'done', kind: 'end', config: { outcome: 'resolved' } },
        { id: 'spam', kind: 'end', config: { outcome: 'cancelled' } },
        {
          id: 'triage',
          kind: 'condition',
          config: { branches: [{ id: 'junk', label: 'Junk', when: 'ticket.subject == "spam"' }] },
        },
      ],
      [
        'in.next -> triage',
        'triage.junk -> spam',
        'triage.else -> route',
        'route.next -> work',
        'work.received -> done',
      ],
    );
    const { engine, store } = createTestEngine({ flow });
    const { ticket } = await engine.createTicket(billing, { flowVersionId: 'v1' });
    expect(await engine.accepts(ticket.number, { type: 'TICKET.REOPENED' })).toBe(false);
    const ended = await engine.send(ticket.number, { type: 'AGENT.RESOLVED' });
    expect(ended.ticket).toMatchObject({ done: true, ticket: { status: 'resolved' } });
    expect(await openTickets(store, 'zhao')).toBe(0);

    // No survey: back to the assignment step.
    const reopened = await engine.send(ticket.number, { type: 'TICKET.REOPENED' });
    expect(reopened.trace.entered).toEqual(['route', 'work']);
    expect(reopened.ticket).toMatchObject({ done: false, ticket: { status: 'open' } });
    expect(await openTickets(store, 'zhao')).toBe(1);

    const { ticket: junk } = await engine.createTicket(
      { ...billing, subject: 'spam' },
      { flowVersionId: 'v1' },
    );
    expect(junk).toMatchObject({ done: true, ticket: { status: 'cancelled' } });
    await expect(engine.send(junk.number, { type: 'TICKET.REOPENED' })).rejects.toBeInstanceOf(
      EventNotAcceptedError,
    );
  });

  it('is refused by a flow with neither a survey nor an assign node', async () => {
    const flow = buildFlow(
      [{ id: 'done', kind: 'end', config: { outcome: 'resolved' } }],
      ['in.next -> done'],
    );
    const { engine } = createTestEngine({ flow });
    const { ticket } = await engine.createTicket(billing, { flowVersionId: 'v1' });
    expect(ticket.done).toBe(true);
    await expect(engine.send(ticket.number, { type: 'TICKET.REOPENED' })).rejects.toBeInstanceOf(
      EventNotAcceptedError,
    );
    // Closing a resolved ended ticket still works (status closed).
    const closed = await engine.send(ticket.number, { type: 'TICKET.CLOSED' });
    expect(closed.ticket).toMatchObject({ done: true, ticket: { status: 'closed' } });
  });

  it('replay rebuilds a closed-and-reopened ticket exactly', async () => {
    const { engine, store, clock, number, id } = await resolvedTicket();
    await engine.send(number, { type: 'TICKET.CLOSED' });
    clock.advance(HOUR);
    await engine.send(number, { type: 'TICKET.REOPENED' });
    const rebuilt = await engine.replay(id);
    expect(rebuilt.snapshot).toEqual((await store.getTicketById(id))?.snapshot);
  });
});
