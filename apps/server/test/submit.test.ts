// The public web form at /submit through real HTTP: form → token → ticket number, CSRF refusals,
// per-field validation in both languages, escaping, rate limit.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { chooseLanguage, escapeHtml, renderForm } from '../src/submit-page';
import { createTempDir } from './support/temp';

const dir = createTempDir();
const templatesDir = join(dir.path, 'templates');
mkdirSync(templatesDir);
symlinkSync(
  fileURLToPath(new URL('../../../templates/saas-login', import.meta.url)),
  join(templatesDir, 'saas-login'),
);
let server: SwitchyardServer;
let limited: SwitchyardServer;

async function start(name: string, max: number): Promise<SwitchyardServer> {
  return createServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SMTP_PORT: 'off',
      SWITCHYARD_DATA_DIR: join(dir.path, name),
      SWITCHYARD_ADMIN_PASSWORD: 'correct horse battery',
    }),
    {
      templatesDir,
      log: () => undefined,
      seedSamples: false,
      tickMs: 3_600_000,
      submitRateLimit: { max, windowMs: 60_000 },
    },
  );
}

beforeAll(async () => {
  server = await start('main', 1000);
  limited = await start('limited', 3);
}, 60_000);
afterAll(async () => {
  await server.close();
  await limited.close();
  dir[Symbol.dispose]();
}, 60_000);

interface Form {
  readonly cookie: string;
  readonly token: string;
  readonly page: string;
  readonly response: Response;
}

async function getForm(
  base = server.url,
  headers: Record<string, string> = {},
  path = '/submit',
): Promise<Form> {
  const response = await fetch(`${base}${path}`, { headers });
  const page = await response.text();
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sy_form=')) ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return { cookie: cookie.split(';')[0] ?? '', token, page, response };
}

async function post(
  fields: Record<string, string>,
  options: { cookie?: string; base?: string; path?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; page: string; headers: Headers }> {
  const response = await fetch(`${options.base ?? server.url}${options.path ?? '/submit'}`, {
    method: 'POST',
    headers: { ...(options.cookie && { cookie: options.cookie }), ...options.headers },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, page: await response.text(), headers: response.headers };
}

const VALID = {
  name: 'Li Wei',
  email: 'li.wei@example.cn',
  subject: '无法登录后台',
  description: '从今天早上开始，管理员无法登录控制台。',
};

function ticketNumber(page: string): string {
  const match = /id="ticket-number">(CS\d{11,})</.exec(page);
  if (match?.[1] === undefined) throw new Error(`no ticket number on the page:\n${page}`);
  return match[1];
}

describe('web form', () => {
  it('serves the form in the browser language with a CSRF cookie and token, no scripts allowed', async () => {
    const form = await getForm(server.url, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(form.response.status).toBe(200);
    expect(form.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(form.page).toContain('<html lang="zh-CN">');
    expect(form.page).toContain('联系客服');
    expect(form.cookie).toMatch(/^sy_form=[A-Za-z0-9_-]{43}$/);
    expect(form.response.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(form.token).not.toBe('');
    const csp = form.response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    // The page's only style is allowed by its hash, so the browser applies it.
    const style = /<style>([\s\S]*?)<\/style>/.exec(form.page)?.[1] ?? '';
    expect(style).toContain('font-family');
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    // ?lang= switches, whatever the browser prefers.
    const english = await getForm(server.url, { 'accept-language': 'zh-CN' }, '/submit?lang=en');
    expect(english.page).toContain('<html lang="en">');
    expect(english.page).toContain('Contact support');
  }, 60_000);

  it('creates a ticket on the web channel and shows its number; sending the same form again finds it', async () => {
    const form = await getForm(server.url, { 'accept-language': 'zh-CN' });
    const sent = await post({ ...VALID, csrf: form.token, lang: 'zh-CN' }, { cookie: form.cookie });
    expect(sent.status).toBe(201);
    expect(sent.page).toContain('谢谢，我们已收到您的请求。');
    const number = ticketNumber(sent.page);
    const record = await server.store.getTicketByNumber(number);
    expect(record?.ticket).toMatchObject({
      channel: 'web',
      subject: VALID.subject,
      description: VALID.description,
      customer: { name: 'Li Wei', email: 'li.wei@example.cn', language: 'zh-CN' },
    });
    // The flow bound to the web channel runs.
    expect(record?.currentNodes.length).toBeGreaterThan(0);
    expect(record?.currentNodes).not.toContain('intake');

    const again = await post(
      { ...VALID, csrf: form.token, lang: 'zh-CN' },
      { cookie: form.cookie },
    );
    expect(again.status).toBe(200);
    expect(ticketNumber(again.page)).toBe(number);
    expect(again.page).toContain('该请求此前已收到。');
  }, 60_000);

  it('refuses a POST without the cookie, with a token for another cookie, or a forged token', async () => {
    const form = await getForm();
    const other = await getForm();
    const before = server.repository.listTickets({ limit: 100 }).length;
    const refusals = [
      await post({ ...VALID, csrf: form.token }),
      await post({ ...VALID, csrf: other.token }, { cookie: form.cookie }),
      await post({ ...VALID, csrf: `${form.token.slice(0, -2)}AA` }, { cookie: form.cookie }),
      await post({ ...VALID }, { cookie: form.cookie }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.page).toContain('This form has expired or did not come from this site.');
      // What was typed is kept, and a fresh token lets the user send it again.
      expect(refused.page).toContain('value="li.wei@example.cn"');
    }
    expect(server.repository.listTickets({ limit: 100 }).length).toBe(before);
    // The fresh token in a refusal page works with the cookie it came with.
    const retryToken = /name="csrf" value="([^"]+)"/.exec(refusals[1]?.page ?? '')?.[1] ?? '';
    const retried = await post({ ...VALID, csrf: retryToken }, { cookie: form.cookie });
    expect(retried.status).toBe(201);
  }, 60_000);

  it('names every bad field in the page, in English or Chinese', async () => {
    const form = await getForm();
    const bad = {
      name: '  ',
      email: 'not-an-address',
      subject: '',
      description: 'x'.repeat(10_001),
      csrf: form.token,
    };
    const english = await post({ ...bad, lang: 'en' }, { cookie: form.cookie });
    expect(english.status).toBe(400);
    expect(english.page).toContain('Please correct the fields marked below.');
    expect(english.page).toContain('<p class="error" id="name-error">Enter your name.</p>');
    expect(english.page).toContain(
      '<p class="error" id="email-error">Enter an e-mail address like name@example.com.</p>',
    );
    expect(english.page).toContain(
      '<p class="error" id="subject-error">Enter a short subject.</p>',
    );
    expect(english.page).toContain(
      '<p class="error" id="description-error">Too long: use at most 10000 characters.</p>',
    );
    expect(english.page.match(/aria-invalid="true"/g)).toHaveLength(4);
    const chinese = await post({ ...bad, lang: 'zh-CN' }, { cookie: form.cookie });
    expect(chinese.page).toContain('<p class="error" id="name-error">请填写您的姓名。</p>');
    expect(chinese.page).toContain('内容过长：最多 10000 个字符。');
    // Only the bad fields are marked.
    const one = await post({ ...VALID, email: 'a@', csrf: form.token }, { cookie: form.cookie });
    expect(one.status).toBe(400);
    expect(one.page.match(/aria-invalid="true"/g)).toHaveLength(1);
    expect(one.page).toContain('id="email-error"');
  }, 60_000);

  it('escapes what the user typed', async () => {
    const form = await getForm();
    const attack = {
      name: '<script>alert(1)</script>',
      email: '"><img src=x onerror=alert(2)>',
      subject: "' onmouseover='alert(3)",
      description: '</textarea><script>alert(4)</script>',
      csrf: form.token,
    };
    const refused = await post(attack, { cookie: form.cookie });
    expect(refused.status).toBe(400);
    expect(refused.page).not.toMatch(/<script>|<img|onmouseover='/);
    expect(refused.page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(refused.page).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"');
    expect(refused.page).toContain(
      '&lt;/textarea&gt;&lt;script&gt;alert(4)&lt;/script&gt;</textarea>',
    );
    // A created ticket keeps the text as it was typed; the page shows it escaped.
    const created = await post(
      { ...attack, email: 'x@example.com', csrf: form.token },
      { cookie: form.cookie },
    );
    expect(created.status).toBe(201);
    expect(created.page).not.toContain('<script>');
    const record = await server.store.getTicketByNumber(ticketNumber(created.page));
    expect(record?.ticket.customer.name).toBe('<script>alert(1)</script>');
  }, 60_000);

  it('answers other methods and bodies plainly: 405, 415, 413', async () => {
    const put = await fetch(`${server.url}/submit`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const json = await fetch(`${server.url}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(VALID),
    });
    expect(json.status).toBe(415);
    const huge = await post({ ...VALID, description: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
  }, 60_000);
});

describe('web form flood protection', () => {
  it('answers 429 with Retry-After once an address sent too many forms; the form still loads', async () => {
    const form = await getForm(limited.url);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await post({ csrf: form.token }, { cookie: form.cookie, base: limited.url })).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400]);
    const blocked = await post(
      { ...VALID, csrf: form.token },
      { cookie: form.cookie, base: limited.url },
    );
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(blocked.page).toContain(
      'Too many requests from your address. Please try again in 1 min.',
    );
    expect(limited.repository.listTickets({ limit: 10 }).length).toBe(0);
    expect((await getForm(limited.url)).response.status).toBe(200);
  }, 60_000);
});

describe('form rendering', () => {
  it('chooses the language from ?lang=, then Accept-Language by q, else English', () => {
    expect(chooseLanguage(null, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(chooseLanguage(null, 'en-US,en;q=0.9,zh;q=0.8')).toBe('en');
    expect(chooseLanguage(null, 'fr, zh-TW;q=0.5')).toBe('zh-CN');
    expect(chooseLanguage(null, 'en;q=0.2, zh;q=0.7')).toBe('zh-CN');
    expect(chooseLanguage(null, 'zh;q=0, en')).toBe('en');
    expect(chooseLanguage(null, 'de')).toBe('en');
    expect(chooseLanguage(null, undefined)).toBe('en');
    expect(chooseLanguage('zh-cn', 'en')).toBe('zh-CN');
    expect(chooseLanguage('<script>', 'zh')).toBe('zh-CN');
  });

  it('never lets typed text add markup (property)', () => {
    const empty = renderForm({ lang: 'en', token: 't', values: {}, problems: {} });
    const tags = (page: string) => (page.match(/</g) ?? []).length;
    fc.assert(
      fc.property(
        fc.record({
          name: fc.string(),
          email: fc.string(),
          subject: fc.string(),
          description: fc.string(),
        }),
        (values) => {
          const page = renderForm({ lang: 'en', token: 't', values, problems: {} });
          expect(tags(page)).toBe(tags(empty));
          expect(page).toContain(`value="${escapeHtml(values.name)}"`);
          expect(page).toContain(`>${escapeHtml(values.description)}</textarea>`);
        },
      ),
    );
  });
});
