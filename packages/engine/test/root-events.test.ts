import { describe, expect, it } from 'vitest';
import { buildFlow, createTestEngine, HOUR, MINUTE } from './fixtures';

const END = { id: 'done', kind: 'end', config: { outcome: 'resolved' } };
const ticket = { subject: 'help', channel: 'web' as const, customer: { name: 'Ann' } };
const FIELDS = [{ key: 'ok', label: 'OK', type: 'boolean' }];

describe('a node handling an event the root also handles', () => {
  it('a wait for TICKET.UPDATED keeps the update and tests `when` against the changed ticket', async () => {
    const flow = buildFlow(
      [
        {
          id: 'hold',
          kind: 'wait',
          config: { event: 'TICKET.UPDATED', when: 'ticket.fields.ok == true', timeout: '2h' },
        },
        END,
        { id: 'late', kind: 'end', config: { outcome: 'cancelled' } },
      ],
      ['in.next -> hold', 'hold.received -> done', 'hold.timeout -> late'],
      { ticketFields: FIELDS },
    );
    const { engine, clock } = createTestEngine({ flow });
    const { ticket: created } = await engine.createTicket(ticket, { flowVersionId: 'v1' });
    const number = created.ticket.number;

    // An update that does not meet `when` is kept, and the wait (and its timer) goes on.
    const first = await engine.send(number, {
      type: 'TICKET.UPDATED',
      changes: { priority: 'high', fields: { ok: false } },
    });
    expect(first.ticket.ticket).toMatchObject({ priority: 'high', fields: { ok: false } });
    expect(first.ticket.currentNodes).toEqual(['hold']);

    clock.advance(30 * MINUTE);
    const second = await engine.send(number, {
      type: 'TICKET.UPDATED',
      changes: { fields: { ok: true } },
    });
    expect(second.ticket.ticket).toMatchObject({ priority: 'high', fields: { ok: true } });
    expect(second.ticket.done).toBe(true);
    expect(second.trace.entered).toContain('done');

    // The timer was cancelled when the wait ended.
    clock.advance(3 * HOUR);
    expect(await engine.fireDueTimers()).toBe(0);
  });

  it('a wait for TICKET.UPDATED without `when` keeps the update too', async () => {
    const flow = buildFlow(
      [{ id: 'hold', kind: 'wait', config: { event: 'TICKET.UPDATED' } }, END],
      ['in.next -> hold', 'hold.received -> done'],
    );
    const { engine } = createTestEngine({ flow });
    const { ticket: created } = await engine.createTicket(ticket, { flowVersionId: 'v1' });
    const after = await engine.send(created.ticket.number, {
      type: 'TICKET.UPDATED',
      changes: { subject: 'new subject' },
    });
    expect(after.ticket.ticket.subject).toBe('new subject');
    expect(after.ticket.done).toBe(true);
  });
});

describe('the SLA clock stops however the ticket is resolved', () => {
  const sla = {
    id: 'sla',
    kind: 'sla',
    config: {
      targets: {
        urgent: { response: '1h', resolution: '1h' },
        high: { response: '1h', resolution: '1h' },
        medium: { response: '1h', resolution: '1h' },
        low: { response: '1h', resolution: '1h' },
      },
      escalation: [{ after: '0m', reassignTo: 'team-lead', notify: [] }],
    },
  };

  it('a resolve action meets the SLA: no breach, no escalation afterwards', async () => {
    const flow = buildFlow(
      [
        sla,
        { id: 'hold', kind: 'wait', config: { event: 'CUSTOMER.REPLIED' } },
        { id: 'fix', kind: 'action', config: { type: 'resolve', note: 'automatic' } },
        { id: 'csat', kind: 'survey', config: {} },
        END,
      ],
      [
        'in.next -> sla',
        'sla.next -> hold',
        'hold.received -> fix',
        'fix.next -> csat',
        'csat.satisfied -> done',
        'csat.unsatisfied -> done',
        'csat.timeout -> done',
      ],
    );
    const { engine, clock, store } = createTestEngine({ flow });
    const { ticket: created } = await engine.createTicket(ticket, { flowVersionId: 'v1' });
    clock.advance(10 * MINUTE);
    const resolved = await engine.send(created.ticket.number, {
      type: 'CUSTOMER.REPLIED',
      message: 'it works now',
    });
    expect(resolved.ticket.ticket.status).toBe('resolved');
    clock.advance(2 * HOUR);
    await engine.fireDueTimers();
    const after = await store.getTicketByNumber(created.ticket.number);
    expect(after?.ticket).toMatchObject({
      status: 'resolved',
      escalationLevel: 0,
      sla: { breached: false },
    });
  });

  it('without a resolution the same flow breaches (the test above can fail)', async () => {
    const flow = buildFlow(
      [sla, { id: 'hold', kind: 'wait', config: { event: 'CUSTOMER.REPLIED' } }, END],
      ['in.next -> sla', 'sla.next -> hold', 'hold.received -> done'],
    );
    const { engine, clock, store } = createTestEngine({ flow });
    const { ticket: created } = await engine.createTicket(ticket, { flowVersionId: 'v1' });
    clock.advance(2 * HOUR);
    await engine.fireDueTimers();
    const after = await store.getTicketByNumber(created.ticket.number);
    expect(after?.ticket).toMatchObject({ escalationLevel: 1, sla: { breached: true } });
  });
});
