import { randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURE_ROLES } from '../src/index';
import type { ProcedurePath, Role } from '../src/index';
import { appRouter } from '../src/trpc';
import { PASSWORD, startApiServer, USERS } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf, createTestClient, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

const TEMPLATE_TEXT = readFileSync(
  new URL('../../../templates/saas-login/flow.json', import.meta.url),
  'utf8',
);

let api: ApiServer;
let admin: TestClient;
let versionId = '';

async function newTicket(subject = 'Cannot log in'): Promise<string> {
  const { ticket } = await api.server.engine.createTicket(
    { subject, customer: { email: 'ann@example.com' } },
    { flowVersionId: versionId },
  );
  return ticket.number;
}

beforeAll(async () => {
  api = await startApiServer();
  admin = await api.as('admin');
  const saas = api.server.seed.published.find((p) => p.flowId === 'saas-login');
  versionId = saas?.versionId ?? '';
  await admin.client.settings.teams.upsert.mutate({ id: 'rbac', name: 'RBAC team' });
  await admin.client.flows.create.mutate({ name: 'RBAC flow' });
});

afterAll(async () => {
  await api.close();
});

describe('auth', () => {
  it('signs in with e-mail and password into an httpOnly SameSite session cookie', async () => {
    const response = await fetch(`${api.server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: USERS.admin, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sy_session=[\w-]{20,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const user = createTestClient(api.server.url);
    expect(await user.client.auth.me.query()).toBeNull();
    const me = await user.login(USERS.agent, PASSWORD);
    expect(me).toMatchObject({ email: USERS.agent, role: 'agent', language: 'en' });
    expect(await user.client.auth.me.query()).toMatchObject({ email: USERS.agent });
    await user.client.auth.logout.mutate();
    expect(await user.client.auth.me.query()).toBeNull();
  });

  it('stores passwords as argon2id and moves an old scrypt hash to argon2 on sign-in', async () => {
    const salt = randomBytes(16);
    const hash = scryptSync('old scrypt password', salt, 32, { N: 16_384, r: 8, p: 1 });
    const legacy = ['scrypt', 16_384, 8, 1, salt.toString('base64'), hash.toString('base64')].join(
      '$',
    );
    api.server.repository.createUser({
      email: 'legacy@example.com',
      name: 'Legacy',
      passwordHash: legacy,
      role: 'viewer',
    });
    const client = createTestClient(api.server.url);
    expect(await codeOf(client.login('legacy@example.com', 'wrong password'))).toBe('UNAUTHORIZED');
    await client.login('legacy@example.com', 'old scrypt password');
    const stored = api.server.repository.getUserByEmail('legacy@example.com')?.passwordHash;
    expect(stored).toMatch(/^\$argon2id\$/);
    // The new hash still takes the same password.
    await createTestClient(api.server.url).login('LEGACY@example.com', 'old scrypt password');
    expect(api.server.repository.getUserByEmail(USERS.admin)?.passwordHash).toMatch(
      /^\$argon2id\$/,
    );
  });

  it('refuses a wrong password and rate-limits repeated failures', async () => {
    api.server.repository.createUser({
      email: 'locked@example.com',
      name: 'Locked',
      passwordHash: api.server.repository.getUserByEmail(USERS.viewer)?.passwordHash ?? '',
      role: 'viewer',
    });
    const client = createTestClient(api.server.url);
    for (let i = 0; i < 10; i++) {
      expect(await codeOf(client.login('locked@example.com', 'nope'))).toBe('UNAUTHORIZED');
    }
    expect(await codeOf(client.login('locked@example.com', PASSWORD))).toBe('TOO_MANY_REQUESTS');
  });

  it('remembers the language per user', async () => {
    const viewer = await api.as('viewer');
    await viewer.client.auth.setLanguage.mutate({ language: 'zh-CN' });
    const again = await api.as('viewer');
    expect(await again.client.auth.me.query()).toMatchObject({ language: 'zh-CN' });
    expect(await codeOf(viewer.client.auth.setLanguage.mutate({ language: 'fr' as 'en' }))).toBe(
      'BAD_REQUEST',
    );
    await viewer.client.auth.setLanguage.mutate({ language: 'en' });
  });

  it('a disabled user can neither sign in nor keep using a session', async () => {
    const { id } = await admin.client.users.create.mutate({
      email: 'leaver@example.com',
      name: 'Leaver',
      role: 'agent',
      password: PASSWORD,
    });
    const leaver = createTestClient(api.server.url);
    await leaver.login('leaver@example.com', PASSWORD);
    await admin.client.users.update.mutate({ id, disabled: true });
    expect(await leaver.client.auth.me.query()).toBeNull();
    expect(await codeOf(leaver.client.tickets.list.query({ limit: 1 }))).toBe('UNAUTHORIZED');
    expect(await codeOf(leaver.login('leaver@example.com', PASSWORD))).toBe('UNAUTHORIZED');
  });
});

describe('errors', () => {
  it('maps domain errors to codes and names bad input fields', async () => {
    expect(await codeOf(admin.client.tickets.get.query({ number: 'CS20000101999' }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(admin.client.flows.get.query({ id: 'no-such-flow' }))).toBe('NOT_FOUND');
    const bad = await errorOf(
      admin.client.tickets.list.query({ limit: 0, status: 'lost' as 'new' }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'limit' }),
        expect.objectContaining({ path: 'status' }),
      ]),
    );
  });
});

// --- RBAC -----------------------------------------------------------------------------------

type Outcome = 'OK' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'NOT_FOUND';
interface Call {
  /** Performs the call as `client`; `admin` prepares what it needs (a throwaway flow…). */
  run(client: TestClient, admin: TestClient): Promise<unknown>;
  /** What an allowed caller may get (default OK): some actions depend on the ticket's state. */
  allowed?: readonly Outcome[];
}

/** Two labels, five examples each: the smallest data training accepts. */
const TINY_CSV = [
  'text,label',
  ...['card late', 'card not here', 'where is my card', 'card delivery', 'card arrival'].map(
    (text) => `${text},card`,
  ),
  ...['rate today', 'exchange rate', 'euro rate', 'what rate', 'currency rate'].map(
    (text) => `${text},rate`,
  ),
].join('\n');

let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

/** One call per procedure; the type makes a missing entry a compile error. */
const CALLS: Record<ProcedurePath, Call> = {
  'auth.login': { run: (c) => c.login(USERS.admin, PASSWORD) },
  'auth.me': { run: (c) => c.client.auth.me.query() },
  'auth.logout': { run: (c) => c.client.auth.logout.mutate() },
  'auth.setLanguage': { run: (c) => c.client.auth.setLanguage.mutate({ language: 'en' }) },

  'flows.list': { run: (c) => c.client.flows.list.query() },
  'flows.get': { run: (c) => c.client.flows.get.query({ id: 'saas-login' }) },
  'flows.create': { run: (c) => c.client.flows.create.mutate({ name: unique('Flow') }) },
  'flows.saveDraft': {
    run: async (c, a) => {
      const flow = await a.client.flows.get.query({ id: 'rbac-flow' });
      return c.client.flows.saveDraft.mutate({
        id: flow.id,
        document: flow.draft,
        baseRevision: flow.draftRevision,
      });
    },
  },
  'flows.delete': {
    run: async (c, a) => {
      const { id } = await a.client.flows.create.mutate({ name: unique('Doomed') });
      return c.client.flows.delete.mutate({ id });
    },
  },
  'flows.import': { run: (c) => c.client.flows.import.mutate({ json: TEMPLATE_TEXT }) },
  'flows.exportMachine': {
    run: (c) => c.client.flows.exportMachine.query({ id: 'saas-login', version: 1 }),
  },

  'versions.list': { run: (c) => c.client.versions.list.query({ flowId: 'saas-login' }) },
  'versions.get': { run: (c) => c.client.versions.get.query({ flowId: 'saas-login', version: 1 }) },
  'versions.diff': {
    run: (c) => c.client.versions.diff.query({ flowId: 'saas-login', from: 1, to: 'draft' }),
  },
  'versions.publish': {
    run: (c) => c.client.versions.publish.mutate({ flowId: 'rbac-flow', note: 'rbac' }),
  },
  'versions.rollback': {
    run: (c) => c.client.versions.rollback.mutate({ flowId: 'saas-login', version: 1 }),
  },
  'versions.replay': {
    run: (c) => c.client.versions.replay.mutate({ flowId: 'saas-login', last: 5 }),
  },
  'versions.simulate': {
    run: async (c, a) => {
      const flow = await a.client.flows.get.query({ id: 'saas-login' });
      return c.client.versions.simulate.mutate({
        flowId: 'saas-login',
        document: flow.draft,
        ticket: { subject: 'Cannot log in' },
      });
    },
  },

  'scenarios.list': { run: (c) => c.client.scenarios.list.query({ flowId: 'saas-login' }) },
  'scenarios.save': {
    run: (c) =>
      c.client.scenarios.save.mutate({
        flowId: 'rbac-flow',
        scenario: { name: unique('Scenario'), ticket: { subject: 'Hello' }, expect: {} },
      }),
  },
  'scenarios.delete': {
    run: async (c, a) => {
      const { name } = await a.client.scenarios.save.mutate({
        flowId: 'rbac-flow',
        scenario: { name: unique('Doomed scenario'), ticket: { subject: 'Hello' }, expect: {} },
      });
      return c.client.scenarios.delete.mutate({ flowId: 'rbac-flow', name });
    },
  },
  'scenarios.run': { run: (c) => c.client.scenarios.run.mutate({ flowId: 'saas-login' }) },

  'templates.list': { run: (c) => c.client.templates.list.query() },
  'templates.import': {
    run: (c) => c.client.templates.import.mutate({ templateId: 'saas-login' }),
  },

  'tickets.list': { run: (c) => c.client.tickets.list.query({ limit: 5 }) },
  'tickets.get': { run: async (c) => c.client.tickets.get.query({ number: await newTicket() }) },
  'tickets.onChange': {
    // Allowed: a ticket created after the stream opened arrives. Refused: the server's error.
    run: (c) =>
      new Promise((resolve, reject) => {
        let number = '';
        const subscription = c.client.tickets.onChange.subscribe(undefined, {
          onStarted: () => {
            void newTicket('Subscribed').then((created) => {
              number = created;
            });
          },
          onData: (change) => {
            if (change.number !== number && number !== '') return;
            subscription.unsubscribe();
            resolve(change);
          },
          onError: (error) => {
            subscription.unsubscribe();
            reject(error);
          },
        });
      }),
  },
  'tickets.reply': {
    run: async (c) =>
      c.client.tickets.reply.mutate({ number: await newTicket(), message: 'We are on it.' }),
  },
  'tickets.comment': {
    run: async (c) => c.client.tickets.comment.mutate({ number: await newTicket(), text: 'note' }),
  },
  'tickets.resolve': {
    run: async (c) => c.client.tickets.resolve.mutate({ number: await newTicket() }),
    allowed: ['OK', 'CONFLICT'],
  },
  'tickets.approve': {
    run: async (c) => c.client.tickets.approve.mutate({ number: await newTicket() }),
    allowed: ['OK', 'CONFLICT'],
  },
  'tickets.reject': {
    run: async (c) => c.client.tickets.reject.mutate({ number: await newTicket() }),
    allowed: ['OK', 'CONFLICT'],
  },
  'tickets.transfer': {
    run: async (c) =>
      c.client.tickets.transfer.mutate({ number: await newTicket(), team: 'billing' }),
  },
  'tickets.setPriority': {
    run: async (c) =>
      c.client.tickets.setPriority.mutate({ number: await newTicket(), priority: 'urgent' }),
  },
  'tickets.reopen': {
    run: async (c) => c.client.tickets.reopen.mutate({ number: await newTicket() }),
    allowed: ['OK', 'CONFLICT'],
  },

  'settings.teams.list': { run: (c) => c.client.settings.teams.list.query() },
  'settings.teams.upsert': {
    run: (c) => c.client.settings.teams.upsert.mutate({ id: unique('team'), name: 'Team' }),
  },
  'settings.teams.delete': {
    run: async (c, a) => {
      const { id } = await a.client.settings.teams.upsert.mutate({ id: unique('gone'), name: 'x' });
      return c.client.settings.teams.delete.mutate({ id });
    },
  },
  'settings.agents.list': { run: (c) => c.client.settings.agents.list.query() },
  'settings.agents.upsert': {
    run: (c) =>
      c.client.settings.agents.upsert.mutate({
        name: 'Agent',
        email: 'agent@corp.example',
        teamId: 'rbac',
      }),
  },
  'settings.agents.delete': {
    run: async (c, a) => {
      const { id } = await a.client.settings.agents.upsert.mutate({
        name: 'Temp',
        email: 'temp@corp.example',
        teamId: 'rbac',
      });
      return c.client.settings.agents.delete.mutate({ id });
    },
  },
  'settings.calendars.list': { run: (c) => c.client.settings.calendars.list.query() },
  'settings.calendars.upsert': {
    run: (c) =>
      c.client.settings.calendars.upsert.mutate({
        id: unique('cal'),
        name: 'Office',
        timeZone: 'Asia/Shanghai',
        week: { mon: [['09:00', '18:00']] },
        holidays: [],
      }),
  },
  'settings.calendars.delete': {
    run: async (c, a) => {
      const { id } = await a.client.settings.calendars.upsert.mutate({
        id: unique('cal'),
        name: 'x',
        timeZone: 'UTC',
        week: {},
        holidays: [],
      });
      return c.client.settings.calendars.delete.mutate({ id });
    },
  },
  'settings.bindings.list': { run: (c) => c.client.settings.bindings.list.query() },
  'settings.bindings.set': {
    run: (c) => c.client.settings.bindings.set.mutate({ channel: 'chat', flowId: 'saas-login' }),
  },

  'users.list': { run: (c) => c.client.users.list.query() },
  'users.create': {
    run: (c) =>
      c.client.users.create.mutate({
        email: `${unique('user')}@example.com`,
        name: 'New',
        role: 'viewer',
        password: PASSWORD,
      }),
  },
  'users.update': {
    run: async (c, a) => {
      const { id } = await a.client.users.create.mutate({
        email: `${unique('upd')}@example.com`,
        name: 'Upd',
        role: 'viewer',
        password: PASSWORD,
      });
      return c.client.users.update.mutate({ id, role: 'agent' });
    },
  },
  'users.resetPassword': {
    run: async (c, a) => {
      const { id } = await a.client.users.create.mutate({
        email: `${unique('reset')}@example.com`,
        name: 'Reset',
        role: 'viewer',
        password: PASSWORD,
      });
      return c.client.users.resetPassword.mutate({ id });
    },
  },

  'tokens.list': { run: (c) => c.client.tokens.list.query() },
  'tokens.create': {
    run: (c) => c.client.tokens.create.mutate({ name: 'ci', scopes: ['tickets:read'] }),
  },
  'tokens.revoke': {
    run: async (c, a) => {
      const { id } = await a.client.tokens.create.mutate({ name: 'x', scopes: ['tickets:read'] });
      return c.client.tokens.revoke.mutate({ id });
    },
  },

  'audit.list': { run: (c) => c.client.audit.list.query({ limit: 5 }) },

  'dashboard.get': {
    run: (c) => c.client.dashboard.get.query({ from: '2024-05-01', to: '2024-05-07' }),
  },
  'dashboard.options': { run: (c) => c.client.dashboard.options.query() },
  'reports.list': { run: (c) => c.client.reports.list.query({ limit: 5 }) },
  'reports.get': {
    run: async (c, a) => {
      const { id } = await a.client.reports.generate.mutate({ kind: 'daily', date: '2024-05-01' });
      return c.client.reports.get.query({ id });
    },
  },
  'reports.generate': {
    run: (c) => c.client.reports.generate.mutate({ kind: 'weekly', date: '2024-05-01' }),
  },
  'reports.csv': {
    run: async (c, a) => {
      const { id } = await a.client.reports.generate.mutate({ kind: 'daily', date: '2024-05-02' });
      return c.client.reports.csv.query({ id });
    },
  },
  'customers.get': { run: (c) => c.client.customers.get.query({ email: 'ann@example.com' }) },
  'views.list': { run: (c) => c.client.views.list.query() },
  'views.save': {
    run: (c) => c.client.views.save.mutate({ name: unique('View'), filters: { priority: 'high' } }),
  },
  'views.delete': {
    run: async (c) => {
      const { id } = await c.client.views.save.mutate({ name: unique('Gone'), filters: {} });
      return c.client.views.delete.mutate({ id });
    },
  },
  'timeline.get': { run: async (c) => c.client.timeline.get.query({ number: await newTicket() }) },
  'classifier.models.list': { run: (c) => c.client.classifier.models.list.query() },
  'classifier.models.get': {
    run: (c) => c.client.classifier.models.get.query({ id: 'model-000000000000' }),
    allowed: ['NOT_FOUND'],
  },
  'classifier.models.download': {
    run: (c) => c.client.classifier.models.download.query({ id: 'model-000000000000' }),
    allowed: ['NOT_FOUND'],
  },
  'classifier.models.archive': {
    run: (c) => c.client.classifier.models.archive.mutate({ id: 'model-000000000000' }),
    allowed: ['NOT_FOUND'],
  },
  'classifier.train': {
    run: (c) =>
      c.client.classifier.train.mutate({
        name: unique('Model'),
        folds: 2,
        source: { kind: 'csv', fileName: 'tiny.csv', text: TINY_CSV },
      }),
  },
  'classifier.jobs.list': { run: (c) => c.client.classifier.jobs.list.query() },
  'classifier.jobs.get': {
    run: (c) => c.client.classifier.jobs.get.query({ id: 'job-000000000000' }),
    allowed: ['NOT_FOUND'],
  },
  // Public: no session needed; an unknown token is NOT_FOUND for everyone.
  'survey.get': { run: (c) => c.client.survey.get.query({ token: 'x' }), allowed: ['NOT_FOUND'] },
  'survey.answer': {
    run: (c) => c.client.survey.answer.mutate({ token: 'x', score: 5, resolved: true }),
    allowed: ['NOT_FOUND'],
  },
};

describe('RBAC', () => {
  it('every procedure of the router has an entry in PROCEDURE_ROLES, and checks its own', () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { meta?: { path?: string } } }
    >;
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(PROCEDURE_ROLES).sort());
    for (const [path, procedure] of Object.entries(procedures)) {
      expect(procedure._def.meta?.path, path).toBe(path);
    }
  });

  // The matrix: every procedure with every role and without a session.
  for (const [path, allowed] of Object.entries(PROCEDURE_ROLES) as [
    ProcedurePath,
    (typeof PROCEDURE_ROLES)[ProcedurePath],
  ][]) {
    for (const role of ['admin', 'agent', 'viewer', null] as const) {
      const permitted =
        allowed === 'public' || (role !== null && (allowed as readonly Role[]).includes(role));
      const expected = permitted ? 'allowed' : role === null ? 'UNAUTHORIZED' : 'FORBIDDEN';
      it(`${path} as ${role ?? 'anonymous'}: ${expected}`, async () => {
        const client = await api.as(role);
        const call = CALLS[path];
        const outcome = await codeOf(call.run(client, admin));
        if (permitted) expect(call.allowed ?? ['OK']).toContain(outcome);
        else expect(outcome).toBe(expected);
      });
    }
  }
});
