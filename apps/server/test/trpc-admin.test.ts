import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf, createTestClient, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

let api: ApiServer;
let admin: TestClient;

beforeAll(async () => {
  api = await startApiServer();
  admin = await api.as('admin');
});

afterAll(async () => {
  await api.close();
});

async function auditActions(target: string): Promise<string[]> {
  const { items } = await admin.client.audit.list.query({ limit: 200 });
  return items.filter((entry) => entry.target === target).map((entry) => entry.action);
}

describe('settings', () => {
  it('teams, calendars and agents with skills, capacity and shift; references are checked', async () => {
    const { client } = admin;
    await client.settings.calendars.upsert.mutate({
      id: 'office',
      name: 'Office hours',
      timeZone: 'Asia/Shanghai',
      week: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] },
      holidays: ['2026-10-01'],
    });
    const badCalendar = await errorOf(
      client.settings.calendars.upsert.mutate({
        id: 'bad',
        name: 'Bad',
        timeZone: 'Mars/Olympus',
        week: { mon: [['18:00', '09:00']] },
        holidays: [],
      }),
    );
    expect(badCalendar.data?.issues?.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['timeZone', 'week.mon.0']),
    );

    await client.settings.teams.upsert.mutate({ id: 'vip-desk', name: 'VIP desk' });
    const { id: agentId } = await client.settings.agents.upsert.mutate({
      name: 'Mei Chen',
      email: 'mei@corp.example',
      teamId: 'vip-desk',
      skills: ['login', 'sso', 'login'],
      capacity: 4,
      shiftCalendarId: 'office',
    });
    expect(
      (await client.settings.agents.list.query()).find((agent) => agent.id === agentId),
    ).toMatchObject({
      teamId: 'vip-desk',
      skills: ['login', 'sso'],
      capacity: 4,
      openTickets: 0,
      shiftCalendarId: 'office',
      active: true,
      role: 'agent',
    });
    await client.settings.teams.upsert.mutate({
      id: 'vip-desk',
      name: 'VIP desk',
      leadAgentId: agentId,
    });
    expect(
      (await client.settings.teams.list.query()).find((team) => team.id === 'vip-desk'),
    ).toMatchObject({ leadAgentId: agentId, agentCount: 1 });

    expect(
      await codeOf(
        client.settings.agents.upsert.mutate({
          name: 'X',
          email: 'x@corp.example',
          teamId: 'nope',
        }),
      ),
    ).toBe('PRECONDITION_FAILED');
    expect(await codeOf(client.settings.teams.delete.mutate({ id: 'vip-desk' }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect(await codeOf(client.settings.calendars.delete.mutate({ id: 'office' }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect(await codeOf(client.settings.agents.delete.mutate({ id: agentId }))).toBe(
      'PRECONDITION_FAILED', // leads the team
    );
    await client.settings.teams.upsert.mutate({
      id: 'vip-desk',
      name: 'VIP desk',
      leadAgentId: null,
    });
    await client.settings.agents.delete.mutate({ id: agentId });
    await client.settings.teams.delete.mutate({ id: 'vip-desk' });
    await client.settings.calendars.delete.mutate({ id: 'office' });
    expect((await client.settings.calendars.list.query()).map((c) => c.id)).not.toContain('office');

    expect(await auditActions('vip-desk')).toEqual([
      'settings.team.delete',
      'settings.team.upsert',
      'settings.team.upsert',
      'settings.team.upsert',
    ]);
    expect(await auditActions(agentId)).toEqual(['settings.agent.delete', 'settings.agent.upsert']);
  });

  it('binds channels to published flows only, and the REST intake follows the binding', async () => {
    const { client } = admin;
    const { id } = await client.flows.create.mutate({ name: 'Chat desk' });
    expect(await codeOf(client.settings.bindings.set.mutate({ channel: 'chat', flowId: id }))).toBe(
      'PRECONDITION_FAILED',
    );
    await client.versions.publish.mutate({ flowId: id, note: 'v1' });
    await client.settings.bindings.set.mutate({ channel: 'chat', flowId: id });
    expect(await client.settings.bindings.list.query()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'chat', flowId: id, flowName: 'Chat desk' }),
        expect.objectContaining({ channel: 'web', flowId: 'saas-login' }),
      ]),
    );
    expect(api.server.repository.getBoundFlowId('chat')).toBe(id);
    expect((await client.flows.get.query({ id })).channels).toEqual(['chat']);
    await client.settings.bindings.set.mutate({ channel: 'chat', flowId: null });
    expect(api.server.repository.getBoundFlowId('chat')).toBeNull();
    expect(await auditActions('chat')).toEqual(['settings.binding', 'settings.binding']);
  });
});

describe('users', () => {
  it('creates, changes role, disables and resets passwords; the last admin stays', async () => {
    const { client } = admin;
    const { id } = await client.users.create.mutate({
      email: 'New.Agent@Example.com',
      name: 'New agent',
      role: 'agent',
      password: 'another long password',
    });
    expect(
      await codeOf(
        client.users.create.mutate({
          email: 'new.agent@example.com',
          name: 'Twin',
          role: 'viewer',
          password: 'another long password',
        }),
      ),
    ).toBe('CONFLICT');
    const short = await errorOf(
      client.users.create.mutate({
        email: 'a@b.example',
        name: 'a',
        role: 'viewer',
        password: 'x',
      }),
    );
    expect(short.data?.issues?.map((issue) => issue.path)).toEqual(['password']);

    const user = createTestClient(api.server.url);
    await user.login('new.agent@example.com', 'another long password');
    expect(await user.client.auth.me.query()).toMatchObject({ role: 'agent' });
    await client.users.update.mutate({ id, role: 'viewer' });
    expect(await user.client.auth.me.query()).toMatchObject({ role: 'viewer' });
    expect(await codeOf(user.client.tickets.comment.mutate({ number: 'CS1', text: 'x' }))).toBe(
      'FORBIDDEN',
    );

    const { password } = await client.users.resetPassword.mutate({ id });
    expect(password).toMatch(/^[\w-]{20,}$/);
    expect(await user.client.auth.me.query()).toBeNull(); // sessions end with a reset
    await user.login('new.agent@example.com', password ?? '');
    expect(await client.users.resetPassword.mutate({ id, password: 'chosen by admin 1' })).toEqual({
      password: null,
    });

    const me = await client.auth.me.query();
    expect(await codeOf(client.users.update.mutate({ id: me?.id ?? '', role: 'agent' }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect(await codeOf(client.users.update.mutate({ id: me?.id ?? '', disabled: true }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect((await client.users.list.query()).find((row) => row.id === id)).toMatchObject({
      email: 'new.agent@example.com',
      role: 'viewer',
      disabled: false,
    });
    expect(await auditActions(id)).toEqual([
      'user.reset-password',
      'user.reset-password',
      'user.update',
      'user.create',
    ]);
    const created = (await client.audit.list.query({ limit: 200 })).items.find(
      (entry) => entry.target === id && entry.action === 'user.create',
    );
    expect(created).toMatchObject({
      actor: { email: 'admin@localhost' },
      details: { email: 'new.agent@example.com', role: 'agent' },
    });
    expect(JSON.stringify(created)).not.toMatch(/password/i);
  });
});

describe('API tokens', () => {
  it('shows a new token once, stores only its hash, and a revoked token stops working', async () => {
    const { client } = admin;
    const created = await client.tokens.create.mutate({
      name: 'helpdesk bot',
      scopes: ['tickets:write', 'tickets:read'],
    });
    expect(created.token).toMatch(/^sy_[\w-]{40,}$/);
    const listed = await client.tokens.list.query();
    const row = listed.find((token) => token.id === created.id);
    expect(row).toMatchObject({
      name: 'helpdesk bot',
      scopes: ['tickets:write', 'tickets:read'],
      createdBy: 'admin@localhost',
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const intake = () =>
      fetch(`${api.server.url}/api/v1/tickets?limit=1`, {
        headers: { authorization: `Bearer ${created.token}` },
      });
    expect((await intake()).status).toBe(200);
    expect(
      (await client.tokens.list.query()).find((t) => t.id === created.id)?.lastUsedAt,
    ).not.toBeNull();

    await client.tokens.revoke.mutate({ id: created.id });
    expect((await intake()).status).toBe(401);
    expect((await client.tokens.list.query()).find((t) => t.id === created.id)?.revokedAt).toEqual(
      expect.any(String),
    );
    await client.tokens.revoke.mutate({ id: created.id }); // idempotent
    expect(await codeOf(client.tokens.revoke.mutate({ id: 'no-such-token' }))).toBe('NOT_FOUND');
    expect(await auditActions(created.id)).toEqual(['token.revoke', 'token.create']);

    const none = await errorOf(client.tokens.create.mutate({ name: 'x', scopes: [] }));
    expect(none.data?.issues?.map((issue) => issue.path)).toEqual(['scopes']);
  });
});

describe('audit.list', () => {
  it('pages newest first with a cursor', async () => {
    const { client } = admin;
    const first = await client.audit.list.query({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const [a, b] = first.items;
    expect((a?.id ?? 0) > (b?.id ?? 0)).toBe(true);
    const second = await client.audit.list.query({ limit: 2, cursor: first.nextCursor ?? 0 });
    expect(second.items[0]?.id).toBeLessThan(b?.id ?? 0);
  });
});
