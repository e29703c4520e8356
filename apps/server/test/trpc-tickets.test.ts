import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMailOutbox } from '../src/index';
import type { TicketChange } from '../src/ticket-hooks';
import { startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

let api: ApiServer;
let agent: TestClient;
let viewer: TestClient;
let versionId = '';

async function newTicket(input: {
  subject: string;
  description?: string;
  channel?: 'web' | 'email' | 'api' | 'chat';
  email?: string;
  tier?: 'vip' | 'standard';
}): Promise<string> {
  const { ticket } = await api.server.engine.createTicket(
    {
      subject: input.subject,
      description: input.description ?? '',
      channel: input.channel ?? 'web',
      customer: {
        name: 'Ann Lee',
        email: input.email ?? 'ann@example.com',
        tier: input.tier ?? 'standard',
      },
    },
    { flowVersionId: versionId },
  );
  return ticket.number;
}

beforeAll(async () => {
  api = await startApiServer();
  agent = await api.as('agent');
  viewer = await api.as('viewer');
  versionId =
    api.server.seed.published.find((template) => template.flowId === 'saas-login')?.versionId ?? '';
});

afterAll(async () => {
  await api.close();
});

describe('ticket actions', () => {
  it('comment, priority, transfer, reply and resolve change the real ticket', async () => {
    const number = await newTicket({
      subject: 'Cannot log in',
      description: 'password reset loop',
    });
    const { client } = agent;

    const before = await client.tickets.get.query({ number });
    expect(before.currentNode).toEqual({ id: expect.any(String), label: expect.any(String) });
    expect(before.actions).toMatchObject({
      reply: true,
      comment: true,
      transfer: true,
      setPriority: true,
    });
    expect(before.accepts['AGENT.REPLIED']).toBe(true);

    await client.tickets.comment.mutate({ number, text: 'Checked the SSO logs.' });
    const urgent = await client.tickets.setPriority.mutate({ number, priority: 'urgent' });
    expect(urgent.priority).toBe('urgent');
    const moved = await client.tickets.transfer.mutate({
      number,
      team: 'billing',
      reason: 'invoice',
    });
    expect(moved.team).toBe('billing');
    await client.tickets.reply.mutate({ number, message: 'We reset your password link.' });

    const after = await client.tickets.get.query({ number });
    expect(after.priority).toBe('urgent');
    expect(after.team).toBe('billing');
    const history = after.history.map((entry) => entry.event);
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'COMMENT.ADDED',
          by: 'agent@example.com',
          text: 'Checked the SSO logs.',
        }),
        expect.objectContaining({ type: 'TICKET.UPDATED', changes: { priority: 'urgent' } }),
        expect.objectContaining({ type: 'TICKET.TRANSFERRED', team: 'billing' }),
        expect.objectContaining({ type: 'AGENT.REPLIED', message: 'We reset your password link.' }),
      ]),
    );

    // The reply went to the outbox with the step and is delivered by the effect loop as e-mail.
    await api.server.tick();
    const replies = () =>
      readMailOutbox(api.dataDir).filter((mail) => mail.idempotencyKey.endsWith(':reply'));
    expect(replies()).toEqual([
      expect.objectContaining({
        ticket: number,
        to: ['ann@example.com'],
        subject: expect.stringContaining('Re: Cannot log in'),
        body: 'We reset your password link.',
      }),
    ]);
    await api.server.tick();
    expect(replies()).toHaveLength(1);

    // The flow waits for the agent's resolution: resolving moves the ticket on.
    expect(after.actions.resolve).toBe(true);
    const resolved = await client.tickets.resolve.mutate({ number, note: 'fixed' });
    expect(resolved.status).toBe('resolved');
    expect((await client.tickets.get.query({ number })).actions.resolve).toBe(false);
  });

  it('answers CONFLICT when the ticket state does not accept the action, and changes nothing', async () => {
    const number = await newTicket({ subject: 'Cannot log in' });
    const ticket = await agent.client.tickets.get.query({ number });
    // saas-login has no approval step: nobody can approve its tickets.
    expect(ticket.actions.approve).toBe(false);
    expect(ticket.accepts['APPROVAL.DECIDED']).toBe(false);
    const error = await errorOf(agent.client.tickets.approve.mutate({ number, reason: 'ok' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.data?.httpStatus).toBe(409);
    expect(error.message).toMatch(/does not accept APPROVAL\.DECIDED/);
    const again = await agent.client.tickets.get.query({ number });
    expect(again.history).toHaveLength(ticket.history.length);
  });

  it('rejects a reply to an unknown ticket and an empty message', async () => {
    expect(
      await codeOf(agent.client.tickets.reply.mutate({ number: 'CS20000101001', message: 'hi' })),
    ).toBe('NOT_FOUND');
    const number = await newTicket({ subject: 'x' });
    const empty = await errorOf(agent.client.tickets.reply.mutate({ number, message: '  ' }));
    expect(empty.data?.issues?.[0]?.path).toBe('message');
    expect(await codeOf(viewer.client.tickets.comment.mutate({ number, text: 'no' }))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('tickets.list', () => {
  it('filters, searches subject and description, sorts and pages without gaps', async () => {
    const mine = [
      await newTicket({ subject: 'Refund for order 991', channel: 'email', description: 'zebra' }),
      await newTicket({
        subject: 'Printer jam',
        channel: 'chat',
        description: 'the ZEBRA printer',
      }),
      await newTicket({ subject: '无法登录 zebra', channel: 'chat', tier: 'vip' }),
      await newTicket({ subject: 'Invoice copy', channel: 'api', description: 'nothing' }),
    ];
    const { client } = viewer;
    const found = await client.tickets.list.query({ search: 'zebra', limit: 50 });
    expect(found.items.map((item) => item.number).sort()).toEqual(mine.slice(0, 3).sort());
    const twoWords = await client.tickets.list.query({ search: 'zebra printer', limit: 50 });
    expect(twoWords.items.map((item) => item.number)).toEqual([mine[1]]);
    const chinese = await client.tickets.list.query({ search: '无法登录', limit: 50 });
    expect(chinese.items.map((item) => item.number)).toEqual([mine[2]]);
    const percent = await client.tickets.list.query({ search: '%', limit: 50 });
    expect(percent.items).toEqual([]);

    const chat = await client.tickets.list.query({ channel: 'chat', limit: 50 });
    expect(chat.items.every((item) => item.channel === 'chat')).toBe(true);
    expect(chat.items.map((item) => item.number)).toEqual(
      expect.arrayContaining([mine[1], mine[2]]),
    );

    const all = await client.tickets.list.query({ limit: 100 });
    const high = all.items.filter((item) => item.priority === 'high').map((item) => item.number);
    const byPriority = await client.tickets.list.query({ priority: 'high', limit: 100 });
    expect(byPriority.items.map((item) => item.number).sort()).toEqual(high.sort());

    for (const sort of ['newest', 'oldest', 'updated', 'priority', 'sla'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.tickets.list.query({ sort, limit: 2, ...(cursor && { cursor }) });
        seen.push(...page.items.map((item) => item.number));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen.sort(), sort).toEqual(all.items.map((item) => item.number).sort());
    }
    const ranks = { urgent: 0, high: 1, medium: 2, low: 3 } as const;
    const prioritized = await client.tickets.list.query({ sort: 'priority', limit: 100 });
    const order = prioritized.items.map((item) => ranks[item.priority as keyof typeof ranks]);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const page = await client.tickets.list.query({ sort: 'newest', limit: 1 });
    const wrongSort = await errorOf(
      client.tickets.list.query({ sort: 'oldest', limit: 1, cursor: page.nextCursor ?? '' }),
    );
    expect(wrongSort.data?.issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });

  it('lists unassigned and SLA-breached tickets', async () => {
    const { client } = viewer;
    const unassigned = await client.tickets.list.query({ assignee: null, limit: 100 });
    expect(unassigned.items.every((item) => item.assignee === null)).toBe(true);
    const breached = await client.tickets.list.query({ sla: 'breached', limit: 100 });
    expect(breached.items.every((item) => item.sla.breached)).toBe(true);
  });
});

describe('tickets.onChange', () => {
  it('streams {number, status, updatedAt} over SSE after every commit', async () => {
    const number = await newTicket({ subject: 'Live' });
    const received: TicketChange[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = viewer.client.tickets.onChange.subscribe(
        { number },
        {
          onStarted: () => {
            void agent.client.tickets.comment
              .mutate({ number, text: 'one' })
              .then(() => agent.client.tickets.setPriority.mutate({ number, priority: 'low' }));
          },
          onData: (change) => {
            received.push(change);
            if (received.length === 2) {
              subscription.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    const ticket = await viewer.client.tickets.get.query({ number });
    expect(received.map((change) => change.number)).toEqual([number, number]);
    expect(received[1]).toEqual({
      number,
      status: ticket.status,
      updatedAt: ticket.updatedAt,
    });
  });
});

describe('shutdown', () => {
  it('ends open subscriptions so the server can close', async () => {
    const completed = new Promise<string>((resolve, reject) => {
      const started = new Promise<void>((markStarted) => {
        viewer.client.tickets.onChange.subscribe(undefined, {
          onStarted: () => {
            markStarted();
          },
          onComplete: () => {
            resolve('complete');
          },
          onError: reject,
        });
      });
      void started.then(() => api.server.close());
    });
    expect(await completed).toBe('complete');
  });
});
