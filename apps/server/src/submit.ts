import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Intake } from './intake';
import {
  chooseLanguage,
  FIELD_MAX,
  FORM_CSP,
  FORM_FIELDS,
  renderCreated,
  renderForm,
  renderMessage,
} from './submit-page';
import type { FieldProblem, FormField, FormLanguage } from './submit-page';

/** Cookie holding the browser's CSRF nonce (double-submit: the form carries an HMAC of it). */
export const FORM_COOKIE = 'sy_form';
/** A form may be sent up to this long after it was served. */
const TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
/** Largest form body accepted (the fields' limits add up to far less). */
const MAX_FORM_BYTES = 64 * 1024;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

export interface RateLimit {
  /** Submissions allowed per address in one window. */
  readonly max: number;
  readonly windowMs: number;
}

export const DEFAULT_SUBMIT_RATE_LIMIT: RateLimit = { max: 10, windowMs: 10 * 60 * 1000 };

export interface SubmitHandlerOptions {
  readonly intake: Intake;
  /** HMAC key of the CSRF tokens (kept in the data dir, so open forms survive a restart). */
  readonly secret: string;
  readonly now: () => number;
  /** Cookies get `Secure` when the public URL is https. */
  readonly secureCookies: boolean;
  readonly rateLimit?: RateLimit;
  readonly log: (line: string) => void;
}

/**
 * Fixed-window counter per client address. Old windows are dropped as the map grows, so a flood
 * from many addresses cannot exhaust memory.
 */
export function createRateLimiter(limit: RateLimit, now: () => number) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    /** Counts one request; returns the ms to wait when the address is over its limit, else 0. */
    hit(key: string): number {
      const at = now();
      let window = windows.get(key);
      if (window === undefined || window.resetAt <= at) {
        if (windows.size >= 10_000) {
          for (const [k, w] of windows) if (w.resetAt <= at) windows.delete(k);
        }
        window = { count: 0, resetAt: at + limit.windowMs };
        windows.set(key, window);
      }
      window.count++;
      return window.count > limit.max ? window.resetAt - at : 0;
    },
  };
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

const emailCheck = z.email();

/** Trims the fields and names what is wrong with each, in the form's own terms. */
export function validateForm(values: Readonly<Partial<Record<FormField, string>>>): {
  readonly values: Record<FormField, string>;
  readonly problems: Partial<Record<FormField, FieldProblem>>;
} {
  const clean = {} as Record<FormField, string>;
  const problems: Partial<Record<FormField, FieldProblem>> = {};
  for (const field of FORM_FIELDS) {
    const value = (values[field] ?? '').replace(/\r\n?/g, '\n').trim();
    clean[field] = value;
    if (value === '') problems[field] = 'required';
    // UTF-16 units, as the page's maxlength counts them.
    else if (value.length > FIELD_MAX[field]) problems[field] = 'tooLong';
    else if (field === 'email' && !emailCheck.safeParse(value).success) problems[field] = 'invalid';
  }
  return { values: clean, problems };
}

/**
 * The public web form at `/submit` (issue 4 §4): a server-rendered page in English or Chinese
 * that needs no JavaScript, creates a ticket through the same intake as the REST API (channel
 * `web`) and shows its number. CSRF: a random nonce in an httpOnly SameSite=Strict cookie, and in
 * the form an HMAC over it, a form id and the time (2 hours valid). Floods: POSTs per address are
 * limited (429 with Retry-After). Every value on the page is escaped.
 */
export function createSubmitHandler(options: SubmitHandlerOptions) {
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULT_SUBMIT_RATE_LIMIT, options.now);

  function sign(nonce: string, formId: string, issuedAt: number): string {
    return createHmac('sha256', options.secret)
      .update(`${nonce}.${formId}.${issuedAt}`)
      .digest('base64url');
  }

  function issueToken(nonce: string): string {
    const formId = randomBytes(16).toString('base64url');
    const issuedAt = options.now();
    return `${formId}.${issuedAt}.${sign(nonce, formId, issuedAt)}`;
  }

  /** The form id when the token was issued for this nonce, within its lifetime; else null. */
  function verifyToken(nonce: string | null, token: string | undefined): string | null {
    if (nonce === null || !NONCE.test(nonce) || token === undefined) return null;
    const [formId = '', issued = '', mac = '', ...rest] = token.split('.');
    if (rest.length > 0 || !/^[A-Za-z0-9_-]{22}$/.test(formId) || !/^\d{1,15}$/.test(issued)) {
      return null;
    }
    const issuedAt = Number(issued);
    const age = options.now() - issuedAt;
    if (age < 0 || age > TOKEN_TTL_MS) return null;
    const expected = Buffer.from(sign(nonce, formId, issuedAt));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? formId : null;
  }

  function send(
    res: ServerResponse,
    status: number,
    body: string,
    headers: Readonly<Record<string, string | string[]>> = {},
    head = false,
  ): void {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      'content-security-policy': FORM_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
      vary: 'Accept-Language, Cookie',
      ...headers,
    });
    res.end(head ? undefined : body);
  }

  /** The browser's nonce, or a new one with the Set-Cookie header that gives it to it. */
  function nonceFor(req: IncomingMessage): { nonce: string; setCookie: Record<string, string> } {
    const existing = readCookie(req, FORM_COOKIE);
    if (existing !== null && NONCE.test(existing)) return { nonce: existing, setCookie: {} };
    const nonce = randomBytes(32).toString('base64url');
    return {
      nonce,
      setCookie: {
        'set-cookie': `${FORM_COOKIE}=${nonce}; Path=/submit; HttpOnly; SameSite=Strict${options.secureCookies ? '; Secure' : ''}`,
      },
    };
  }

  function showForm(req: IncomingMessage, res: ServerResponse, lang: FormLanguage): void {
    const { nonce, setCookie } = nonceFor(req);
    send(
      res,
      200,
      renderForm({ lang, token: issueToken(nonce), values: {}, problems: {} }),
      setCookie,
      req.method === 'HEAD',
    );
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams | 'tooLarge'> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) return 'tooLarge';
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > MAX_FORM_BYTES) return 'tooLarge';
      chunks.push(chunk);
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  async function submit(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const queryLang = url.searchParams.get('lang');
    let lang = chooseLanguage(queryLang, req.headers['accept-language']);
    const wait = limiter.hit(clientAddress(req));
    if (wait > 0) {
      const minutes = Math.max(1, Math.ceil(wait / 60_000));
      send(res, 429, renderMessage(lang, 'limited', minutes), {
        'retry-after': String(Math.ceil(wait / 1000)),
        connection: 'close',
      });
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      send(res, 415, renderMessage(lang, 'unsupported'), { connection: 'close' });
      return;
    }
    const form = await readForm(req);
    if (form === 'tooLarge') {
      send(res, 413, renderMessage(lang, 'tooLarge'), { connection: 'close' });
      return;
    }
    lang = chooseLanguage(form.get('lang') ?? queryLang, req.headers['accept-language']);
    const raw: Partial<Record<FormField, string>> = {};
    for (const field of FORM_FIELDS) raw[field] = form.get(field) ?? '';
    const { nonce, setCookie } = nonceFor(req);
    const formId = verifyToken(readCookie(req, FORM_COOKIE), form.get('csrf') ?? undefined);
    if (formId === null) {
      // Shown again with a fresh token and what was typed, so nothing is lost.
      send(
        res,
        403,
        renderForm({
          lang,
          token: issueToken(nonce),
          values: raw,
          problems: {},
          banner: 'expired',
        }),
        setCookie,
      );
      return;
    }
    const { values, problems } = validateForm(raw);
    if (Object.keys(problems).length > 0) {
      send(res, 400, renderForm({ lang, token: form.get('csrf') ?? '', values, problems }));
      return;
    }
    if (!options.intake.chooseFlowVersion('web').ok) {
      options.log('web form: no published flow is bound to the web channel');
      send(
        res,
        503,
        renderForm({
          lang,
          token: form.get('csrf') ?? '',
          values,
          problems: {},
          banner: 'unavailable',
        }),
        {
          'retry-after': '60',
        },
      );
      return;
    }
    const { ticket, created } = await options.intake.createTicket(
      {
        subject: values.subject,
        description: values.description,
        channel: 'web',
        customer: { name: values.name, email: values.email.toLowerCase(), language: lang },
      },
      // One form, one ticket: sending the same form again (double click, reload) finds it.
      { idempotencyKey: `web:${formId}` },
    );
    send(res, created ? 201 : 200, renderCreated(lang, ticket.number, values.email, created));
  }

  /** Handles `/submit`; returns false for other paths. */
  return async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<boolean> {
    if (url.pathname !== '/submit' && url.pathname !== '/submit/') return false;
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      showForm(
        req,
        res,
        chooseLanguage(url.searchParams.get('lang'), req.headers['accept-language']),
      );
    } else if (method === 'POST') {
      await submit(req, res, url);
    } else {
      res.writeHead(405, { allow: 'GET, HEAD, POST', 'content-length': '0' });
      res.end();
    }
    return true;
  };
}
