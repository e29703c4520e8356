// The server (`bin/switchyard-server.js`, a real child process) is SIGKILLed while clients post
// tickets over REST and send mails over SMTP. After each restart every ticket that got a 201 and
// every mail that got a 250 is there, its flow running, and no Idempotency-Key made two tickets.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { createTempDir } from './support/temp';

const BIN = fileURLToPath(new URL('../bin/switchyard-server.js', import.meta.url));
const TOKEN = 'crash-test-token-0123456789';
const KILLS = 2;
const REST_CLIENTS = 6;
const MAIL_CLIENTS = 2;

interface Child {
  readonly url: Promise<string>;
  readonly smtpPort: Promise<number>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SMTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (m: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(output);
      if (match?.[1] !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match[1]);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  const waitFor = (pattern: RegExp) =>
    Promise.race([
      new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
      exited.then(({ code, signal }) => {
        throw new Error(`server exited (${code ?? signal ?? ''}) before ${pattern}:\n${output}`);
      }),
    ]);
  return {
    url: waitFor(/running at (http:\/\/\S+)/),
    smtpPort: waitFor(/E-mail +smtp:\/\/[^:\s]+:(\d+)/).then(Number),
    exited,
    output: () => output,
    kill: (signal) => child.kill(signal),
  };
}

interface Load {
  /** Idempotency-Key → ticket number, for every 201. */
  readonly created: Map<string, string>;
  /** Every key a request was started with (answered or not). */
  readonly attempted: Set<string>;
  /** Message-IDs (no brackets) of mails answered 250. */
  readonly mailed: Set<string>;
  stop(): Promise<void>;
}

function startLoad(url: string, smtpPort: number, round: number): Load {
  const created = new Map<string, string>();
  const attempted = new Set<string>();
  const mailed = new Set<string>();
  let stopped = false;
  const rest = Array.from({ length: REST_CLIENTS }, async (_, client) => {
    for (let i = 0; !stopped; i++) {
      const key = `r${round}-c${client}-${i}`;
      attempted.add(key);
      try {
        const response = await fetch(`${url}/api/v1/tickets`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify({
            subject: `Cannot log in (${key})`,
            customer: { email: `${key}@example.com` },
          }),
        });
        const body = (await response.json()) as { number?: string };
        if (response.status === 201 && body.number !== undefined) created.set(key, body.number);
        else if (response.status !== 200) throw new Error(`unexpected ${response.status}`);
      } catch {
        return; // the server is gone
      }
    }
  });
  const mail = Array.from({ length: MAIL_CLIENTS }, async (_, client) => {
    const transport = createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    try {
      for (let i = 0; !stopped; i++) {
        const messageId = `m${round}-c${client}-${i}@crash.example`;
        try {
          await transport.sendMail({
            from: `customer${client}@crash.example`,
            to: 'support@localhost',
            subject: `VPN down (${messageId})`,
            text: 'It drops every minute.',
            messageId: `<${messageId}>`,
          });
          mailed.add(messageId);
        } catch {
          return;
        }
      }
    } finally {
      transport.close();
    }
  });
  return {
    created,
    attempted,
    mailed,
    async stop() {
      stopped = true;
      await Promise.all([...rest, ...mail]);
    },
  };
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function getTicket(url: string, number: string) {
  const response = await fetch(`${url}/api/v1/tickets/${number}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      number: string;
      currentNodes: { id: string }[];
      done: boolean;
      failure: unknown;
      history: { type: string }[];
    },
  };
}

describe('crash safety of the server (SIGKILL while clients post, restart)', () => {
  it('keeps every ticket that got a 201 and every mail that got a 250, flows running, no duplicates', async () => {
    using dir = createTempDir();
    const templatesDir = join(dir.path, 'templates');
    mkdirSync(templatesDir);
    symlinkSync(
      fileURLToPath(new URL('../../../templates/saas-login', import.meta.url)),
      join(templatesDir, 'saas-login'),
    );
    const env = {
      SWITCHYARD_DATA_DIR: join(dir.path, 'data'),
      SWITCHYARD_TEMPLATES_DIR: templatesDir,
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
      SWITCHYARD_ADMIN_PASSWORD: 'correct horse battery',
    };
    const created = new Map<string, string>();
    const attempted = new Set<string>();
    const mailed = new Set<string>();

    for (let round = 0; round < KILLS; round++) {
      const child = startChild(env);
      const url = await child.url;
      const load = startLoad(url, await child.smtpPort, round);
      // Kill mid-way: once this round has acknowledged some of each, with requests in flight.
      await waitUntil(
        () => load.created.size >= 30 && load.mailed.size >= 4,
        `acknowledged work in round ${round}`,
      );
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      await load.stop();
      for (const [key, number] of load.created) created.set(key, number);
      for (const key of load.attempted) attempted.add(key);
      for (const id of load.mailed) mailed.add(id);
    }

    const final = startChild(env);
    const url = await final.url;
    try {
      // Every 201: the ticket exists with its history, and its flow runs (or has ended).
      for (const number of created.values()) {
        const { status, body } = await getTicket(url, number);
        expect(status, number).toBe(200);
        expect(body.history[0]?.type, number).toBe('TICKET.CREATED');
        expect(body.failure, number).toBeNull();
        expect(body.done || body.currentNodes.length > 0, number).toBe(true);
        expect(
          body.currentNodes.map((node) => node.id),
          number,
        ).not.toContain('intake');
      }
      // Every 250: the mail made its ticket (processed before the kill or from the spool at start).
      const db = new Database(join(env.SWITCHYARD_DATA_DIR, 'switchyard.db'), { readonly: true });
      const byMessageId = db.prepare<[string], { number: string }>(
        `SELECT t."number" FROM "MailMessage" m JOIN "Ticket" t ON t."id" = m."ticketId" WHERE m."messageId" = ?`,
      );
      const lost = [...mailed].filter((id) => byMessageId.get(id) === undefined);
      expect(lost).toEqual([]);
      for (const id of mailed) {
        const { body } = await getTicket(url, byMessageId.get(id)?.number ?? '');
        expect(body.history[0]?.type, id).toBe('TICKET.CREATED');
      }

      // Sending every key again creates nothing new for a 201 and at most one ticket per key.
      for (const key of attempted) {
        const response = await fetch(`${url}/api/v1/tickets`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify({ subject: `Cannot log in (${key})` }),
        });
        const body = (await response.json()) as { number: string };
        const known = created.get(key);
        if (known !== undefined) {
          expect(response.status, key).toBe(200);
          expect(body.number, key).toBe(known);
        } else {
          expect([200, 201], key).toContain(response.status);
        }
      }
      const apiTickets = db
        .prepare<[], { n: number }>(
          `SELECT count(*) AS n FROM "Ticket" WHERE json_extract("data", '$.subject') LIKE 'Cannot log in (r_-c%'`,
        )
        .get();
      expect(apiTickets?.n).toBe(attempted.size);
      db.close();

      // The restarted engine drives them on.
      const someNumber = [...created.values()][0] ?? '';
      const resolved = await fetch(`${url}/api/v1/tickets/${someNumber}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'AGENT.RESOLVED', by: 'crash-test' }),
      });
      expect(resolved.status).toBe(200);
      console.log(
        `${KILLS} kills: ${created.size} tickets acknowledged of ${attempted.size} requests, ${mailed.size} mails acknowledged`,
      );
    } finally {
      final.kill('SIGTERM');
      const { code } = await final.exited;
      expect(code, final.output()).toBe(0);
    }
  }, 240_000);
});
