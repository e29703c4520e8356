import type { TicketInput } from '@switchyard/flow';
import { describe, expect, it } from 'vitest';
import type { EffectRecord } from '../src';
import {
  agent,
  buildFlow,
  createRecordingEffects,
  createTestEngine,
  HOUR,
  MINUTE,
  SHANGHAI_HOURS,
} from './fixtures';

const END = { id: 'done', kind: 'end', config: { outcome: 'resolved' } };
const ticketFrom = (subject: string, extra: Record<string, unknown> = {}) => ({
  subject,
  channel: 'web' as const,
  customer: { name: 'Ann', email: 'ann@example.com' },
  ...extra,
});

describe('classify', () => {
  const flow = buildFlow(
    [
      {
        id: 'cls',
        kind: 'classify',
        config: {
          mode: 'rules-then-model',
          categories: [
            { id: 'refund', label: 'Refund' },
            { id: 'login', label: 'Login' },
          ],
          rules: [
            {
              id: 'r-refund',
              category: 'refund',
              subcategory: 'return',
              any: ['退款', 'refund'],
              tags: ['money'],
            },
            { id: 'r-login', category: 'login', any: ['登录', 'log in'] },
          ],
          model: { modelId: 'intents', threshold: 0.6 },
        },
      },
      { id: 'to-refund', kind: 'end', config: { outcome: 'resolved' } },
      { id: 'to-login', kind: 'end', config: { outcome: 'closed' } },
      { id: 'to-unknown', kind: 'end', config: { outcome: 'cancelled' } },
    ],
    [
      'in.next -> cls',
      'cls.refund -> to-refund',
      'cls.login -> to-login',
      'cls.unknown -> to-unknown',
    ],
  );
  const models = {
    get: (id: string) =>
      id === 'intents'
        ? {
            predict: (text: string) =>
              text.includes('password')
                ? { label: 'login', confidence: 0.9 }
                : { label: 'refund', confidence: 0.3 },
          }
        : undefined,
  };

  it.each([
    ['我要退款', 'to-refund', 'refund', 'return', ['money']],
    ['无法登录后台', 'to-login', 'login', null, []],
    ['forgot my password', 'to-login', 'login', null, []], // no rule: the model is confident
    ['where is my parcel', 'to-unknown', null, null, []], // model below threshold → unknown
  ] as const)('%s → %s', async (subject, node, category, subcategory, tags) => {
    const { engine } = createTestEngine({ flow, models });
    const { ticket, trace } = await engine.createTicket(ticketFrom(subject), {
      flowVersionId: 'v1',
    });
    expect(trace?.entered.at(-1)).toBe(node);
    expect(ticket.ticket).toMatchObject({ category, subcategory, tags });
  });
});

describe('prioritize', () => {
  const flow = buildFlow(
    [
      {
        id: 'cls',
        kind: 'classify',
        config: {
          categories: [{ id: 'fault', label: 'Fault' }],
          rules: [{ id: 'f', category: 'fault', any: ['down'] }],
        },
      },
      {
        id: 'prio',
        kind: 'prioritize',
        config: {
          rules: [
            { category: 'fault', impact: 'all', priority: 'urgent' },
            { tier: 'vip', priority: 'high' },
            { when: 'ticket.fields.amount > 1000.0', priority: 'high' },
          ],
          default: 'low',
        },
      },
      END,
    ],
    ['in.next -> cls', 'cls.fault -> prio', 'cls.unknown -> prio', 'prio.next -> done'],
    { ticketFields: [{ key: 'amount', label: 'Amount', type: 'number' }] },
  );

  it.each<[TicketInput, string]>([
    [{ subject: 'site down', impact: 'all' }, 'urgent'],
    [{ subject: 'site down', impact: 'single' }, 'low'],
    [{ subject: 'question', customer: { tier: 'vip', email: 'v@x.io' } }, 'high'],
    [{ subject: 'question', fields: { amount: 5000 } }, 'high'],
    [{ subject: 'question', fields: { amount: 10 } }, 'low'],
  ])('%j → %s', async (input, priority) => {
    const { engine } = createTestEngine({ flow });
    const { ticket } = await engine.createTicket(
      { channel: 'web', ...input },
      { flowVersionId: 'v1' },
    );
    expect(ticket.ticket.priority).toBe(priority);
  });
});

describe('assign', () => {
  const assignFlow = (config: Record<string, unknown>) =>
    buildFlow(
      [
        { id: 'route', kind: 'assign', config: { team: 'support', ...config } },
        { id: 'work', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
        END,
      ],
      ['in.next -> route', 'route.next -> work', 'work.received -> done'],
    );

  it('routes by team rules and picks the least-loaded agent with the required skills', async () => {
    const flow = assignFlow({
      teamRules: [{ when: 'ticket.subject.contains("bill")', team: 'billing' }],
      requiredSkills: ['zh'],
    });
    const agents = [
      agent('a', 'billing', { skills: ['zh'], openTickets: 3 }),
      agent('b', 'billing', { skills: ['ZH', 'en'], openTickets: 1 }),
      agent('c', 'billing', { skills: ['en'], openTickets: 0 }),
    ];
    const { engine } = createTestEngine({ flow, agents });
    const { ticket } = await engine.createTicket(ticketFrom('billing question'), {
      flowVersionId: 'v1',
    });
    expect(ticket.ticket).toMatchObject({ team: 'billing', assignee: 'b', status: 'open' });
  });

  it('round-robin rotates through the team', async () => {
    const flow = assignFlow({ strategy: 'round-robin' });
    const { engine, clock } = createTestEngine({
      flow,
      agents: [agent('x', 'support'), agent('y', 'support')],
    });
    const assignees: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(MINUTE);
      const { ticket } = await engine.createTicket(ticketFrom(`q${i}`), { flowVersionId: 'v1' });
      assignees.push(ticket.ticket.assignee);
    }
    expect(assignees).toEqual(['x', 'y', 'x', 'y']);
  });

  it('skips agents off shift or at capacity; queues when nobody is free and assigns when a slot frees up', async () => {
    const flow = assignFlow({});
    const agents = [
      agent('night', 'support', { shiftCalendarId: 'work' }),
      agent('busy', 'support', { capacity: 1 }),
    ];
    // 2026-03-01 is a Sunday: the 'work' calendar is closed, so 'night' is off shift.
    const { engine, store } = createTestEngine({
      flow,
      agents,
      calendars: [SHANGHAI_HOURS],
      start: Date.parse('2026-03-01T02:00:00Z'),
    });
    const first = await engine.createTicket(ticketFrom('one'), { flowVersionId: 'v1' });
    expect(first.ticket.ticket.assignee).toBe('busy');
    const second = await engine.createTicket(ticketFrom('two'), { flowVersionId: 'v1' });
    expect(second.ticket.ticket).toMatchObject({ team: 'support', assignee: null });
    expect(second.trace?.notes.join(' ')).toMatch(/off shift/);
    expect(second.trace?.notes.join(' ')).toMatch(/capacity/);
    // 'busy' resolves the first ticket: its slot goes to the oldest queued ticket.
    await engine.send(first.ticket.number, { type: 'AGENT.RESOLVED', by: 'busy' });
    const queued = await store.getTicketById(second.ticket.id);
    expect(queued?.ticket.assignee).toBe('busy');
    const events = await store.listEvents(second.ticket.id);
    expect(events.at(-1)?.event).toMatchObject({
      type: 'TICKET.TRANSFERRED',
      assignee: 'busy',
      by: 'system',
    });
  });
});

describe('assign with the queue strategy', () => {
  it('leaves the ticket in the team queue, even when an agent frees up', async () => {
    const flow = buildFlow(
      [
        { id: 'route', kind: 'assign', config: { team: 'support', strategy: 'queue' } },
        { id: 'work', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
        END,
      ],
      ['in.next -> route', 'route.next -> work', 'work.received -> done'],
    );
    const { engine, store } = createTestEngine({ flow, agents: [agent('a', 'support')] });
    const queued = await engine.createTicket(ticketFrom('one'), { flowVersionId: 'v1' });
    expect(queued.ticket.ticket).toMatchObject({ team: 'support', assignee: null });
    expect(queued.trace?.notes.join(' ')).toContain('queue');
    await engine.assignQueued('support');
    expect((await store.getTicketById(queued.ticket.id))?.ticket.assignee).toBeNull();
  });
});

describe('condition', () => {
  const flow = buildFlow(
    [
      {
        id: 'check',
        kind: 'condition',
        config: {
          branches: [
            { id: 'big', label: 'Big order', when: 'ticket.fields.amount >= 500.0' },
            { id: 'vip', label: 'VIP', when: 'ticket.customer.tier == "vip"' },
          ],
        },
      },
      { id: 'big-end', kind: 'end', config: { outcome: 'resolved' } },
      { id: 'vip-end', kind: 'end', config: { outcome: 'closed' } },
      { id: 'else-end', kind: 'end', config: { outcome: 'cancelled' } },
    ],
    ['in.next -> check', 'check.big -> big-end', 'check.vip -> vip-end', 'check.else -> else-end'],
    { ticketFields: [{ key: 'amount', label: 'Amount', type: 'number' }] },
  );

  it.each([
    [{ fields: { amount: 800 }, customer: { tier: 'vip' } }, 'big-end', 'resolved'],
    [{ fields: { amount: 10 }, customer: { tier: 'vip' } }, 'vip-end', 'closed'],
    [{}, 'else-end', 'cancelled'],
  ])('%j → %s', async (extra, node, status) => {
    const { engine } = createTestEngine({ flow });
    const { ticket, trace } = await engine.createTicket(ticketFrom('order', extra), {
      flowVersionId: 'v1',
    });
    expect(trace?.entered.at(-1)).toBe(node);
    expect(ticket).toMatchObject({ done: true, ticket: { status } });
    expect(trace?.guards[0]).toMatchObject({ expression: 'ticket.fields.amount >= 500.0' });
  });
});

describe('approval', () => {
  const flow = buildFlow(
    [
      { id: 'route', kind: 'assign', config: { team: 'tech' } },
      {
        id: 'ok',
        kind: 'approval',
        config: { approver: 'team-lead', timeout: '4h', calendar: 'work' },
      },
      { id: 'approved', kind: 'end', config: { outcome: 'resolved' } },
      { id: 'rejected', kind: 'end', config: { outcome: 'rejected' } },
      { id: 'expired', kind: 'end', config: { outcome: 'cancelled' } },
    ],
    [
      'in.next -> route',
      'route.next -> ok',
      'ok.approved -> approved',
      'ok.rejected -> rejected',
      'ok.timeout -> expired',
    ],
    { calendars: [SHANGHAI_HOURS] },
  );
  const agents = [agent('t1', 'tech'), agent('boss', 'tech', { role: 'lead' })];

  it('asks the team lead and follows the decision', async () => {
    const effects = createRecordingEffects();
    const { engine } = createTestEngine({ flow, agents, effects });
    const { ticket } = await engine.createTicket(ticketFrom('refund please'), {
      flowVersionId: 'v1',
    });
    await engine.deliverDueEffects();
    expect(effects.delivered[0]?.payload).toMatchObject({
      to: ['boss@example.com'],
      subject: `Approval needed for ${ticket.number}`,
    });
    const yes = await engine.send(ticket.number, {
      type: 'APPROVAL.DECIDED',
      approved: true,
      by: 'boss',
    });
    expect(yes.trace.entered).toEqual(['approved']);
    expect(yes.trace.notes).toContain('approval approved by boss');
  });

  it('rejects', async () => {
    const { engine } = createTestEngine({ flow, agents });
    const { ticket } = await engine.createTicket(ticketFrom('refund'), { flowVersionId: 'v1' });
    const no = await engine.send(ticket.number, {
      type: 'APPROVAL.DECIDED',
      approved: false,
      by: 'boss',
      reason: 'outside policy',
    });
    expect(no.ticket.ticket.status).toBe('closed');
    expect(no.trace.entered).toEqual(['rejected']);
  });

  it('times out after 4 business hours (calendar-aware)', async () => {
    // Friday 2026-03-06 16:00 Shanghai = 08:00 UTC; 4 business hours → Monday 11:00 Shanghai.
    const { engine, clock } = createTestEngine({
      flow,
      agents,
      start: Date.parse('2026-03-06T08:00:00Z'),
    });
    const { ticket } = await engine.createTicket(ticketFrom('refund'), { flowVersionId: 'v1' });
    clock.set(Date.parse('2026-03-09T02:59:00Z'));
    expect(await engine.fireDueTimers()).toBe(0);
    clock.set(Date.parse('2026-03-09T03:00:00Z'));
    expect(await engine.fireDueTimers()).toBe(1);
    const after = await engine
      .send(ticket.number, { type: 'COMMENT.ADDED', by: 'x', text: 'late' })
      .catch((e: unknown) => e);
    expect(after).toBeInstanceOf(Error); // the flow has ended: nothing is accepted
  });
});

describe('wait and the SLA clock', () => {
  const slaConfig = {
    calendar: 'work',
    targets: {
      urgent: { response: '1h', resolution: '2h' },
      high: { response: '2h', resolution: '8h' },
      medium: { response: '2h', resolution: '8h' },
      low: { response: '2h', resolution: '8h' },
    },
    escalation: [{ after: '0m', reassignTo: 'none', notify: [] }],
  };
  const flow = buildFlow(
    [
      { id: 'sla', kind: 'sla', config: slaConfig },
      {
        id: 'ask',
        kind: 'wait',
        config: { event: 'CUSTOMER.REPLIED', status: 'pending', timeout: '3d' },
      },
      {
        id: 'fix',
        kind: 'wait',
        config: { event: 'AGENT.RESOLVED', when: 'event.note != "draft"' },
      },
      { id: 'gave-up', kind: 'end', config: { outcome: 'closed' } },
      END,
    ],
    [
      'in.next -> sla',
      'sla.next -> ask',
      'ask.received -> fix',
      'ask.timeout -> gave-up',
      'fix.received -> done',
    ],
    { calendars: [SHANGHAI_HOURS] },
  );

  it('counts SLA in business hours: Friday 17:30 + 2h is due Monday 10:30', async () => {
    const direct = buildFlow(
      [
        { id: 'sla', kind: 'sla', config: slaConfig },
        { id: 'fix', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
        END,
      ],
      ['in.next -> sla', 'sla.next -> fix', 'fix.received -> done'],
      { calendars: [SHANGHAI_HOURS] },
    );
    // Friday 2026-03-06 17:30 Shanghai = 09:30 UTC; Monday 10:30 Shanghai = 02:30 UTC.
    const { engine, clock } = createTestEngine({
      flow: direct,
      start: Date.parse('2026-03-06T09:30:00Z'),
    });
    const { ticket } = await engine.createTicket(ticketFrom('help'), { flowVersionId: 'v1' });
    expect(ticket.ticket.sla.responseDueAt).toBe('2026-03-09T02:30:00.000Z');
    clock.set(Date.parse('2026-03-09T02:29:59Z'));
    expect(await engine.fireDueTimers()).toBe(0);
    clock.set(Date.parse('2026-03-09T02:30:00Z'));
    expect(await engine.fireDueTimers()).toBe(1);
    const breached = await engine.send(ticket.number, {
      type: 'COMMENT.ADDED',
      by: 'a',
      text: 'x',
    });
    expect(breached.ticket.ticket).toMatchObject({
      status: 'escalated',
      escalationLevel: 1,
      sla: { breached: true },
    });
  });

  it('starts paused when the flow waits on the customer right away', async () => {
    const { engine } = createTestEngine({ flow, start: Date.parse('2026-03-06T09:30:00Z') });
    const { ticket } = await engine.createTicket(ticketFrom('help'), { flowVersionId: 'v1' });
    expect(ticket.ticket).toMatchObject({ status: 'pending', sla: { responseDueAt: null } });
  });

  it('pauses while pending and resumes with the time left', async () => {
    // Monday 2026-03-09 10:00 Shanghai = 02:00 UTC.
    const { engine, clock } = createTestEngine({ flow, start: Date.parse('2026-03-09T02:00:00Z') });
    const { ticket } = await engine.createTicket(ticketFrom('help'), { flowVersionId: 'v1' });
    clock.advance(5 * HOUR); // customer takes 5 hours: none of it counts
    const resumed = await engine.send(ticket.number, {
      type: 'CUSTOMER.REPLIED',
      message: 'details',
    });
    expect(resumed.ticket.ticket.status).toBe('open');
    // 2h response target, none used: due 2 business hours after 15:00 → 17:00 Shanghai = 09:00 UTC.
    expect(resumed.ticket.ticket.sla.responseDueAt).toBe('2026-03-09T09:00:00.000Z');
    expect(resumed.trace.notes).toContain('SLA resumed');
  });

  it('stays put for events that do not satisfy the wait condition', async () => {
    const { engine } = createTestEngine({ flow, start: Date.parse('2026-03-09T02:00:00Z') });
    const { ticket } = await engine.createTicket(ticketFrom('help'), { flowVersionId: 'v1' });
    await engine.send(ticket.number, { type: 'CUSTOMER.REPLIED' });
    // The SLA region still takes the event (the response clock is met), but the flow stays put.
    const draft = await engine.send(ticket.number, { type: 'AGENT.RESOLVED', note: 'draft' });
    expect(draft.trace.toNodes).toEqual(['fix']);
    expect(draft.trace.guards).toContainEqual(
      expect.objectContaining({ expression: 'event.note != "draft"', result: false }),
    );
    const done = await engine.send(ticket.number, { type: 'AGENT.RESOLVED', note: 'fixed' });
    expect(done.ticket.done).toBe(true);
  });

  it('times out waiting for the customer', async () => {
    const { engine, clock } = createTestEngine({ flow, start: Date.parse('2026-03-09T02:00:00Z') });
    const { ticket } = await engine.createTicket(ticketFrom('help'), { flowVersionId: 'v1' });
    clock.advance(3 * 24 * HOUR);
    expect(await engine.fireDueTimers()).toBe(1);
    const stored = await engine.replay(ticket.id);
    expect(stored.ticket.status).toBe('closed');
  });
});

describe('notify and effects', () => {
  const flow = buildFlow(
    [
      { id: 'route', kind: 'assign', config: { team: 'tech' } },
      {
        id: 'mail',
        kind: 'notify',
        config: {
          channel: 'email',
          to: ['customer', 'assignee'],
          message: {
            subject: 'Hi {{ticket.customer.name}}',
            body: '{{ticket.number}} is with us: {{links.ticket}}',
          },
        },
      },
      {
        id: 'bell',
        kind: 'notify',
        config: {
          channel: 'in-app',
          to: ['team'],
          message: { subject: 'New', body: '{{ticket.subject}}' },
        },
      },
      {
        id: 'hook',
        kind: 'notify',
        config: {
          channel: 'webhook',
          url: 'https://hooks.example.com/im',
          message: { body: 'New ticket {{ticket.number}}' },
        },
      },
      END,
    ],
    [
      'in.next -> route',
      'route.next -> mail',
      'mail.next -> bell',
      'bell.next -> hook',
      'hook.next -> done',
    ],
  );
  const agents = [agent('t1', 'tech'), agent('t2', 'tech')];

  it('renders templates and queues one effect per message with a unique idempotency key', async () => {
    const effects = createRecordingEffects();
    const { engine } = createTestEngine({ flow, agents, effects });
    const { ticket } = await engine.createTicket(ticketFrom('hello'), { flowVersionId: 'v1' });
    expect(await engine.deliverDueEffects()).toBe(3);
    const [mail, bell, hook] = effects.delivered;
    expect(mail).toMatchObject({
      kind: 'email',
      payload: {
        to: ['ann@example.com', 't1@example.com'],
        subject: 'Hi Ann',
        body: `${ticket.number} is with us: http://localhost:3000/tickets/${ticket.number}`,
      },
    });
    expect(bell).toMatchObject({
      kind: 'in-app',
      payload: { agents: ['t1', 't2'], body: 'hello' },
    });
    expect(hook).toMatchObject({
      kind: 'webhook',
      payload: { url: 'https://hooks.example.com/im', text: `New ticket ${ticket.number}` },
    });
    expect(new Set(effects.delivered.map((e) => e.idempotencyKey)).size).toBe(3);
    expect(await engine.deliverDueEffects()).toBe(0);
  });

  it('backs off on failure, marks the ticket failed after the last attempt, and can retry', async () => {
    let failing = true;
    const effects = createRecordingEffects((effect: EffectRecord) =>
      failing && effect.kind === 'webhook'
        ? { ok: false, error: 'HTTP 503', retryable: true }
        : null,
    );
    const { engine, store, clock } = createTestEngine({ flow, agents, effects, maxAttempts: 3 });
    const { ticket } = await engine.createTicket(ticketFrom('hello'), { flowVersionId: 'v1' });
    await engine.deliverDueEffects(); // attempt 1 fails; next in 2 s
    expect(await engine.deliverDueEffects()).toBe(0); // not due yet
    clock.advance(2000);
    await engine.deliverDueEffects(); // attempt 2; next in 4 s
    clock.advance(4000);
    await engine.deliverDueEffects(); // attempt 3: dead
    let stored = await store.getTicketById(ticket.id);
    expect(stored?.failure).toMatchObject({ error: 'HTTP 503' });
    failing = false;
    await engine.retryEffect(stored?.failure?.effectId ?? '');
    await engine.deliverDueEffects();
    stored = await store.getTicketById(ticket.id);
    expect(stored?.failure).toBeNull();
    expect(effects.delivered.filter((e) => e.kind === 'webhook')).toHaveLength(1);
  });
});

describe('action', () => {
  const flow = buildFlow(
    [
      {
        id: 'tag',
        kind: 'action',
        config: {
          type: 'set-fields',
          set: [
            { field: 'addTag', value: 'auto' },
            { field: 'priority', value: 'high' },
            { field: 'fields.source', value: 'bot' },
          ],
        },
      },
      {
        id: 'lookup',
        kind: 'action',
        config: {
          type: 'http',
          method: 'GET',
          url: 'https://oms.example.com/orders/{{ticket.fields.orderId}}',
          map: [{ field: 'orderStatus', from: 'order.status' }],
        },
      },
      { id: 'answer', kind: 'action', config: { type: 'resolve', note: 'answered automatically' } },
      { id: 'human', kind: 'end', config: { outcome: 'closed' } },
      END,
    ],
    [
      'in.next -> tag',
      'tag.next -> lookup',
      'lookup.success -> answer',
      'lookup.failure -> human',
      'answer.next -> done',
    ],
    {
      ticketFields: [
        { key: 'orderId', label: 'Order', type: 'string' },
        { key: 'orderStatus', label: 'Status', type: 'string' },
        { key: 'source', label: 'Source', type: 'string' },
      ],
    },
  );

  it('sets fields, calls the order system and copies the answer into the ticket', async () => {
    const calls: EffectRecord[] = [];
    const { engine, store } = createTestEngine({
      flow,
      effects: {
        deliver: (effect) => {
          calls.push(effect);
          return Promise.resolve({
            ok: true,
            response: { status: 200, body: { order: { status: 'shipped' } } },
          });
        },
      },
    });
    const { ticket } = await engine.createTicket(
      ticketFrom('where is my order', { fields: { orderId: 'A-17' } }),
      { flowVersionId: 'v1' },
    );
    expect(ticket.ticket).toMatchObject({
      tags: ['auto'],
      priority: 'high',
      fields: { source: 'bot' },
    });
    expect(ticket.currentNodes).toEqual(['lookup']);
    await engine.deliverDueEffects();
    expect(calls[0]?.payload).toMatchObject({
      method: 'GET',
      url: 'https://oms.example.com/orders/A-17',
    });
    const after = await store.getTicketById(ticket.id);
    expect(after).toMatchObject({
      done: true,
      ticket: { status: 'resolved', fields: { orderStatus: 'shipped' } },
    });
  });

  it('takes the failure port when the call fails for good', async () => {
    const { engine, store } = createTestEngine({
      flow,
      effects: {
        deliver: () =>
          Promise.resolve({
            ok: false,
            error: 'HTTP 404',
            retryable: false,
            response: { status: 404, body: null },
          }),
      },
    });
    const { ticket } = await engine.createTicket(
      ticketFrom('where is my order', { fields: { orderId: 'X' } }),
      { flowVersionId: 'v1' },
    );
    await engine.deliverDueEffects();
    const after = await store.getTicketById(ticket.id);
    expect(after).toMatchObject({
      done: true,
      currentNodes: ['human'],
      ticket: { status: 'closed' },
    });
  });
});

describe('survey', () => {
  const flow = buildFlow(
    [
      { id: 'fix', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
      { id: 'csat', kind: 'survey', config: { delay: '0m', expiresAfter: '1d', threshold: 3 } },
      { id: 'happy', kind: 'end', config: { outcome: 'closed' } },
      { id: 'sad', kind: 'end', config: { outcome: 'cancelled' } },
      { id: 'silent', kind: 'end', config: { outcome: 'resolved' } },
    ],
    [
      'in.next -> fix',
      'fix.received -> csat',
      'csat.satisfied -> happy',
      'csat.unsatisfied -> sad',
      'csat.timeout -> silent',
    ],
  );

  it('records the answer and closes when nobody answers in time', async () => {
    const { engine, clock, store } = createTestEngine({ flow });
    const { ticket } = await engine.createTicket(ticketFrom('x'), { flowVersionId: 'v1' });
    await engine.send(ticket.number, { type: 'AGENT.RESOLVED' });
    expect(await engine.fireDueTimers()).toBe(1); // the 0m send timer
    clock.advance(24 * HOUR - MINUTE);
    expect(await engine.fireDueTimers()).toBe(0);
    clock.advance(MINUTE);
    expect(await engine.fireDueTimers()).toBe(1);
    expect(await store.getTicketById(ticket.id)).toMatchObject({
      done: true,
      currentNodes: ['silent'],
    });
  });

  it.each([
    [5, true, 'happy'],
    [4, false, 'sad'],
    [3, true, 'sad'],
  ])('score %i, resolved %s → %s', async (score, resolved, node) => {
    const { engine } = createTestEngine({ flow });
    const { ticket } = await engine.createTicket(ticketFrom('x'), { flowVersionId: 'v1' });
    await engine.send(ticket.number, { type: 'AGENT.RESOLVED' });
    await engine.fireDueTimers();
    const answered = await engine.send(ticket.number, { type: 'SURVEY.ANSWERED', score, resolved });
    expect(answered.ticket).toMatchObject({
      currentNodes: [node],
      ticket: { csat: { score, resolved } },
    });
  });
});

describe('escalation reminders', () => {
  it('reminds the last level at the repeat interval until the ticket is resolved', async () => {
    const target = { response: '1h', resolution: '8h' };
    const flow = buildFlow(
      [
        { id: 'route', kind: 'assign', config: { team: 'tech' } },
        {
          id: 'sla',
          kind: 'sla',
          config: {
            targets: { urgent: target, high: target, medium: target, low: target },
            escalation: [{ after: '0m', reassignTo: 'team-lead', notify: ['team-lead'] }],
            repeatEvery: '2h',
          },
        },
        { id: 'fix', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
        END,
      ],
      ['in.next -> route', 'route.next -> sla', 'sla.next -> fix', 'fix.received -> done'],
    );
    const effects = createRecordingEffects();
    const { engine, clock } = createTestEngine({
      flow,
      effects,
      agents: [agent('a', 'tech'), agent('boss', 'tech', { role: 'lead' })],
    });
    const { ticket } = await engine.createTicket(ticketFrom('urgent thing'), {
      flowVersionId: 'v1',
    });
    clock.advance(HOUR); // breach → level 1
    expect(await engine.fireDueTimers()).toBe(1);
    clock.advance(2 * HOUR); // first reminder
    expect(await engine.fireDueTimers()).toBe(1);
    clock.advance(2 * HOUR); // second reminder
    expect(await engine.fireDueTimers()).toBe(1);
    await engine.deliverDueEffects();
    const toBoss = effects.delivered.filter((e) =>
      (e.payload as { to?: string[] }).to?.includes('boss@example.com'),
    );
    expect(toBoss).toHaveLength(3);
    const resolved = await engine.send(ticket.number, { type: 'AGENT.RESOLVED' });
    expect(resolved.trace.timers.cancelled.map((t) => t.key)).toContain('sla:escalation');
    expect(resolved.ticket.ticket.escalationLevel).toBe(1);
  });
});

describe('overlapping deliveries', () => {
  it('never hands the same effect to the receiver twice when delivery calls overlap', async () => {
    const flow = buildFlow(
      [
        {
          id: 'mail',
          kind: 'notify',
          config: { channel: 'email', to: ['customer'], message: { subject: 'Hi', body: 'x' } },
        },
        END,
      ],
      ['in.next -> mail', 'mail.next -> done'],
    );
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { engine } = createTestEngine({
      flow,
      effects: {
        async deliver(effect) {
          seen.push(effect.idempotencyKey);
          await gate; // a slow receiver: the first call is still in flight when the second starts
          return { ok: true };
        },
      },
    });
    await engine.createTicket(ticketFrom('hello'), { flowVersionId: 'v1' });
    const first = engine.deliverDueEffects();
    const second = engine.deliverDueEffects();
    release();
    expect((await first) + (await second)).toBe(1);
    expect(seen).toHaveLength(1);
  });
});
