import { describe, expect, it } from 'vitest';
import { createTestEngine, HOUR } from './fixtures';

// Found by the simulator ≡ runtime property test (issue 6): a step that freed an agent's slot
// assigned the team queue while still holding its own ticket's lock, so when the queued ticket
// was that very ticket the engine waited for itself forever.
describe('a ticket moved into its own team queue', () => {
  it('is taken from the queue by the agent whose slot it freed, and the call returns', async () => {
    const { engine, clock, store } = createTestEngine();
    const { ticket } = await engine.createTicket(
      { subject: 'Need the March invoice', customer: { email: 'bob@shop.example' } },
      { flowVersionId: 'v1' },
    );
    expect(ticket.ticket).toMatchObject({ team: 'billing', assignee: 'zhao' });
    clock.advance(HOUR);

    // A transfer naming only the team unassigns the ticket: it frees zhao's slot and waits.
    const moved = await engine.send(ticket.number, { type: 'TICKET.TRANSFERRED', team: 'billing' });
    expect(moved.ticket.ticket.assignee).toBeNull();

    const events = await store.listEvents(ticket.id);
    expect(events.map((e) => e.event)).toEqual([
      expect.objectContaining({ type: 'TICKET.CREATED' }),
      { type: 'TICKET.TRANSFERRED', team: 'billing' },
      {
        type: 'TICKET.TRANSFERRED',
        team: 'billing',
        assignee: 'zhao',
        by: 'system',
        reason: 'assigned from the team queue',
      },
    ]);
    const record = await store.getTicketById(ticket.id);
    expect(record?.ticket).toMatchObject({ team: 'billing', assignee: 'zhao' });
    expect((await store.listAgents()).find((a) => a.id === 'zhao')?.openTickets).toBe(1);
  });
});
