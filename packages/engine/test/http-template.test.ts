import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getBodyFormat,
  renderBodyTemplate,
  renderHeaderTemplate,
  renderJsonTemplate,
  renderUrlTemplate,
  toWellFormed,
} from '../src/http-template';
import { buildFlow, createRecordingEffects, createTestEngine } from './fixtures';

const values = (fields: Record<string, unknown>, subject = 'help') => ({
  ticket: { number: 'CS20260302001', subject, priority: 'high', tags: ['a', 'b'], fields },
  links: { ticket: 'http://localhost:3000/tickets/CS20260302001' },
});

describe('JSON bodies', () => {
  it('a whole-string placeholder keeps the value’s JSON type', () => {
    const body = renderJsonTemplate(
      '{"amount":"{{ticket.fields.amount}}","vip":"{{ticket.fields.vip}}","id":"{{ticket.fields.id}}","none":"{{ticket.fields.missing}}","tags":"{{ticket.tags}}"}',
      values({ amount: 42.5, vip: true, id: 'A-1' }),
    );
    expect(JSON.parse(body)).toEqual({
      amount: 42.5,
      vip: true,
      id: 'A-1',
      none: null,
      tags: ['a', 'b'],
    });
  });

  it('a placeholder inside a longer string is escaped as string content', () => {
    const subject = 'say "hi"}, "admin": true, "x": {"\\ \n';
    const body = renderJsonTemplate(
      '{"summary": "Ticket {{ticket.number}}: {{ticket.subject}}", "n": 1}',
      values({}, subject),
    );
    expect(JSON.parse(body)).toEqual({ summary: `Ticket CS20260302001: ${subject}`, n: 1 });
  });

  it('a bare placeholder becomes a JSON value', () => {
    const body = renderJsonTemplate(
      '{"n": {{ticket.fields.n}}, "s": {{ticket.subject}}, "m": {{ticket.fields.m}}}',
      values({ n: 7 }, '1, "admin": true'),
    );
    expect(JSON.parse(body)).toEqual({ n: 7, s: '1, "admin": true', m: null });
  });

  it('a string with escaped quotes around a placeholder is still one string', () => {
    const body = renderJsonTemplate('{"q": "\\"{{ticket.subject}}\\""}', values({}, '"}'));
    expect(JSON.parse(body)).toEqual({ q: '""}"' });
  });

  const keysOf = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(keysOf)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keysOf(v)]))
        : 'value';

  it('property: for any customer text the body parses with the template’s keys', () => {
    const template =
      '{"subject":"{{ticket.subject}}","summary":"Re: {{ticket.subject}} ({{ticket.fields.orderId}})","order":{"id":"{{ticket.fields.orderId}}","n":{{ticket.fields.n}}},"labels":["x","{{ticket.fields.orderId}}"]}';
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' })),
        fc.oneof(fc.string(), fc.string({ unit: 'binary' })),
        fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.string()),
        (subject, orderId, n) => {
          const parsed = JSON.parse(
            renderJsonTemplate(template, values({ orderId, n }, subject)),
          ) as Record<string, unknown>;
          expect(Object.keys(parsed)).toEqual(['subject', 'summary', 'order', 'labels']);
          expect(parsed.subject).toBe(subject);
          expect(parsed.summary).toBe(`Re: ${subject} (${orderId})`);
          // JSON has no NaN, Infinity or -0.
          const json = typeof n !== 'number' ? n : Number.isFinite(n) ? n + 0 : null;
          expect(parsed.order).toEqual({ id: orderId, n: json });
          expect(parsed.labels).toEqual(['x', orderId]);
          expect(keysOf(parsed)).toEqual(
            keysOf(JSON.parse(template.replaceAll(/\{\{[^{}]*\}\}/g, 'null'))),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('URLs', () => {
  it('encodes each value as one URL component', () => {
    expect(
      renderUrlTemplate(
        'https://oms.example.com/orders/{{ticket.fields.orderId}}?q={{ticket.subject}}',
        values({ orderId: '../admin?x=1#y' }, 'a&b=c d'),
      ),
    ).toBe('https://oms.example.com/orders/..%2Fadmin%3Fx%3D1%23y?q=a%26b%3Dc%20d');
  });

  it('a lone surrogate in a value does not make the call fail', () => {
    expect(
      renderUrlTemplate('https://x.example.com/{{ticket.subject}}', values({}, 'a\uD800')),
    ).toBe('https://x.example.com/a%EF%BF%BD');
  });

  it('property: host, path segments and query keys never change', () => {
    const template =
      'https://oms.example.com/api/{{ticket.fields.orderId}}/items/{{ticket.fields.n}}?by={{ticket.subject}}&t=1';
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite' }),
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({
            unit: fc.integer({ min: 0xd7f0, max: 0xdfff }).map((c) => String.fromCharCode(c)),
          }),
        ),
        fc.oneof(fc.integer(), fc.string()),
        (subject, orderId, n) => {
          const url = new URL(renderUrlTemplate(template, values({ orderId, n }, subject)));
          expect(url.host).toBe('oms.example.com');
          const segments = url.pathname.split('/');
          expect(segments).toHaveLength(5);
          expect([segments[1], segments[3]]).toEqual(['api', 'items']);
          expect(decodeURIComponent(segments[2] ?? '')).toBe(toWellFormed(orderId));
          expect(url.hash).toBe('');
          expect([...url.searchParams.keys()]).toEqual(['by', 't']);
          expect(url.searchParams.get('by')).toBe(toWellFormed(subject));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('headers and other bodies', () => {
  it('control characters in a header value cannot start a new header', () => {
    expect(renderHeaderTemplate('claim-{{ticket.subject}}', values({}, 'x\r\nX-Admin: 1'))).toBe(
      'claim-x  X-Admin: 1',
    );
  });

  it('the content type decides the body format; without one, JSON-shaped bodies are JSON', () => {
    expect(getBodyFormat('a={{ticket.subject}}', { 'Content-Type': 'application/json' })).toBe(
      'json',
    );
    expect(getBodyFormat('{}', { 'content-type': 'application/vnd.api+json' })).toBe('json');
    expect(getBodyFormat('{}', { 'content-type': 'text/plain' })).toBe('text');
    expect(getBodyFormat('{"a": "{{ticket.subject}}"}', {})).toBe('json');
    expect(getBodyFormat('Hello {{ticket.subject}}', {})).toBe('text');
    expect(
      renderBodyTemplate(
        'subject={{ticket.subject}}&n=1',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        values({}, 'a&n=2'),
      ),
    ).toBe('subject=a%26n%3D2&n=1');
    expect(renderBodyTemplate('Hi {{ticket.subject}}', {}, values({}, '"x"'))).toBe('Hi "x"');
  });
});

describe('the HTTP action escapes what the customer wrote', () => {
  it('a subject with quotes and braces leaves the body valid JSON and the URL path intact', async () => {
    const flow = buildFlow(
      [
        {
          id: 'call',
          kind: 'action',
          config: {
            type: 'http',
            method: 'POST',
            url: 'https://crm.example.com/orders/{{ticket.fields.orderId}}/notes',
            headers: { 'Content-Type': 'application/json' },
            body: '{"note": "From {{ticket.customer.name}}: {{ticket.subject}}", "order": "{{ticket.fields.orderId}}", "amount": "{{ticket.fields.amount}}"}',
          },
        },
        { id: 'done', kind: 'end', config: { outcome: 'resolved' } },
      ],
      ['in.next -> call', 'call.success -> done', 'call.failure -> done'],
      {
        ticketFields: [
          { key: 'orderId', label: 'Order', type: 'string' },
          { key: 'amount', label: 'Amount', type: 'number' },
        ],
      },
    );
    const effects = createRecordingEffects();
    const { engine } = createTestEngine({ flow, effects });
    const subject = 'broken"}, "amount": 0, "x": {"';
    await engine.createTicket(
      {
        subject,
        channel: 'web',
        customer: { name: 'Ann "A"' },
        fields: { orderId: '1/../../admin?', amount: 99.5 },
      },
      { flowVersionId: 'v1' },
    );
    await engine.deliverDueEffects();
    const payload = effects.delivered[0]?.payload as { url: string; body: string };
    expect(payload.url).toBe('https://crm.example.com/orders/1%2F..%2F..%2Fadmin%3F/notes');
    expect(JSON.parse(payload.body)).toEqual({
      note: `From Ann "A": ${subject}`,
      order: '1/../../admin?',
      amount: 99.5,
    });
  });
});
