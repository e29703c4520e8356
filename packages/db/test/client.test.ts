// Every model through the generated client on a migrated temp database: create, read, update,
// and the unique constraint that guards it. A closing meta-test checks that no model was missed.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPrismaClient, Prisma, toSqliteTimestamp } from '../src/index';
import type { PrismaClient } from '../src/index';
import { loadDatamodel } from './support/dmmf';
import { createTempDir } from './support/temp';

const dir = createTempDir();
const dbPath = join(dir.path, 'switchyard.db');
let prisma: PrismaClient;
const exercised = new Set<string>();

beforeAll(() => {
  prisma = createPrismaClient(dbPath);
});

afterAll(async () => {
  await prisma.$disconnect();
  dir[Symbol.dispose]();
});

/** Asserts that `action` fails with Prisma's error `code` (P2002 unique, P2003 foreign key). */
async function expectPrismaError(action: Promise<unknown>, code: 'P2002' | 'P2003'): Promise<void> {
  const error: unknown = await action.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  expect(error).toMatchObject({ code });
}

const at = (iso: string): Date => new Date(iso);

async function createFlowVersion(suffix: string) {
  const flow = await prisma.flow.create({ data: { name: `Flow ${suffix}`, draft: '{}' } });
  return prisma.flowVersion.create({
    data: {
      flowId: flow.id,
      number: 1,
      contentHash: `hash-${suffix}`,
      document: '{}',
      machine: '{}',
      sourceMap: '{}',
    },
  });
}

async function createTicket(
  number: string,
  extra: Partial<Prisma.TicketUncheckedCreateInput> = {},
) {
  const version = await createFlowVersion(number);
  return prisma.ticket.create({
    data: {
      number,
      flowVersionId: version.id,
      status: 'open',
      priority: 'P3',
      channel: 'web',
      data: '{}',
      snapshot: '{}',
      ...extra,
    },
  });
}

describe('generated client on a migrated SQLite file', () => {
  test('Flow, FlowVersion, ChannelBinding: publish a version and bind a channel', async () => {
    exercised.add('Flow').add('FlowVersion').add('ChannelBinding');
    const flow = await prisma.flow.create({
      data: {
        name: 'Refunds',
        description: 'Billing refunds',
        draft: '{"nodes":[]}',
        updatedBy: 'u1',
      },
    });
    expect(flow.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(flow.updatedAt).toBeInstanceOf(Date);

    const renamed = await prisma.flow.update({
      where: { id: flow.id },
      data: { name: 'Refunds v2' },
    });
    expect(renamed.name).toBe('Refunds v2');
    expect(renamed.updatedAt.getTime()).toBeGreaterThanOrEqual(flow.updatedAt.getTime());
    await expectPrismaError(
      prisma.flow.create({ data: { id: flow.id, name: 'x', draft: '{}' } }),
      'P2002',
    );

    const base = { flowId: flow.id, document: '{}', machine: '{}', sourceMap: '{}' };
    const v1 = await prisma.flowVersion.create({
      data: { ...base, number: 1, contentHash: 'h1', note: 'first' },
    });
    await prisma.flowVersion.create({ data: { ...base, number: 2, contentHash: 'h2' } });
    await expectPrismaError(
      prisma.flowVersion.create({ data: { ...base, number: 1, contentHash: 'h3' } }),
      'P2002',
    );
    // A rollback republishes an old document: the same content hash under a new number.
    const republished = await prisma.flowVersion.create({
      data: { ...base, number: 3, contentHash: 'h1' },
    });
    await prisma.flowVersion.delete({ where: { id: republished.id } });
    await expectPrismaError(
      prisma.flowVersion.create({
        data: { ...base, flowId: 'no-such-flow', number: 1, contentHash: 'h4' },
      }),
      'P2003',
    );
    const latest = await prisma.flowVersion.findFirst({
      where: { flowId: flow.id },
      orderBy: { number: 'desc' },
    });
    expect(latest?.number).toBe(2);
    expect(
      await prisma.flowVersion.findUnique({
        where: { flowId_number: { flowId: flow.id, number: 1 } },
      }),
    ).toEqual(v1);

    await prisma.channelBinding.create({ data: { channel: 'email', flowId: flow.id } });
    await expectPrismaError(
      prisma.channelBinding.create({ data: { channel: 'email', flowId: flow.id } }),
      'P2002',
    );
    const binding = await prisma.channelBinding.findUnique({
      where: { channel: 'email' },
      include: { flow: true },
    });
    expect(binding?.flow.name).toBe('Refunds v2');
    // A flow with published versions cannot be deleted (onDelete: Restrict).
    await expectPrismaError(prisma.flow.delete({ where: { id: flow.id } }), 'P2003');
  });

  test('Ticket: unique number and idempotency key, optimistic version check, inbox query', async () => {
    exercised.add('Ticket');
    const ticket = await createTicket('CS20231028001', {
      idempotencyKey: 'key-1',
      customerEmail: 'ann@example.com',
      slaResponseDueAt: at('2023-10-28T10:00:00Z'),
    });
    expect(ticket).toMatchObject({
      version: 0,
      escalationLevel: 0,
      slaBreached: false,
      assigneeId: null,
    });
    expect(ticket.slaResponseDueAt).toEqual(at('2023-10-28T10:00:00Z'));

    await expectPrismaError(createTicket('CS20231028001'), 'P2002');
    await expectPrismaError(createTicket('CS20231028002', { idempotencyKey: 'key-1' }), 'P2002');
    // Tickets without an idempotency key do not collide with each other.
    await createTicket('CS20231028003', { createdAt: at('2023-10-28T08:00:00Z') });
    await createTicket('CS20231028004', { createdAt: at('2023-10-28T08:05:00Z') });

    const bump = (expected: number) =>
      prisma.ticket.updateMany({
        where: { id: ticket.id, version: expected },
        data: { version: { increment: 1 }, status: 'in_progress', snapshot: '{"value":"triage"}' },
      });
    expect((await bump(0)).count).toBe(1);
    expect((await bump(0)).count).toBe(0); // a stale writer loses
    expect(await prisma.ticket.findUnique({ where: { idempotencyKey: 'key-1' } })).toMatchObject({
      version: 1,
      status: 'in_progress',
    });

    const inbox = await prisma.ticket.findMany({
      where: { status: 'open' },
      orderBy: { createdAt: 'desc' },
      select: { number: true },
    });
    expect(inbox.map((row) => row.number)).toEqual(['CS20231028004', 'CS20231028003']);
  });

  test('TicketEvent: per-ticket sequence is unique; ids grow', async () => {
    exercised.add('TicketEvent');
    const ticket = await createTicket('CS20231028010');
    const event = (seq: number) => ({
      ticketId: ticket.id,
      seq,
      type: 'CREATED',
      payload: '{}',
      actor: 'system',
    });
    const first = await prisma.ticketEvent.create({ data: event(1) });
    const second = await prisma.ticketEvent.create({ data: { ...event(2), trace: '[]' } });
    expect(second.id).toBeGreaterThan(first.id);
    await expectPrismaError(prisma.ticketEvent.create({ data: event(2) }), 'P2002');
    await expectPrismaError(
      prisma.ticketEvent.create({ data: { ...event(1), ticketId: 'no-such-ticket' } }),
      'P2003',
    );
    const updated = await prisma.ticketEvent.update({
      where: { id: first.id },
      data: { trace: '["a"]' },
    });
    expect(updated.trace).toBe('["a"]');
    const events = await prisma.ticketEvent.findMany({
      where: { ticketId: ticket.id },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((row) => row.seq)).toEqual([1, 2]);
  });

  test('Timer: a re-entered state schedules a new generation; due timers come out in order', async () => {
    exercised.add('Timer');
    const ticket = await createTicket('CS20231028020');
    const timer = (generation: number, dueAt: string) => ({
      ticketId: ticket.id,
      key: 'sla.response',
      generation,
      dueAt: at(dueAt),
    });
    const g1 = await prisma.timer.create({ data: timer(1, '2023-10-28T10:00:00Z') });
    expect(g1.status).toBe('scheduled');
    await prisma.timer.update({ where: { id: g1.id }, data: { status: 'cancelled' } });
    await prisma.timer.create({ data: timer(2, '2023-10-28T09:00:00Z') });
    await prisma.timer.create({ data: { ...timer(1, '2023-10-28T08:00:00Z'), key: 'wait.reply' } });
    await expectPrismaError(
      prisma.timer.create({ data: timer(2, '2023-10-28T11:00:00Z') }),
      'P2002',
    );

    const due = await prisma.timer.findMany({
      where: { status: 'scheduled', dueAt: { lte: at('2023-10-28T09:30:00Z') } },
      orderBy: { dueAt: 'asc' },
    });
    expect(due.map((row) => `${row.key}#${row.generation}`)).toEqual([
      'wait.reply#1',
      'sla.response#2',
    ]);
    const fired = await prisma.timer.update({
      where: {
        ticketId_key_generation: { ticketId: ticket.id, key: 'sla.response', generation: 2 },
      },
      data: { status: 'fired', firedAt: at('2023-10-28T09:00:01Z') },
    });
    expect(fired.firedAt).toEqual(at('2023-10-28T09:00:01Z'));
  });

  test('OutboxEffect: defaults to pending, idempotency key unique, delivery recorded', async () => {
    exercised.add('OutboxEffect');
    const ticket = await createTicket('CS20231028030');
    const effect = await prisma.outboxEffect.create({
      data: {
        ticketId: ticket.id,
        idempotencyKey: 'ticket-30:ack:1',
        kind: 'email',
        payload: '{"to":"a@b.c"}',
      },
    });
    expect(effect).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: null,
      deliveredAt: null,
    });
    expect(effect.nextAttemptAt).toBeInstanceOf(Date);
    await expectPrismaError(
      prisma.outboxEffect.create({
        data: {
          ticketId: ticket.id,
          idempotencyKey: 'ticket-30:ack:1',
          kind: 'webhook',
          payload: '{}',
        },
      }),
      'P2002',
    );
    const delivered = await prisma.outboxEffect.update({
      where: { idempotencyKey: 'ticket-30:ack:1' },
      data: {
        status: 'delivered',
        attempts: { increment: 1 },
        deliveredAt: at('2023-10-28T09:00:00Z'),
      },
    });
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await prisma.outboxEffect.count({ where: { status: 'pending' } })).toBe(0);
  });

  test('TicketSequence: the daily counter increments atomically', async () => {
    exercised.add('TicketSequence');
    const next = () =>
      prisma.ticketSequence.upsert({
        where: { day: '20231028' },
        create: { day: '20231028', last: 1 },
        update: { last: { increment: 1 } },
      });
    expect((await next()).last).toBe(1);
    expect((await next()).last).toBe(2);
    await expectPrismaError(
      prisma.ticketSequence.create({ data: { day: '20231028', last: 9 } }),
      'P2002',
    );
    expect(await prisma.ticketSequence.findUnique({ where: { day: '20231028' } })).toEqual({
      day: '20231028',
      last: 2,
    });
  });

  test('User, Team, Agent, Calendar: a team with a lead and a director; one agent per user', async () => {
    exercised.add('User').add('Team').add('Agent').add('Calendar');
    const user = await prisma.user.create({
      data: { email: 'lead@example.com', name: 'Lead', passwordHash: 'h' },
    });
    expect(user).toMatchObject({ role: 'viewer', locale: 'en' });
    await expectPrismaError(
      prisma.user.create({ data: { email: 'lead@example.com', name: 'x', passwordHash: 'h' } }),
      'P2002',
    );
    const director = await prisma.user.update({
      where: { email: 'lead@example.com' },
      data: { role: 'admin', name: 'Director' },
    });
    expect(director.role).toBe('admin');

    const calendar = await prisma.calendar.create({
      data: {
        name: 'Berlin office',
        timeZone: 'Europe/Berlin',
        hours: '{"mon":["09:00","17:00"]}',
      },
    });
    expect(calendar.holidays).toBe('[]');
    await prisma.calendar.update({
      where: { id: calendar.id },
      data: { holidays: '["2023-12-25"]' },
    });

    const team = await prisma.team.create({
      data: { name: 'Billing', queue: 'billing', directorUserId: director.id },
    });
    const agent = await prisma.agent.create({
      data: {
        name: 'Ann',
        email: 'ann@example.com',
        teamId: team.id,
        userId: user.id,
        shiftCalendarId: calendar.id,
      },
    });
    expect(agent).toMatchObject({
      skills: '[]',
      capacity: 10,
      openTickets: 0,
      active: true,
      lastAssignedAt: null,
    });
    await expectPrismaError(
      prisma.agent.create({
        data: { name: 'Dup', email: 'd@example.com', teamId: team.id, userId: user.id },
      }),
      'P2002',
    );
    await prisma.team.update({ where: { id: team.id }, data: { leadAgentId: agent.id } });
    const loaded = await prisma.team.findUnique({
      where: { id: team.id },
      include: { leadAgent: true, director: true, agents: { where: { active: true } } },
    });
    expect(loaded?.leadAgent?.name).toBe('Ann');
    expect(loaded?.director?.email).toBe('lead@example.com');
    expect(loaded?.agents).toHaveLength(1);

    // Assigning a ticket, then removing the agent, leaves the ticket unassigned (SetNull).
    const ticket = await createTicket('CS20231028040', { assigneeId: agent.id, team: 'billing' });
    await prisma.agent.update({
      where: { id: agent.id },
      data: { openTickets: { increment: 1 }, lastAssignedAt: at('2023-10-28T09:00:00Z') },
    });
    await prisma.team.update({ where: { id: team.id }, data: { leadAgentId: null } });
    await prisma.agent.delete({ where: { id: agent.id } });
    expect((await prisma.ticket.findUnique({ where: { id: ticket.id } }))?.assigneeId).toBeNull();
  });

  test('Session and ApiToken: hashed ids unique; sessions go with their user', async () => {
    exercised.add('Session').add('ApiToken');
    const user = await prisma.user.create({
      data: { email: 'agent@example.com', name: 'Agent', passwordHash: 'h', role: 'agent' },
    });
    await prisma.session.create({
      data: { id: 'sha256-a', userId: user.id, expiresAt: at('2030-01-01T00:00:00Z') },
    });
    await expectPrismaError(
      prisma.session.create({
        data: { id: 'sha256-a', userId: user.id, expiresAt: at('2030-01-01T00:00:00Z') },
      }),
      'P2002',
    );
    await prisma.session.update({
      where: { id: 'sha256-a' },
      data: { expiresAt: at('2030-02-01T00:00:00Z') },
    });
    expect((await prisma.session.findUnique({ where: { id: 'sha256-a' } }))?.expiresAt).toEqual(
      at('2030-02-01T00:00:00Z'),
    );

    const token = await prisma.apiToken.create({
      data: { name: 'intake', tokenHash: 'sha256-t', scopes: '["intake"]', createdById: user.id },
    });
    expect(token.revokedAt).toBeNull();
    await expectPrismaError(
      prisma.apiToken.create({ data: { name: 'dup', tokenHash: 'sha256-t', scopes: '[]' } }),
      'P2002',
    );
    await prisma.apiToken.update({
      where: { tokenHash: 'sha256-t' },
      data: { lastUsedAt: at('2023-10-28T09:00:00Z') },
    });

    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await prisma.apiToken.findUnique({ where: { id: token.id } }))?.createdById).toBeNull();
  });

  test('AuditLog: append-only rows in insertion order', async () => {
    exercised.add('AuditLog');
    const first = await prisma.auditLog.create({
      data: { actorId: 'u1', action: 'flow.publish', target: 'flow:1' },
    });
    const second = await prisma.auditLog.create({
      data: { action: 'settings.change', details: '{"k":1}' },
    });
    expect(second.id).toBeGreaterThan(first.id);
    expect(first.details).toBe('{}');
    await expectPrismaError(
      prisma.auditLog.create({ data: { id: first.id, action: 'x' } }),
      'P2002',
    );
    const corrected = await prisma.auditLog.update({
      where: { id: second.id },
      data: { target: 'settings' },
    });
    expect(corrected.target).toBe('settings');
    const forTarget = await prisma.auditLog.findMany({
      where: { target: 'flow:1' },
      orderBy: { at: 'desc' },
    });
    expect(forTarget).toHaveLength(1);
  });

  test('MailMessage and Survey: threading by Message-ID; one survey per token', async () => {
    exercised.add('MailMessage').add('Survey');
    const ticket = await createTicket('CS20231028050');
    await prisma.mailMessage.create({
      data: { messageId: '<a@mail.example>', ticketId: ticket.id, direction: 'inbound' },
    });
    await expectPrismaError(
      prisma.mailMessage.create({
        data: { messageId: '<a@mail.example>', ticketId: ticket.id, direction: 'outbound' },
      }),
      'P2002',
    );
    await prisma.mailMessage.update({
      where: { messageId: '<a@mail.example>' },
      data: { direction: 'outbound' },
    });
    const thread = await prisma.mailMessage.findUnique({
      where: { messageId: '<a@mail.example>' },
    });
    expect(thread?.ticketId).toBe(ticket.id);

    const survey = await prisma.survey.create({
      data: { tokenHash: 'sha256-s', ticketId: ticket.id },
    });
    expect(survey).toMatchObject({ answeredAt: null, score: null, resolved: null });
    await expectPrismaError(
      prisma.survey.create({ data: { tokenHash: 'sha256-s', ticketId: ticket.id } }),
      'P2002',
    );
    const answered = await prisma.survey.update({
      where: { tokenHash: 'sha256-s' },
      data: {
        score: 2,
        resolved: false,
        answeredAt: at('2023-10-29T09:00:00Z'),
        comment: 'still broken',
      },
    });
    expect(answered).toMatchObject({ score: 2, resolved: false });
  });

  test('FlowScenario (0005): one scenario name per flow, deleted with its flow', async () => {
    exercised.add('FlowScenario');
    const flow = await prisma.flow.create({ data: { name: 'Scenarios', draft: '{}' } });
    await prisma.flowScenario.create({
      data: { flowId: flow.id, name: 'VIP login', data: '{"events":[]}' },
    });
    await expectPrismaError(
      prisma.flowScenario.create({ data: { flowId: flow.id, name: 'VIP login', data: '{}' } }),
      'P2002',
    );
    await prisma.flow.delete({ where: { id: flow.id } });
    expect(await prisma.flowScenario.count({ where: { flowId: flow.id } })).toBe(0);
  });

  test('ClassifierModel and TrainingJob (0007): a model id is never taken twice; job progress', async () => {
    exercised.add('ClassifierModel').add('TrainingJob');
    const model = {
      id: 'model-0a1b2c',
      name: 'Banking intents',
      contentHash: 'a'.repeat(64),
      labels: '["card_arrival","lost_or_stolen_card"]',
      sourceKind: 'csv',
      source: '{"fileName":"train.csv"}',
      examples: 200,
      folds: 5,
      accuracy: 0.93,
      macroF1: 0.92,
      evaluation: '{}',
      createdAt: at('2024-05-01T08:00:00Z'),
    };
    await prisma.classifierModel.create({ data: model });
    await expectPrismaError(prisma.classifierModel.create({ data: model }), 'P2002');
    const archived = await prisma.classifierModel.update({
      where: { id: model.id },
      data: { archivedAt: at('2024-05-02T08:00:00Z') },
    });
    expect(archived.accuracy).toBeCloseTo(0.93);
    expect(archived.archivedAt?.toISOString()).toBe('2024-05-02T08:00:00.000Z');

    const job = await prisma.trainingJob.create({
      data: {
        id: 'job-1',
        name: 'Banking intents',
        status: 'queued',
        request: '{}',
        folds: 5,
        createdAt: at('2024-05-01T08:00:00Z'),
      },
    });
    expect(job.progress).toBe(0);
    const done = await prisma.trainingJob.update({
      where: { id: job.id },
      data: { status: 'succeeded', progress: 1, modelId: model.id, phase: 'saving', fold: 5 },
    });
    expect(done).toMatchObject({ status: 'succeeded', modelId: model.id, fold: 5 });
  });

  test('SavedView and Report (0006): one view name per user, one report per period and zone', async () => {
    exercised.add('SavedView').add('Report');
    const user = await prisma.user.create({
      data: { email: 'views@example.com', name: 'Views', passwordHash: 'x' },
    });
    await prisma.savedView.create({
      data: { userId: user.id, name: 'VIP urgent', filters: '{"priority":"urgent"}' },
    });
    await expectPrismaError(
      prisma.savedView.create({ data: { userId: user.id, name: 'VIP urgent', filters: '{}' } }),
      'P2002',
    );
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.savedView.count({ where: { userId: user.id } })).toBe(0);

    const report = {
      kind: 'daily',
      periodStart: '2023-10-28',
      timeZone: 'Asia/Shanghai',
      data: '{}',
      trigger: 'schedule',
      generatedAt: at('2023-10-28T16:00:05Z'),
    };
    await prisma.report.create({ data: report });
    await expectPrismaError(prisma.report.create({ data: report }), 'P2002');
    await prisma.report.create({ data: { ...report, timeZone: 'UTC' } });
    expect(await prisma.report.count({ where: { periodStart: '2023-10-28' } })).toBe(2);
  });

  test('Ticket analytics columns (0006) default to unset', async () => {
    const ticket = await createTicket('CS20231028080');
    expect(ticket).toMatchObject({
      firstResponseAt: null,
      resolvedAt: null,
      reopenCount: 0,
      csatAt: null,
    });
  });

  test('deleting a ticket removes its events, timers, effects, mail and surveys', async () => {
    const ticket = await createTicket('CS20231028060');
    await prisma.ticketEvent.create({
      data: { ticketId: ticket.id, seq: 1, type: 'CREATED', payload: '{}' },
    });
    await prisma.timer.create({
      data: { ticketId: ticket.id, key: 'k', generation: 1, dueAt: at('2023-10-28T09:00:00Z') },
    });
    await prisma.outboxEffect.create({
      data: { ticketId: ticket.id, idempotencyKey: 'del-1', kind: 'inapp', payload: '{}' },
    });
    await prisma.mailMessage.create({
      data: { messageId: '<del@x>', ticketId: ticket.id, direction: 'inbound' },
    });
    await prisma.survey.create({ data: { tokenHash: 'del-s', ticketId: ticket.id } });
    await prisma.ticket.delete({ where: { id: ticket.id } });
    const where = { ticketId: ticket.id };
    const left = await Promise.all([
      prisma.ticketEvent.count({ where }),
      prisma.timer.count({ where }),
      prisma.outboxEffect.count({ where }),
      prisma.mailMessage.count({ where }),
      prisma.survey.count({ where }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0]);
  });

  test('toSqliteTimestamp writes DateTime exactly as Prisma does', async () => {
    const when = at('2023-10-28T09:30:00.123Z');
    const ticket = await createTicket('CS20231028070', { slaResolutionDueAt: when });
    const raw = new Database(dbPath, { readonly: true });
    try {
      const stored = raw
        .prepare<[string], { due: string }>(
          'SELECT "slaResolutionDueAt" AS due FROM "Ticket" WHERE "id" = ?',
        )
        .get(ticket.id);
      expect(stored?.due).toBe(toSqliteTimestamp(when));
      expect(toSqliteTimestamp(when)).toBe('2023-10-28T09:30:00.123+00:00');
    } finally {
      raw.close();
    }
  });

  test('every model in prisma/schema.prisma was exercised above', () => {
    const models = loadDatamodel().models.map((model) => model.name);
    expect([...exercised].sort()).toEqual([...models].sort());
  });
});
