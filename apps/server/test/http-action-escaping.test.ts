// HTTP actions fill {{ticket.…}} placeholders with customer text: through the real engine and the
// real HTTP effect, a hostile subject and order number reach the receiver as data, never as
// request structure (issue: engine gaps found by the template work).
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileFlow } from '@switchyard/compiler';
import { createEngine, createMemoryStore } from '@switchyard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerEffects } from '../src/effects';
import { createTempDir } from './support/temp';

const received: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];
const receiver = createHttpServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({ headers: req.headers, body, url: req.url ?? '' });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ note: { id: 'N-1' } }));
  });
});
let port = 0;
const dir = createTempDir();

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  dir[Symbol.dispose]();
});

function flowCalling(url: string, body: string) {
  return {
    schemaVersion: 1,
    id: 'crm-note',
    name: 'CRM note',
    ticketFields: [
      { key: 'orderId', label: 'Order', type: 'string' },
      { key: 'amount', label: 'Amount', type: 'number' },
    ],
    teams: [{ id: 'support', name: 'Support' }],
    nodes: [
      {
        id: 'in',
        kind: 'intake',
        position: { x: 0, y: 0 },
        config: { channels: ['api'], acknowledge: false },
      },
      // No Content-Type: the body is JSON once filled, so it is filled and sent as JSON.
      { id: 'call', kind: 'action', position: { x: 1, y: 0 }, config: { type: 'http', url, body } },
      { id: 'ok', kind: 'end', position: { x: 2, y: 0 }, config: { outcome: 'resolved' } },
      { id: 'ko', kind: 'end', position: { x: 2, y: 1 }, config: { outcome: 'closed' } },
    ],
    edges: [
      { id: 'a', source: 'in', sourcePort: 'next', target: 'call' },
      { id: 'b', source: 'call', sourcePort: 'success', target: 'ok' },
      { id: 'c', source: 'call', sourcePort: 'failure', target: 'ko' },
    ],
  };
}

describe('an HTTP action with customer text in its placeholders', () => {
  it('sends valid JSON with the template’s keys to the URL path the flow names', async () => {
    const flow = flowCalling(
      `http://127.0.0.1:${port}/orders/{{ticket.fields.orderId}}/notes?from={{ticket.customer.name}}`,
      '{"note": "{{ticket.subject}}", "order": "{{ticket.fields.orderId}}", "amount": "{{ticket.fields.amount}}"}',
    );
    const { machine, sourceMap, diagnostics } = compileFlow(flow);
    if (machine === undefined || sourceMap === undefined)
      throw new Error(JSON.stringify(diagnostics));
    const store = createMemoryStore({
      versions: [{ id: 'v1', flowId: 'crm-note', contentHash: 'h', machine, sourceMap }],
      agents: [],
    });
    const now = Date.UTC(2026, 0, 1, 9);
    const engine = createEngine({
      store,
      clock: { now: () => now },
      effects: createServerEffects({
        dataDir: dir.path,
        webhookSecret: 'secret-for-tests-0123456789',
        outboundAllowlist: ['127.0.0.1'],
        now: () => now,
      }),
      links: { ticket: (n) => `/t/${n}`, survey: (n) => `/s/${n}`, approval: (n) => `/a/${n}` },
      timeZone: 'UTC',
      createId: () => 't1',
    });
    const subject = 'Refund "now"}, "amount": 0, "admin": {"x": true}';
    const { ticket } = await engine.createTicket(
      {
        subject,
        channel: 'api',
        customer: { name: 'Eve&admin=1#x' },
        fields: { orderId: '7/../../admin?drop=1', amount: 12.5 },
      },
      { flowVersionId: 'v1' },
    );
    await engine.deliverDueEffects();

    const [request, ...more] = received;
    expect(more).toEqual([]);
    if (request === undefined) throw new Error('the receiver got no request');
    const url = new URL(request.url, 'http://127.0.0.1');
    expect(url.pathname).toBe('/orders/7%2F..%2F..%2Fadmin%3Fdrop%3D1/notes');
    expect([...url.searchParams.entries()]).toEqual([['from', 'Eve&admin=1#x']]);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      note: subject,
      order: '7/../../admin?drop=1',
      amount: 12.5,
    });
    expect((await store.getTicketById(ticket.id))?.currentNodes).toEqual(['ok']);
  });
});
