import { createHash } from 'node:crypto';

/** Languages of the public web form. */
export const FORM_LANGUAGES = ['en', 'zh-CN'] as const;
export type FormLanguage = (typeof FORM_LANGUAGES)[number];

export const FORM_FIELDS = ['name', 'email', 'subject', 'description'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export type FieldProblem = 'required' | 'tooLong' | 'invalid';

const MESSAGES = {
  en: {
    title: 'Contact support',
    intro: 'Tell us what went wrong. We answer by e-mail and give you a ticket number to refer to.',
    labels: {
      name: 'Your name',
      email: 'E-mail address',
      subject: 'Subject',
      description: 'What happened?',
    } satisfies Record<FormField, string>,
    send: 'Send request',
    fix: 'Please correct the fields marked below.',
    problems: {
      required: {
        name: 'Enter your name.',
        email: 'Enter your e-mail address.',
        subject: 'Enter a short subject.',
        description: 'Describe the problem.',
      },
      tooLong: 'Too long: use at most {max} characters.',
      invalid: 'Enter an e-mail address like name@example.com.',
    },
    expired:
      'This form has expired or did not come from this site. Your entries are kept: check them and send again.',
    limited: 'Too many requests from your address. Please try again in {minutes} min.',
    unavailable: 'The support form is not available right now. Please try again later.',
    tooLarge: 'The request is too large. Shorten the description and try again.',
    unsupported: 'Send the form from this page.',
    thanks: 'Thank you, your request has been received.',
    already: 'This request was already received.',
    number: 'Your ticket number',
    keep: 'Keep this number. We will reply to {email}; mention the number when you write to us.',
    another: 'Send another request',
    back: 'Back to the form',
    language: 'Language',
  },
  'zh-CN': {
    title: '联系客服',
    intro: '请描述您遇到的问题。我们会通过电子邮件回复，并提供一个工单号供您查询。',
    labels: {
      name: '您的姓名',
      email: '电子邮箱',
      subject: '主题',
      description: '问题描述',
    } satisfies Record<FormField, string>,
    send: '提交',
    fix: '请修改下面标出的字段。',
    problems: {
      required: {
        name: '请填写您的姓名。',
        email: '请填写您的电子邮箱。',
        subject: '请填写简短的主题。',
        description: '请描述您遇到的问题。',
      },
      tooLong: '内容过长：最多 {max} 个字符。',
      invalid: '请填写有效的电子邮箱，例如 name@example.com。',
    },
    expired: '表单已过期或并非来自本站。您填写的内容已保留，请检查后重新提交。',
    limited: '您的地址请求过于频繁，请在 {minutes} 分钟后重试。',
    unavailable: '客服表单暂时不可用，请稍后再试。',
    tooLarge: '提交的内容过大，请缩短问题描述后重试。',
    unsupported: '请通过本页面提交表单。',
    thanks: '谢谢，我们已收到您的请求。',
    already: '该请求此前已收到。',
    number: '您的工单号',
    keep: '请保留此工单号。我们会回复到 {email}；联系我们时请注明工单号。',
    another: '提交新的请求',
    back: '返回表单',
    language: '语言',
  },
} as const;

/** Field limits of the form (the intake allows more; a web form needs less). */
export const FIELD_MAX: Readonly<Record<FormField, number>> = {
  name: 200,
  email: 254,
  subject: 200,
  description: 10_000,
};

/** HTML that is already safe: only {@link markup} makes one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  throw new TypeError('markup`` takes strings, numbers, SafeHtml or arrays of them');
}

/**
 * Tagged template for HTML: every interpolated value is escaped unless it is SafeHtml. (Not
 * named `html`, so Prettier leaves the templates alone: it would reformat their whitespace.)
 */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}

/**
 * The form's language: `?lang=` when it names one, else the best of Accept-Language (q values
 * honoured; any `zh` variant → zh-CN), else English.
 */
export function chooseLanguage(
  query: string | null,
  acceptLanguage: string | undefined,
): FormLanguage {
  const direct = FORM_LANGUAGES.find((lang) => lang.toLowerCase() === query?.toLowerCase());
  if (direct !== undefined) return direct;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1f2329}
main{max-width:40rem;margin:2rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{margin-top:0;font-size:1.5rem}
nav{float:right;font-size:.9rem}
label{display:block;font-weight:600;margin-top:1rem}
input,textarea{box-sizing:border-box;width:100%;padding:.5rem;margin-top:.25rem;font:inherit;border:1px solid #c9cdd4;border-radius:4px}
textarea{min-height:10rem}
[aria-invalid=true]{border-color:#d93026}
.error{color:#d93026;margin:.25rem 0 0}
.banner{padding:.75rem 1rem;border-radius:4px;background:#fdecea;color:#8a1f17}
.ok{background:#e8f5e9;color:#1b5e20}
.number{font-size:1.75rem;font-weight:700;letter-spacing:.05em}
button{margin-top:1.5rem;padding:.6rem 1.5rem;font:inherit;background:#1664ff;color:#fff;border:0;border-radius:4px;cursor:pointer}
`;

/** Content-Security-Policy of the form pages: no scripts at all, only this page's own style. */
export const FORM_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function page(lang: FormLanguage, body: SafeHtml): string {
  const t = MESSAGES[lang];
  const switcher = FORM_LANGUAGES.map((code, index) => {
    const label = code === 'en' ? 'English' : '简体中文';
    const separator = index > 0 ? ' · ' : '';
    return code === lang
      ? markup`${separator}<strong>${label}</strong>`
      : markup`${separator}<a href="/submit?lang=${code}" hreflang="${code}" lang="${code}">${label}</a>`;
  });
  // The style element's content must be exactly STYLE: the CSP allows it by its hash.
  return markup`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${t.title}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
<nav aria-label="${t.language}">${switcher}</nav>
${body}
</main>
</body>
</html>
`.value;
}

export interface FormState {
  readonly lang: FormLanguage;
  readonly token: string;
  readonly values: Readonly<Partial<Record<FormField, string>>>;
  readonly problems: Readonly<Partial<Record<FormField, FieldProblem>>>;
  /** A message above the form (expired token, rate limit, …). */
  readonly banner?: 'expired' | 'limited' | 'unavailable' | 'tooLarge' | 'unsupported';
  readonly retryMinutes?: number;
}

function problemText(lang: FormLanguage, field: FormField, problem: FieldProblem): string {
  const p = MESSAGES[lang].problems;
  switch (problem) {
    case 'required':
      return p.required[field];
    case 'tooLong':
      return fill(p.tooLong, { max: FIELD_MAX[field] });
    case 'invalid':
      return p.invalid;
  }
}

/** The form, with the values and per-field messages of a refused submission. */
export function renderForm(state: FormState): string {
  const { lang } = state;
  const t = MESSAGES[lang];
  const hasProblems = Object.keys(state.problems).length > 0;
  const bannerText =
    state.banner === undefined
      ? hasProblems
        ? t.fix
        : null
      : fill(t[state.banner], { minutes: state.retryMinutes ?? 1 });
  const banner =
    bannerText === null ? null : markup`<p class="banner" role="alert">${bannerText}</p>`;
  const field = (name: FormField, multiline = false) => {
    const problem = state.problems[name];
    const value = state.values[name] ?? '';
    const described =
      problem === undefined ? null : markup` aria-invalid="true" aria-describedby="${name}-error"`;
    const autocomplete =
      name === 'email' || name === 'name' ? markup` autocomplete="${name}"` : null;
    const type = name === 'email' ? 'email' : 'text';
    const control = multiline
      ? markup`<textarea id="${name}" name="${name}" required maxlength="${FIELD_MAX[name]}"${described}>${value}</textarea>`
      : markup`<input id="${name}" name="${name}" type="${type}" required maxlength="${FIELD_MAX[name]}" value="${value}"${autocomplete}${described}>`;
    const error =
      problem === undefined
        ? null
        : markup`<p class="error" id="${name}-error">${problemText(lang, name, problem)}</p>\n`;
    return markup`<label for="${name}">${t.labels[name]}</label>
${control}
${error}`;
  };
  return page(
    lang,
    markup`<h1>${t.title}</h1>
<p>${t.intro}</p>
${banner}
<form method="post" action="/submit?lang=${lang}" accept-charset="utf-8">
<input type="hidden" name="csrf" value="${state.token}">
<input type="hidden" name="lang" value="${lang}">
${field('name')}${field('email')}${field('subject')}${field('description', true)}
<button type="submit">${t.send}</button>
</form>`,
  );
}

/** The page after a ticket was created (or found again for the same form). */
export function renderCreated(
  lang: FormLanguage,
  ticketNumber: string,
  email: string,
  created: boolean,
): string {
  const t = MESSAGES[lang];
  return page(
    lang,
    markup`<h1>${t.title}</h1>
<p class="banner ok" role="status">${created ? t.thanks : t.already}</p>
<p>${t.number}</p>
<p class="number" id="ticket-number">${ticketNumber}</p>
<p>${fill(t.keep, { email })}</p>
<p><a href="/submit?lang=${lang}">${t.another}</a></p>`,
  );
}

/** A page with only a message (when there is no form to show again). */
export function renderMessage(
  lang: FormLanguage,
  message: 'limited' | 'tooLarge' | 'unsupported' | 'unavailable',
  retryMinutes = 1,
): string {
  const t = MESSAGES[lang];
  return page(
    lang,
    markup`<h1>${t.title}</h1>
<p class="banner" role="alert">${fill(t[message], { minutes: retryMinutes })}</p>
<p><a href="/submit?lang=${lang}">${t.back}</a></p>`,
  );
}
