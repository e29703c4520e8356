import { describe, expect, it } from 'vitest';
import { createRecordingEffects, createTestEngine, HOUR, MINUTE } from './fixtures';

const vipLogin = {
  subject: '无法登录后台 — password reset loop',
  description: 'Since this morning I cannot log in to the console.',
  channel: 'web' as const,
  customer: { name: 'Alice', email: 'alice@corp.example', tier: 'vip' as const },
};

describe('engine on the SaaS login template', () => {
  it('classifies, prioritises, assigns least-loaded and starts the SLA on creation', async () => {
    const { engine } = createTestEngine();
    const { ticket, created, trace } = await engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    expect(created).toBe(true);
    expect(ticket.number).toBe('CS20260302001');
    expect(ticket.ticket).toMatchObject({
      category: 'fault',
      subcategory: 'login',
      priority: 'high',
      team: 'tech',
      assignee: 'li',
      status: 'open',
      tags: ['login'],
    });
    expect(ticket.ticket.sla.responseDueAt).toBe('2026-03-02T03:00:00.000Z');
    expect(ticket.currentNodes).toEqual(['await-resolution']);
    expect(trace?.entered).toEqual([
      'intake',
      'classify',
      'prioritize',
      'assign',
      'sla',
      'await-resolution',
    ]);
    expect(trace?.edges).toEqual([
      'e-intake-classify',
      'e-fault',
      'e-prioritize-assign',
      'e-assign-sla',
      'e-sla-wait',
    ]);
    expect(trace?.guards).toContainEqual({
      guard: 'cel',
      expression: 'ticket.category == "fault"',
      inputs: { 'ticket.category': 'fault' },
      result: true,
    });
    expect(trace?.effects).toHaveLength(1);
    expect(trace?.effects[0]?.summary).toContain('alice@corp.example');
  });

  it('escalates to the team lead at the breach and to the director an hour later', async () => {
    const { engine, clock } = createTestEngine();
    const { ticket } = await engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    clock.advance(2 * HOUR);
    expect(await engine.fireDueTimers()).toBe(1);
    let current = await engine.send(ticket.number, {
      type: 'COMMENT.ADDED',
      by: 'li',
      text: 'looking',
    });
    expect(current.ticket.ticket).toMatchObject({
      status: 'escalated',
      escalationLevel: 1,
      assignee: 'lead',
    });
    expect(current.ticket.ticket.sla.breached).toBe(true);
    clock.advance(HOUR);
    expect(await engine.fireDueTimers()).toBe(1);
    current = await engine.send(ticket.number, {
      type: 'COMMENT.ADDED',
      by: 'lead',
      text: 'on it',
    });
    expect(current.ticket.ticket).toMatchObject({ escalationLevel: 2, assignee: 'director' });
  });

  it('a reply in time stops the response clock', async () => {
    const { engine, clock } = createTestEngine();
    const { ticket } = await engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    clock.advance(30 * MINUTE);
    await engine.send(ticket.number, { type: 'AGENT.REPLIED', by: 'li', message: 'Try resetting' });
    clock.advance(3 * HOUR);
    await engine.fireDueTimers();
    const after = await engine.send(ticket.number, { type: 'COMMENT.ADDED', by: 'li', text: 'x' });
    expect(after.ticket.ticket.sla.breached).toBe(false);
    expect(after.ticket.ticket.escalationLevel).toBe(0);
  });

  it('sends the survey 30 minutes after resolution and reopens to a senior agent on a low score', async () => {
    const effects = createRecordingEffects();
    const { engine, clock } = createTestEngine({ effects });
    const { ticket } = await engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    await engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'li' });
    clock.advance(29 * MINUTE);
    expect(await engine.fireDueTimers()).toBe(0);
    clock.advance(MINUTE);
    expect(await engine.fireDueTimers()).toBe(1);
    await engine.deliverDueEffects();
    const survey = effects.delivered.find(
      (e) => (e.payload as { survey?: boolean }).survey === true,
    );
    expect(survey?.payload).toMatchObject({
      to: ['alice@corp.example'],
      subject: `How did we do on ${ticket.number}?`,
    });
    expect(JSON.stringify(survey?.payload)).toContain(
      `http://localhost:3000/survey/token-${ticket.number}`,
    );

    const reopened = await engine.send(ticket.number, {
      type: 'SURVEY.ANSWERED',
      score: 2,
      resolved: false,
    });
    expect(reopened.ticket.ticket).toMatchObject({
      assignee: 'wang',
      status: 'open',
      csat: { score: 2, resolved: false },
    });
    expect(reopened.ticket.currentNodes).toEqual(['await-resolution']);

    await engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'wang' });
    clock.advance(30 * MINUTE);
    await engine.fireDueTimers();
    const closed = await engine.send(ticket.number, {
      type: 'SURVEY.ANSWERED',
      score: 5,
      resolved: true,
    });
    expect(closed.ticket.done).toBe(true);
    expect(closed.ticket.ticket.status).toBe('closed');
  });

  it('rejects events the current state does not accept, and malformed events, changing nothing', async () => {
    const { engine, store } = createTestEngine();
    const { ticket } = await engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    await expect(
      engine.send(ticket.number, { type: 'SURVEY.ANSWERED', score: 4, resolved: true }),
    ).rejects.toThrow(/does not accept SURVEY\.ANSWERED/);
    await expect(
      engine.send(ticket.number, { type: 'SURVEY.ANSWERED', score: 9, resolved: true }),
    ).rejects.toThrow(/score/);
    await expect(engine.send(ticket.number, { type: 'NOPE' })).rejects.toThrow(
      /Unknown event type/,
    );
    const after = await store.getTicketByNumber(ticket.number);
    expect(after?.version).toBe(1);
  });

  it('returns the same ticket for the same idempotency key', async () => {
    const { engine } = createTestEngine();
    const first = await engine.createTicket(vipLogin, {
      flowVersionId: 'v1',
      idempotencyKey: 'abc',
    });
    const second = await engine.createTicket(vipLogin, {
      flowVersionId: 'v1',
      idempotencyKey: 'abc',
    });
    expect(second).toMatchObject({ created: false, ticket: { number: first.ticket.number } });
    const third = await engine.createTicket(vipLogin, {
      flowVersionId: 'v1',
      idempotencyKey: 'other',
    });
    expect(third.ticket.number).toBe('CS20260302002');
  });

  it('replays a ticket from its event log to the same snapshot', async () => {
    const { engine, store, clock } = createTestEngine();
    const { ticket } = await engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    clock.advance(2 * HOUR);
    await engine.fireDueTimers();
    await engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'lead' });
    const stored = await store.getTicketByNumber(ticket.number);
    const replayed = await engine.replay(ticket.id);
    expect(replayed.snapshot).toEqual(stored?.snapshot);
  });

  it('survives a round trip of the persisted snapshot through JSON (rehydration)', async () => {
    const first = createTestEngine();
    const { ticket } = await first.engine.createTicket(vipLogin, { flowVersionId: 'v1' });
    await first.engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'li' });
    // A second engine on the same store has no hot actors: it must restore from the snapshot.
    const stored = await first.store.getTicketByNumber(ticket.number);
    expect(JSON.parse(JSON.stringify(stored?.snapshot))).toEqual(stored?.snapshot);
    first.engine.invalidate();
    first.clock.advance(30 * MINUTE);
    expect(await first.engine.fireDueTimers()).toBe(1);
    const answered = await first.engine.send(ticket.number, {
      type: 'SURVEY.ANSWERED',
      score: 5,
      resolved: true,
    });
    expect(answered.ticket.done).toBe(true);
  });
});

describe('concurrent first use of a flow version', () => {
  it('shares one machine, so hot actors keep working (regression: actions ran outside a step)', async () => {
    const { engine } = createTestEngine();
    const input = (subject: string) => ({
      subject,
      channel: 'web' as const,
      customer: { email: 'a@b.c' },
    });
    const created = await Promise.all([
      engine.createTicket(input('cannot login'), { flowVersionId: 'v1' }),
      engine.createTicket(input('invoice please'), { flowVersionId: 'v1' }),
    ]);
    const replies = await Promise.all(
      created.map(({ ticket }) => engine.send(ticket.number, { type: 'AGENT.REPLIED', by: 'li' })),
    );
    expect(replies.map((r) => r.ticket.version)).toEqual([2, 2]);
    const resolved = await Promise.all(
      created.map(({ ticket }) => engine.send(ticket.number, { type: 'AGENT.RESOLVED', by: 'li' })),
    );
    expect(resolved.map((r) => r.ticket.currentNodes)).toEqual([['survey'], ['survey']]);
  });
});
