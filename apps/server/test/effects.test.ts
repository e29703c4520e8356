import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EffectRecord } from '@switchyard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createServerEffects } from '../src/effects';
import { createSmtpTransport } from '../src/mail/outbound';
import { readMailOutbox, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../src/index';
import { createTempDir } from './support/temp';

const SECRET = 'webhook-secret-for-tests-0123';
const received: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];
let status = 200;
const receiver = createHttpServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({ headers: req.headers, body, url: req.url ?? '' });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: status < 300, echo: body.length }));
  });
});
let base = '';
const dir = createTempDir();

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  dir[Symbol.dispose]();
});

function effect(
  kind: EffectRecord['kind'],
  payload: EffectRecord['payload'],
  key = 'k1',
): EffectRecord {
  return {
    id: `e-${key}`,
    ticketId: 't1',
    idempotencyKey: key,
    kind,
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: '2026-01-01T00:00:00.000Z',
    lastError: null,
  };
}

const NOW = Date.UTC(2026, 0, 1, 9);

describe('webhooks', () => {
  it('are signed with HMAC-SHA256 over timestamp + body, which the receiver verifies', async () => {
    const effects = createServerEffects({
      dataDir: dir.path,
      webhookSecret: SECRET,
      outboundAllowlist: ['127.0.0.1'],
      now: () => NOW,
    });
    const outcome = await effects.deliver(
      effect('webhook', {
        nodeId: 'notify',
        url: `${base}/hook`,
        text: 'New VIP ticket',
        ticket: { number: 'CS1' },
      }),
    );
    expect(outcome.ok).toBe(true);
    const request = received.at(-1);
    expect(request?.headers['idempotency-key']).toBe('k1');
    const signature = String(request?.headers[SIGNATURE_HEADER]);
    const timestamp = String(request?.headers[TIMESTAMP_HEADER]);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(timestamp).toBe(String(NOW / 1000));
    const body = request?.body ?? '';
    expect(JSON.parse(body)).toMatchObject({ text: 'New VIP ticket', ticket: { number: 'CS1' } });
    expect(verifyWebhook(SECRET, { signature, timestamp }, body, NOW / 1000)).toBe(true);
    expect(verifyWebhook('wrong-secret', { signature, timestamp }, body, NOW / 1000)).toBe(false);
    expect(verifyWebhook(SECRET, { signature, timestamp }, `${body} `, NOW / 1000)).toBe(false);
    expect(verifyWebhook(SECRET, { signature, timestamp }, body, NOW / 1000 + 3600)).toBe(false);
  });

  it('refuses loopback, private and metadata addresses unless allow-listed (not retried)', async () => {
    const effects = createServerEffects({
      dataDir: dir.path,
      webhookSecret: SECRET,
      outboundAllowlist: [],
      now: () => NOW,
    });
    const before = received.length;
    for (const url of [
      `${base}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://[::1]:9/hook',
      'http://localhost:9/hook',
    ]) {
      const outcome = await effects.deliver(effect('webhook', { url, text: 'x', ticket: null }));
      expect(outcome).toMatchObject({ ok: false, retryable: false });
    }
    expect(received.length).toBe(before);
  });

  it('retries 5xx and network errors, gives up on 4xx, never follows redirects', async () => {
    const effects = createServerEffects({
      dataDir: dir.path,
      webhookSecret: SECRET,
      outboundAllowlist: ['127.0.0.1'],
      now: () => NOW,
    });
    const hook = effect('webhook', { url: `${base}/hook`, text: 'x', ticket: null });
    status = 503;
    expect(await effects.deliver(hook)).toMatchObject({ ok: false, retryable: true });
    status = 404;
    expect(await effects.deliver(hook)).toMatchObject({ ok: false, retryable: false });
    status = 302;
    expect(await effects.deliver(hook)).toMatchObject({ ok: false, retryable: false });
    status = 200;
    const closed = effect('webhook', { url: 'http://127.0.0.1:1/hook', text: 'x', ticket: null });
    expect(await effects.deliver(closed)).toMatchObject({ ok: false, retryable: true });
  });
});

describe('http actions', () => {
  it('send the rendered request and return the response to the flow', async () => {
    const effects = createServerEffects({
      dataDir: dir.path,
      webhookSecret: SECRET,
      outboundAllowlist: ['127.0.0.1'],
      now: () => NOW,
    });
    const outcome = await effects.deliver(
      effect('http', {
        nodeId: 'lookup',
        method: 'post',
        url: `${base}/crm`,
        headers: { 'x-api': 'k' },
        body: '{"q":1}',
        timeoutMs: 5000,
      }),
    );
    expect(outcome).toEqual({ ok: true, response: { status: 200, body: { ok: true, echo: 7 } } });
    expect(received.at(-1)).toMatchObject({ url: '/crm', body: '{"q":1}' });
  });
});

describe('e-mail without SMTP_OUT_URL', () => {
  it('goes to the local outbox once per idempotency key', async () => {
    const effects = createServerEffects({
      dataDir: dir.path,
      webhookSecret: SECRET,
      outboundAllowlist: [],
      now: () => NOW,
    });
    const mail = effect(
      'email',
      { to: ['a@example.com'], subject: 'Hi', body: 'Text', ticket: 'CS1' },
      'm1',
    );
    expect(await effects.deliver(mail)).toEqual({ ok: true });
    expect(await effects.deliver(mail)).toEqual({ ok: true });
    expect(readMailOutbox(dir.path)).toEqual([
      {
        idempotencyKey: 'm1',
        at: new Date(NOW).toISOString(),
        ticket: 'CS1',
        to: ['a@example.com'],
        subject: '[CS1] Hi',
        body: 'Text',
        from: 'support@localhost',
        messageId: expect.stringMatching(/^<cs1\.[0-9a-f]{32}@localhost>$/) as unknown,
        inReplyTo: null,
      },
    ]);
    expect(await effects.deliver(effect('email', { to: 'nobody' }, 'm2'))).toMatchObject({
      ok: false,
      retryable: false,
    });
  });
});

describe('e-mail through SMTP_OUT_URL', () => {
  const inbox: { from: string; to: string[]; raw: string }[] = [];
  let reply: { code: number; message: string } | null = null;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        if (reply !== null) {
          callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
          return;
        }
        inbox.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  let smtpUrl = '';
  const recorded: [string, string][] = [];

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      smtp.close(resolve);
    });
  });

  function smtpEffects(url = smtpUrl) {
    return createServerEffects({
      dataDir: dir.path,
      webhookSecret: SECRET,
      outboundAllowlist: [],
      now: () => NOW,
      mail: {
        from: 'help@support.example',
        transport: createSmtpTransport(url),
        thread: (ticketId) =>
          ticketId === 't1' ? ['first@customer.example', 'second@customer.example'] : [],
        record: (messageId, ticketId) => recorded.push([messageId, ticketId]),
      },
    });
  }

  it('sends with the ticket tag in the subject, a recorded Message-ID and threading headers', async () => {
    const effects = smtpEffects();
    const mail = effect(
      'email',
      {
        to: ['alice@customer.example'],
        subject: 'We received your request',
        body: 'Hello Alice',
        ticket: 'CS20260101001',
      },
      'ack-1',
    );
    expect(await effects.deliver(mail)).toEqual({ ok: true });
    const sent = inbox.at(-1);
    expect(sent?.from).toBe('help@support.example');
    expect(sent?.to).toEqual(['alice@customer.example']);
    const parsed = await simpleParser(sent?.raw ?? '');
    expect(parsed.subject).toBe('[CS20260101001] We received your request');
    expect(parsed.text?.trim()).toBe('Hello Alice');
    expect(parsed.inReplyTo).toBe('<second@customer.example>');
    expect(parsed.references).toEqual(['<first@customer.example>', '<second@customer.example>']);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const messageId = parsed.messageId ?? '';
    expect(messageId).toMatch(/^<cs20260101001\.[0-9a-f]{32}@support\.example>$/);
    expect(recorded).toContainEqual([messageId.slice(1, -1), 't1']);
    // A retried delivery carries the same Message-ID, so the receiver can drop it.
    await effects.deliver(mail);
    expect((await simpleParser(inbox.at(-1)?.raw ?? '')).messageId).toBe(messageId);
    // A subject that already carries the tag keeps one.
    await effects.deliver(
      effect(
        'email',
        {
          to: ['a@customer.example'],
          subject: 'Re: [CS20260101001] x',
          body: 'y',
          ticket: 'CS20260101001',
        },
        'ack-2',
      ),
    );
    expect((await simpleParser(inbox.at(-1)?.raw ?? '')).subject).toBe('Re: [CS20260101001] x');
  });

  it('retries temporary refusals and connection failures, not permanent refusals', async () => {
    const effects = smtpEffects();
    const mail = effect(
      'email',
      { to: ['a@customer.example'], subject: 'S', body: 'B', ticket: 'CS1' },
      'r1',
    );
    reply = { code: 451, message: 'Try again later' };
    expect(await effects.deliver(mail)).toMatchObject({ ok: false, retryable: true });
    reply = { code: 550, message: 'Mailbox unavailable' };
    expect(await effects.deliver(mail)).toMatchObject({ ok: false, retryable: false });
    reply = null;
    const closedPort = smtpEffects('smtp://127.0.0.1:1');
    expect(await closedPort.deliver(mail)).toMatchObject({ ok: false, retryable: true });
  });
});
