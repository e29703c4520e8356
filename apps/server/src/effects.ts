import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableStreamDefaultReader } from 'node:stream/web';
import type { DeliveryOutcome, EffectRecord, Effects } from '@switchyard/engine';
import { z } from 'zod';
import { buildOutboundMessage, isRetryableSmtpError } from './mail/outbound';
import type { MailTransport } from './mail/outbound';
import { checkOutboundUrl, OutboundRefusedError } from './ssrf';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signing';

/** Largest response body read from an outbound call; the rest is cut off. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

const emailPayload = z.object({
  to: z.array(z.string()),
  subject: z.string(),
  body: z.string(),
  ticket: z.string().optional(),
});
const webhookPayload = z.object({ url: z.string(), text: z.string(), ticket: z.unknown() });
const httpPayload = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().default(''),
  timeoutMs: z.number().int().positive().max(60_000).default(DEFAULT_TIMEOUT_MS),
});

const outboxMailSchema = z.object({
  idempotencyKey: z.string(),
  at: z.string(),
  ticket: z.string().nullable(),
  to: z.array(z.string()),
  subject: z.string(),
  body: z.string(),
  // Lines written before mails carried these read as null.
  from: z.string().nullable().default(null),
  messageId: z.string().nullable().default(null),
  inReplyTo: z.string().nullable().default(null),
});

/** One e-mail kept in the local outbox (the demo, when no SMTP_OUT_URL is configured). */
export interface OutboxMail {
  readonly idempotencyKey: string;
  readonly at: string;
  readonly ticket: string | null;
  readonly to: readonly string[];
  /** The subject as sent: `[<ticket number>]` in front. */
  readonly subject: string;
  readonly body: string;
  readonly from: string | null;
  /** With angle brackets; a reply's In-Reply-To names it. */
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
}

/** Outbound e-mail: who it is from, how it is sent, how it threads. */
export interface MailEffectsOptions {
  /** From address of notifications (SMTP_SUPPORT_ADDRESS, so replies come back to the intake). */
  readonly from: string;
  /** SMTP transport (SMTP_OUT_URL); without one, mails go to the local outbox. */
  readonly transport?: MailTransport | undefined;
  /** The customer's own Message-IDs on a ticket, oldest first (In-Reply-To/References). */
  readonly thread?: (ticketId: string) => readonly string[];
  /** Records an outbound Message-ID for threading replies, before the mail goes out. */
  readonly record?: (messageId: string, ticketId: string) => void;
}

export interface ServerEffectsOptions {
  /** Where `mail-outbox.jsonl` is kept. */
  readonly dataDir: string;
  readonly webhookSecret: string;
  readonly outboundAllowlist: readonly string[];
  readonly now: () => number;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Injected for tests: host → addresses. */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
  /** Outbound e-mail (default: from support@localhost into the outbox). */
  readonly mail?: MailEffectsOptions;
}

export const MAIL_OUTBOX_FILE = 'mail-outbox.jsonl';

/** Reads the local mail outbox (newest last). */
export function readMailOutbox(dataDir: string): OutboxMail[] {
  const path = join(dataDir, MAIL_OUTBOX_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => outboxMailSchema.parse(JSON.parse(line)));
}

/**
 * A body the engine filled in as JSON (it is JSON once filled) goes out as `application/json`
 * when the flow set no content type; fetch would otherwise label it `text/plain`.
 */
function withJsonContentType(
  headers: Record<string, string>,
  body: string,
): Record<string, string> {
  if (body === '' || Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
    return headers;
  try {
    JSON.parse(body);
  } catch {
    return headers;
  }
  return { ...headers, 'content-type': 'application/json' };
}

function failure(
  error: string,
  retryable: boolean,
  response?: { status: number; body: unknown },
): DeliveryOutcome {
  return response === undefined
    ? { ok: false, error, retryable }
    : { ok: false, error, retryable, response };
}

async function readLimited(response: Response): Promise<string> {
  if (response.body === null) return '';
  // Typed by hand: without the DOM lib, @types/node leaves the reader's chunks untyped.
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The server's Effects: e-mail through SMTP (SMTP_OUT_URL) or into a local outbox file, in-app
 * notifications recorded by the outbox row itself, webhooks signed with HMAC-SHA256 and HTTP
 * calls, both behind the SSRF guard, with timeouts, no redirects and a response size limit.
 */
export function createServerEffects(options: ServerEffectsOptions): Effects {
  const doFetch = options.fetch ?? fetch;
  const outboxPath = join(options.dataDir, MAIL_OUTBOX_FILE);
  let sentKeys: Set<string> | null = null;

  async function deliverEmail(effect: EffectRecord): Promise<DeliveryOutcome> {
    const parsed = emailPayload.safeParse(effect.payload);
    if (!parsed.success) return failure(`Malformed e-mail effect: ${parsed.error.message}`, false);
    const mailOptions = options.mail;
    const message = buildOutboundMessage({
      from: mailOptions?.from ?? 'support@localhost',
      to: parsed.data.to,
      subject: parsed.data.subject,
      body: parsed.data.body,
      ticketNumber: parsed.data.ticket ?? null,
      idempotencyKey: effect.idempotencyKey,
      thread: mailOptions?.thread?.(effect.ticketId) ?? [],
    });
    // Recorded before it leaves, so a quick reply already finds its ticket.
    mailOptions?.record?.(message.messageId.slice(1, -1), effect.ticketId);
    if (mailOptions?.transport !== undefined) {
      try {
        await mailOptions.transport.sendMail(message);
        return { ok: true };
      } catch (error: unknown) {
        return failure(
          `SMTP delivery failed: ${error instanceof Error ? error.message : String(error)}`,
          isRetryableSmtpError(error),
        );
      }
    }
    // The idempotency key keeps a retried delivery from writing the same mail twice.
    sentKeys ??= new Set(readMailOutbox(options.dataDir).map((mail) => mail.idempotencyKey));
    if (sentKeys.has(effect.idempotencyKey)) return { ok: true };
    const mail: OutboxMail = {
      idempotencyKey: effect.idempotencyKey,
      at: new Date(options.now()).toISOString(),
      ticket: parsed.data.ticket ?? null,
      to: parsed.data.to,
      subject: message.subject,
      body: parsed.data.body,
      from: message.from,
      messageId: message.messageId,
      inReplyTo: message.inReplyTo ?? null,
    };
    // fsynced: the effect is marked delivered right after, so the line must be on disk first.
    const fd = openSync(outboxPath, 'a');
    try {
      writeSync(fd, `${JSON.stringify(mail)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    sentKeys.add(effect.idempotencyKey);
    return { ok: true };
  }

  async function send(
    effect: EffectRecord,
    request: {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
      timeoutMs: number;
    },
  ): Promise<DeliveryOutcome> {
    let url: URL;
    try {
      url = await checkOutboundUrl(request.url, options.outboundAllowlist, options.resolve);
    } catch (error: unknown) {
      if (error instanceof OutboundRefusedError) return failure(error.message, false);
      throw error;
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers: { ...request.headers, 'idempotency-key': effect.idempotencyKey },
        ...(request.method !== 'GET' && request.method !== 'HEAD' && { body: request.body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
    } catch (error: unknown) {
      return failure(
        `${request.method} ${url.host} failed: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
    }
    const body = parseBody(await readLimited(response));
    const result = { status: response.status, body };
    if (response.status >= 200 && response.status < 300) return { ok: true, response: result };
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    const reason =
      response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return failure(
      `${request.method} ${url.host} answered ${response.status}${reason}`,
      retryable,
      result,
    );
  }

  return {
    async deliver(effect) {
      switch (effect.kind) {
        case 'email':
          return deliverEmail(effect);
        case 'in-app':
          // The delivered outbox row is the notification; the console reads it from there.
          return { ok: true };
        case 'webhook': {
          const parsed = webhookPayload.safeParse(effect.payload);
          if (!parsed.success)
            return failure(`Malformed webhook effect: ${parsed.error.message}`, false);
          const body = JSON.stringify({
            text: parsed.data.text,
            ticket: parsed.data.ticket,
            idempotencyKey: effect.idempotencyKey,
          });
          const timestamp = String(Math.floor(options.now() / 1000));
          return send(effect, {
            method: 'POST',
            url: parsed.data.url,
            headers: {
              'content-type': 'application/json',
              [TIMESTAMP_HEADER]: timestamp,
              [SIGNATURE_HEADER]: signWebhook(options.webhookSecret, timestamp, body),
            },
            body,
            timeoutMs: DEFAULT_TIMEOUT_MS,
          });
        }
        case 'http': {
          const parsed = httpPayload.safeParse(effect.payload);
          if (!parsed.success)
            return failure(`Malformed HTTP effect: ${parsed.error.message}`, false);
          return send(effect, {
            ...parsed.data,
            headers: withJsonContentType(parsed.data.headers, parsed.data.body),
            method: parsed.data.method.toUpperCase(),
          });
        }
      }
    },
  };
}
