import { describe, expect, it } from 'vitest';
import { createServer, loadConfig } from '../src/index';
import { createTempDir } from './support/temp';

const TOKEN = 'concurrency-token-0123456789';

describe('after a restart', () => {
  it('concurrent first requests all create their tickets (engine first-use race)', async () => {
    using dir = createTempDir();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: dir.path,
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
    });
    const options = { log: () => undefined, tickMs: 3_600_000, seedSamples: false };
    await (await createServer(config, options)).close();
    const server = await createServer(config, options);
    try {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${server.url}/api/v1/tickets`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              subject: i % 2 === 0 ? 'Cannot log in' : 'Invoice is wrong',
              customer: { email: `c${i}@example.com` },
            }),
          }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 201));
      const numbers = await Promise.all(
        replies.map(async (r) => ((await r.json()) as { number: string }).number),
      );
      expect(new Set(numbers).size).toBe(20);
      await server.tick();
      const sends = await Promise.all(
        numbers.map((number) =>
          fetch(`${server.url}/api/v1/tickets/${number}/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'COMMENT.ADDED', by: 'li', text: 'looking' }),
          }),
        ),
      );
      expect(sends.map((r) => r.status)).toEqual(sends.map(() => 200));
    } finally {
      await server.close();
    }
    // Cold again: concurrent events on existing tickets are the first use of the version.
    const again = await createServer(config, options);
    try {
      const list = (await (
        await fetch(`${again.url}/api/v1/tickets?limit=100`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json()) as { items: { number: string }[] };
      const sends = await Promise.all(
        list.items.map((ticket) =>
          fetch(`${again.url}/api/v1/tickets/${ticket.number}/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'AGENT.RESOLVED', by: 'li' }),
          }),
        ),
      );
      expect(sends.map((r) => r.status)).toEqual(sends.map(() => 200));
    } finally {
      await again.close();
    }
  });
});
