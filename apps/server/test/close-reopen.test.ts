// TICKET.CLOSED / TICKET.REOPENED through the console's API: they used to be valid events that no
// state took (409); now a resolved ticket closes, and the console's reopen takes a resolved or
// closed ticket back the way a dissatisfied survey answer does, with a new SLA due time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

let api: ApiServer;
let agent: TestClient;
let versionId = '';

beforeAll(async () => {
  api = await startApiServer();
  agent = await api.as('agent');
  versionId =
    api.server.seed.published.find((template) => template.flowId === 'saas-login')?.versionId ?? '';
});

afterAll(async () => {
  await api.close();
});

async function resolvedTicket(): Promise<string> {
  const { ticket } = await api.server.engine.createTicket(
    {
      subject: 'Cannot log in',
      description: 'password reset loop',
      channel: 'web',
      customer: { name: 'Ann Lee', email: 'ann@example.com', tier: 'vip' },
    },
    { flowVersionId: versionId },
  );
  await agent.client.tickets.resolve.mutate({ number: ticket.number });
  return ticket.number;
}

describe('close and reopen from the console', () => {
  it('reopen is offered only on a resolved ticket and restarts its SLA', async () => {
    const { engine } = api.server;
    const { ticket: open } = await engine.createTicket(
      { subject: 'Cannot log in', channel: 'web', customer: { name: 'Bo' } },
      { flowVersionId: versionId },
    );
    const before = await agent.client.tickets.get.query({ number: open.number });
    expect(before.actions.reopen).toBe(false);
    expect(before.accepts['TICKET.CLOSED']).toBe(false);
    expect(await codeOf(agent.client.tickets.reopen.mutate({ number: open.number }))).toBe(
      'CONFLICT',
    );

    const number = await resolvedTicket();
    const resolved = await agent.client.tickets.get.query({ number });
    expect(resolved.status).toBe('resolved');
    expect(resolved.actions.reopen).toBe(true);
    expect(resolved.accepts['TICKET.CLOSED']).toBe(true);

    const reopened = await agent.client.tickets.reopen.mutate({ number, reason: 'still broken' });
    expect(reopened.status).toBe('open');
    const after = await agent.client.tickets.get.query({ number });
    expect(after.currentNode?.id).toBe('await-resolution');
    expect(after.actions.reopen).toBe(false);
    // saas-login: high priority, 8 h to resolve — counted from the reopen.
    const record = await api.server.store.getTicketByNumber(number);
    const events = await api.server.store.listEvents(record?.id ?? '');
    const reopenedAt = Date.parse(events.find((e) => e.event.type === 'TICKET.REOPENED')?.at ?? '');
    expect(record?.ticket.sla.resolutionDueAt).toBe(
      new Date(reopenedAt + 8 * 3_600_000).toISOString(),
    );
  });

  it('a closed ticket is final until it is reopened', async () => {
    const { engine } = api.server;
    const number = await resolvedTicket();
    const closed = await engine.send(number, { type: 'TICKET.CLOSED', by: 'agent@example.com' });
    expect(closed.ticket).toMatchObject({ done: true, ticket: { status: 'closed' } });
    const view = await agent.client.tickets.get.query({ number });
    expect(view.currentNode).toBeNull();
    expect(view.actions).toMatchObject({ reply: false, comment: false, reopen: true });

    const reopened = await agent.client.tickets.reopen.mutate({ number });
    expect(reopened.status).toBe('open');
    expect((await api.server.store.getTicketByNumber(number))?.done).toBe(false);
  });
});
