import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, generateToken, loadConfig, readMailOutbox } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { createTempDir } from './support/temp';

const WRITE_TOKEN = 'test-bootstrap-token-0123456789';
let readToken = '';
let noScopeToken = '';
const dir = createTempDir();
let server: SwitchyardServer;

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  options: {
    token?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
    raw?: string;
  } = {},
): Promise<Reply> {
  const token = options.token === undefined ? WRITE_TOKEN : options.token;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.raw !== undefined && { body: options.raw }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

function issuePaths(reply: Reply): string[] {
  const error = reply.body.error as { issues: { path: string }[] };
  return error.issues.map((issue) => issue.path);
}

const VIP_LOGIN = {
  subject: '无法登录后台 — password reset loop',
  description: 'Since this morning our admins cannot log in to the console.',
  channel: 'web',
  customer: { name: 'Alice Zhang', email: 'alice@corp.example', tier: 'vip', language: 'zh-CN' },
};

beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SWITCHYARD_DATA_DIR: dir.path,
    SWITCHYARD_BOOTSTRAP_TOKEN: WRITE_TOKEN,
    SWITCHYARD_ADMIN_PASSWORD: 'correct horse battery',
    SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
  });
  server = await createServer(config, {
    log: () => undefined,
    seedSamples: false,
    tickMs: 3_600_000, // the test ticks by hand
  });
  readToken = generateToken();
  server.repository.createToken(readToken, 'reader', ['tickets:read'], null);
  noScopeToken = generateToken();
  server.repository.createToken(noScopeToken, 'nothing', [], null);
});

afterAll(async () => {
  await server.close();
  dir[Symbol.dispose]();
});

describe('first start', () => {
  it('publishes the templates, binds saas-login and creates the admin and the bootstrap token', () => {
    expect(server.seed.published.map((p) => p.flowId)).toContain('saas-login');
    expect(server.seed.published[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(server.seed.admin).toEqual({ email: 'admin@localhost', generatedPassword: null });
    expect(server.seed.bootstrapTokenCreated).toBe(true);
    expect(server.repository.getBoundFlowId('email')).toBe('saas-login');
  });

  it('stores API tokens only as SHA-256 hashes', () => {
    const db = new Database(join(dir.path, 'switchyard.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT "tokenHash", "scopes" FROM "ApiToken"').all() as {
        tokenHash: string;
        scopes: string;
      }[];
      expect(rows.map((r) => r.tokenHash)).not.toContain(WRITE_TOKEN);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
      expect(rows.map((r) => r.scopes)).toContain('tickets:write tickets:read');
    } finally {
      db.close();
    }
  });
});

describe('health', () => {
  it('answers /healthz, /readyz and the OpenAPI document', async () => {
    expect((await call('GET', '/healthz', { token: null })).status).toBe(200);
    expect(await call('GET', '/readyz', { token: null })).toMatchObject({
      status: 200,
      body: { status: 'ready' },
    });
    const openapi = await call('GET', '/api/v1/openapi.json', { token: null });
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths as object)).toEqual([
      '/tickets',
      '/tickets/{number}',
      '/tickets/{number}/events',
    ]);
  });

  it('answers 404 with the error shape for unknown paths', async () => {
    const reply = await call('GET', '/api/v1/nope', { token: null });
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('POST /api/v1/tickets', () => {
  it('creates a ticket, starts its flow and returns 201 with its number', async () => {
    const reply = await call('POST', '/api/v1/tickets', { body: VIP_LOGIN });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      number: expect.stringMatching(/^CS\d{11}$/),
      channel: 'web',
      category: 'fault',
      priority: 'high',
      team: 'tech',
    });
    expect(reply.headers.get('location')).toBe(`/api/v1/tickets/${String(reply.body.number)}`);

    const detail = await call('GET', `/api/v1/tickets/${String(reply.body.number)}`, {
      token: readToken,
    });
    expect(detail.status).toBe(200);
    expect(detail.body.customer).toMatchObject({ email: 'alice@corp.example', tier: 'vip' });
    const nodes = detail.body.currentNodes as { id: string; label: string }[];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes[0]?.label).not.toBe('');
    expect((detail.body.sla as { responseDueAt: string | null }).responseDueAt).not.toBeNull();
    const history = detail.body.history as { type: string }[];
    expect(history[0]?.type).toBe('TICKET.CREATED');
  });

  it('uses the channel binding by default and takes an explicit flow', async () => {
    const byChannel = await call('POST', '/api/v1/tickets', {
      body: { subject: 'Invoice shows the wrong VAT number', channel: 'email' },
    });
    expect(byChannel.status).toBe(201);
    const explicit = await call('POST', '/api/v1/tickets', {
      body: { subject: 'Feature question', flow: 'saas-login', channel: 'chat' },
    });
    expect(explicit.status).toBe(201);
    const unbound = await call('POST', '/api/v1/tickets', {
      body: { subject: 'Feature question', channel: 'chat' },
    });
    expect(unbound.status).toBe(400);
    expect(issuePaths(unbound)).toEqual(['flow']);
    const unknownFlow = await call('POST', '/api/v1/tickets', {
      body: { subject: 'Feature question', flow: 'no-such-flow' },
    });
    expect(unknownFlow.status).toBe(400);
    expect(issuePaths(unknownFlow)).toEqual(['flow']);
  });

  it('returns the same ticket for the same Idempotency-Key (200) and creates nothing', async () => {
    const headers = { 'idempotency-key': 'order-4711' };
    const first = await call('POST', '/api/v1/tickets', { body: VIP_LOGIN, headers });
    const before = await call('GET', '/api/v1/tickets?limit=100');
    const again = await call('POST', '/api/v1/tickets', { body: VIP_LOGIN, headers });
    const after = await call('GET', '/api/v1/tickets?limit=100');
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.number).toBe(first.body.number);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((after.body.items as unknown[]).length).toBe((before.body.items as unknown[]).length);
  });

  it('answers 400 naming every bad field', async () => {
    const reply = await call('POST', '/api/v1/tickets', {
      body: {
        subject: '',
        channel: 'fax',
        customer: { email: 'not-an-email', tier: 'gold', shoeSize: 42 },
        fields: { ok: 'yes', bad: { nested: true } },
        priority: 'urgent',
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'invalid_request' } });
    expect(issuePaths(reply).sort()).toEqual(
      [
        '(body)', // unknown key `priority`
        'channel',
        'customer', // unknown key `shoeSize`
        'customer.email',
        'customer.tier',
        'fields.bad',
        'subject',
      ].sort(),
    );
  });

  it('answers 400 for a body that is not JSON or not an object, and a bad Idempotency-Key', async () => {
    const broken = await call('POST', '/api/v1/tickets', {
      raw: '{"subject": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { code: 'invalid_json' } });
    const array = await call('POST', '/api/v1/tickets', { body: [1, 2] });
    expect(array.status).toBe(400);
    const key = await call('POST', '/api/v1/tickets', {
      body: VIP_LOGIN,
      headers: { 'idempotency-key': 'a'.repeat(300) },
    });
    expect(key.status).toBe(400);
    expect(issuePaths(key)).toEqual(['Idempotency-Key']);
  });

  it('answers 401 without a token or with a bad one', async () => {
    const none = await call('POST', '/api/v1/tickets', { token: null, body: VIP_LOGIN });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toMatchObject({ error: { code: 'unauthorized' } });
    const bad = await call('POST', '/api/v1/tickets', { token: 'sy_wrong', body: VIP_LOGIN });
    expect(bad.status).toBe(401);
    const basic = await call('GET', '/api/v1/tickets', {
      token: null,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(basic.status).toBe(401);
  });

  it('answers 403 when the token lacks the scope', async () => {
    const readOnly = await call('POST', '/api/v1/tickets', { token: readToken, body: VIP_LOGIN });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body).toMatchObject({ error: { code: 'forbidden' } });
    const noRead = await call('GET', '/api/v1/tickets', { token: noScopeToken });
    expect(noRead.status).toBe(403);
  });

  it('answers 413 over 1 MB', async () => {
    const reply = await call('POST', '/api/v1/tickets', {
      body: { ...VIP_LOGIN, description: 'x'.repeat(1024 * 1024 + 1) },
    });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 415 for non-JSON', async () => {
    const reply = await call('POST', '/api/v1/tickets', {
      raw: 'subject=help',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(415);
    expect(reply.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const none = await call('POST', '/api/v1/tickets', { raw: '{"subject":"x"}' });
    expect(none.status).toBe(415);
  });

  it('answers 405 for other methods', async () => {
    const reply = await call('DELETE', '/api/v1/tickets');
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET, POST');
  });
});

describe('GET /api/v1/tickets', () => {
  it('lists newest first with cursor pagination and filters', async () => {
    const all = await call('GET', '/api/v1/tickets?limit=100', { token: readToken });
    expect(all.status).toBe(200);
    const numbers = (all.body.items as { number: string }[]).map((t) => t.number);
    expect(numbers.length).toBeGreaterThanOrEqual(4);
    expect([...numbers].sort().reverse()).toEqual(numbers);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await call('GET', `/api/v1/tickets?limit=2${query}`, { token: readToken });
      expect(page.status).toBe(200);
      pages.push(...(page.body.items as { number: string }[]).map((t) => t.number));
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(pages).toEqual(numbers);

    const email = await call('GET', '/api/v1/tickets?channel=email', { token: readToken });
    expect((email.body.items as { channel: string }[]).every((t) => t.channel === 'email')).toBe(
      true,
    );
    expect((email.body.items as unknown[]).length).toBe(1);
  });

  it('answers 400 for a bad query', async () => {
    const reply = await call('GET', '/api/v1/tickets?limit=0&status=lost&cursor=zzz&x=1', {
      token: readToken,
    });
    expect(reply.status).toBe(400);
    expect(issuePaths(reply).sort()).toEqual(['(body)', 'limit', 'status']);
    const cursor = await call('GET', '/api/v1/tickets?cursor=zzz', { token: readToken });
    expect(cursor.status).toBe(400);
    expect(issuePaths(cursor)).toEqual(['cursor']);
  });

  it('answers 404 for an unknown ticket', async () => {
    const reply = await call('GET', '/api/v1/tickets/CS20000101999', { token: readToken });
    expect(reply.status).toBe(404);
  });
});

describe('POST /api/v1/tickets/{number}/events', () => {
  it('applies an accepted event, 409 for one the current state does not take, 400 for unknown', async () => {
    const created = await call('POST', '/api/v1/tickets', { body: VIP_LOGIN });
    const number = String(created.body.number);
    const early = await call('POST', `/api/v1/tickets/${number}/events`, {
      body: { type: 'SURVEY.ANSWERED', score: 5, resolved: true },
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'event_not_accepted' } });

    const unknown = await call('POST', `/api/v1/tickets/${number}/events`, {
      body: { type: 'TICKET.EXPLODED' },
    });
    expect(unknown.status).toBe(400);
    expect(issuePaths(unknown)).toEqual(['type']);

    const resolved = await call('POST', `/api/v1/tickets/${number}/events`, {
      body: { type: 'AGENT.RESOLVED', by: 'li' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');

    const history = await call('GET', `/api/v1/tickets/${number}`);
    expect((history.body.history as { type: string }[]).map((e) => e.type)).toContain(
      'AGENT.RESOLVED',
    );
  });

  it('answers 401/403/404/415 like the intake', async () => {
    const path = '/api/v1/tickets/CS20000101999/events';
    const event = { type: 'AGENT.RESOLVED' };
    expect((await call('POST', path, { token: null, body: event })).status).toBe(401);
    expect((await call('POST', path, { token: readToken, body: event })).status).toBe(403);
    expect((await call('POST', path, { body: event })).status).toBe(404);
    expect(
      (await call('POST', path, { raw: 'x', headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(415);
  });
});

describe('scheduler', () => {
  it('delivers the acknowledgement e-mail into the local outbox', async () => {
    const created = await call('POST', '/api/v1/tickets', { body: VIP_LOGIN });
    await server.tick();
    const mails = readMailOutbox(dir.path);
    const mine = mails.filter((mail) => mail.ticket === created.body.number);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]?.to).toContain('alice@corp.example');
    // A second pass delivers nothing twice.
    await server.tick();
    expect(readMailOutbox(dir.path).filter((mail) => mail.ticket === created.body.number)).toEqual(
      mine,
    );
  });
});

describe('readiness', () => {
  it('answers 503 when a migration is not applied', async () => {
    const db = new Database(join(dir.path, 'switchyard.db'));
    try {
      const last = db
        .prepare('SELECT * FROM "_switchyard_migrations" ORDER BY "name" DESC LIMIT 1')
        .get() as { name: string; checksum: string; appliedAt: string };
      db.prepare('DELETE FROM "_switchyard_migrations" WHERE "name" = ?').run(last.name);
      const reply = await call('GET', '/readyz', { token: null });
      expect(reply.status).toBe(503);
      expect(String(reply.body.reason)).toContain(last.name);
      db.prepare('INSERT INTO "_switchyard_migrations" VALUES (?, ?, ?)').run(
        last.name,
        last.checksum,
        last.appliedAt,
      );
      expect((await call('GET', '/readyz', { token: null })).status).toBe(200);
    } finally {
      db.close();
    }
  });
});
