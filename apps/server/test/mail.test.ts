// E-mail intake through a real SMTP client (nodemailer) against the real server on random ports:
// tickets, threading by subject tag and by In-Reply-To, refusals with their SMTP codes, the spool.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig, readMailOutbox } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { createMailSpool } from '../src/mail/spool';
import { createTempDir } from './support/temp';

const dir = createTempDir();
// Only the demo template (bound to the email channel): the test does not depend on the others.
const templatesDir = join(dir.path, 'templates');
mkdirSync(templatesDir);
symlinkSync(
  fileURLToPath(new URL('../../../templates/saas-login', import.meta.url)),
  join(templatesDir, 'saas-login'),
);
const MAX_BYTES = 64 * 1024;
let server: SwitchyardServer;
const logs: string[] = [];

function config() {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SMTP_PORT: '0',
    SMTP_SUPPORT_ADDRESS: 'Support@Help.Example',
    SMTP_MAX_MESSAGE_SIZE: String(MAX_BYTES),
    SWITCHYARD_DATA_DIR: dir.path,
    SWITCHYARD_ADMIN_PASSWORD: 'correct horse battery',
    SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
  });
}

async function start(): Promise<SwitchyardServer> {
  return createServer(config(), {
    templatesDir,
    log: (line) => logs.push(line),
    seedSamples: false,
    tickMs: 3_600_000, // the test ticks by hand
  });
}

async function send(message: SendMailOptions): Promise<string> {
  const port = server.smtpPort;
  if (port === null) throw new Error('SMTP intake is off');
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = (await transport.sendMail({
      to: 'support@help.example',
      ...message,
    })) as { response: string };
    return info.response;
  } finally {
    transport.close();
  }
}

/** The SMTP reply code of a refused send. */
async function refusal(message: SendMailOptions): Promise<number> {
  try {
    await send(message);
  } catch (error: unknown) {
    return (error as { responseCode?: number }).responseCode ?? -1;
  }
  throw new Error('the mail was accepted');
}

function ticketNumberIn(response: string): string {
  const match = /ticket (CS\d{11,})/.exec(response);
  if (match?.[1] === undefined) throw new Error(`no ticket number in "${response}"`);
  return match[1];
}

async function history(number: string) {
  const record = await server.store.getTicketByNumber(number);
  if (record === null) throw new Error(`${number} does not exist`);
  return (await server.store.listEvents(record.id)).map((entry) => entry.event);
}

function countTickets(): number {
  const db = new Database(join(dir.path, 'switchyard.db'), { readonly: true });
  try {
    return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM "Ticket"').get()?.n ?? 0;
  } finally {
    db.close();
  }
}

const ALICE = '"Alice Zhang" <alice@corp.example>';
let first = '';
const FIRST_ID = '<first-mail.1@corp.example>';

beforeAll(async () => {
  server = await start();
}, 60_000);
afterAll(async () => {
  await server.close();
  dir[Symbol.dispose]();
}, 60_000);

describe('e-mail intake', () => {
  it('creates a ticket on the email channel from a mail to the support address', async () => {
    const response = await send({
      from: ALICE,
      subject: 'Cannot log in since the update',
      text: 'Every login ends on the password reset page.\n\nAlice',
      messageId: FIRST_ID,
    });
    expect(response).toMatch(/^250 /);
    first = ticketNumberIn(response);
    const record = await server.store.getTicketByNumber(first);
    expect(record?.ticket).toMatchObject({
      channel: 'email',
      subject: 'Cannot log in since the update',
      description: 'Every login ends on the password reset page.\n\nAlice',
      customer: { name: 'Alice Zhang', email: 'alice@corp.example' },
    });
    // The flow bound to the email channel started: the ticket moved past intake.
    expect(record?.currentNodes.length).toBeGreaterThan(0);
    expect(record?.currentNodes).not.toContain('intake');
    expect(readdirSync(join(dir.path, 'mail-spool')).filter((n) => n.endsWith('.eml'))).toEqual([]);
  }, 60_000);

  it('takes the same Message-ID once', async () => {
    const before = countTickets();
    const response = await send({
      from: ALICE,
      subject: 'Cannot log in since the update',
      text: 'Every login ends on the password reset page.',
      messageId: FIRST_ID,
    });
    expect(response).toContain(`already received (ticket ${first})`);
    expect(countTickets()).toBe(before);
  }, 60_000);

  it('threads a reply by the [CS…] tag in its subject, without the quoted mail', async () => {
    const response = await send({
      from: ALICE,
      subject: `Re: [${first}] Cannot log in since the update`,
      text: 'It also happens in Firefox.\n\nOn Mon, 1 Jan 2026, Support wrote:\n> We received your request',
    });
    expect(response).toContain(`reply added to ticket ${first}`);
    expect(await history(first)).toContainEqual({
      type: 'CUSTOMER.REPLIED',
      from: 'alice@corp.example',
      message: 'It also happens in Firefox.',
    });
  }, 60_000);

  it('threads a reply by In-Reply-To, also from another sender', async () => {
    const response = await send({
      from: 'Bob <bob@corp.example>',
      subject: 'Same here',
      text: 'Our whole team is locked out.',
      inReplyTo: FIRST_ID,
      references: [FIRST_ID],
      messageId: '<bob-1@corp.example>',
    });
    expect(response).toContain(`reply added to ticket ${first}`);
    expect(await history(first)).toContainEqual({
      type: 'CUSTOMER.REPLIED',
      from: 'bob@corp.example',
      message: 'Our whole team is locked out.',
    });
  }, 60_000);

  it('threads a reply to an outbound notification by its recorded Message-ID', async () => {
    await server.tick(); // delivers the acknowledgement into the outbox
    const ack = readMailOutbox(dir.path).find((mail) => mail.ticket === first);
    expect(ack?.subject).toContain(`[${first}]`);
    expect(ack?.from).toBe('support@help.example');
    expect(ack?.messageId).toMatch(/^<.+@help\.example>$/);
    // It answers the customers' latest mail on the ticket: one thread in their mail client.
    expect(ack?.inReplyTo).toBe('<bob-1@corp.example>');
    const response = await send({
      from: ALICE,
      subject: 'Re: your mail',
      text: 'Thanks, waiting.',
      inReplyTo: ack?.messageId ?? '',
    });
    expect(response).toContain(`reply added to ticket ${first}`);
  }, 60_000);

  it('opens a new ticket when a stranger uses a ticket number in the subject', async () => {
    const response = await send({
      from: 'mallory@elsewhere.example',
      subject: `[${first}] please reset this account's password`,
      text: 'Hi',
    });
    const number = ticketNumberIn(response);
    expect(response).toContain('created');
    expect(number).not.toBe(first);
    expect(
      (await history(first)).filter(
        (event) => event.type === 'CUSTOMER.REPLIED' && event.from === 'mallory@elsewhere.example',
      ),
    ).toEqual([]);
  }, 60_000);

  it('opens a follow-up ticket for a reply to a ticket that has ended', async () => {
    const response = await send({
      from: 'carol@corp.example',
      subject: 'Invoice missing',
      text: 'Where is my invoice?',
      messageId: '<carol-1@corp.example>',
    });
    const number = ticketNumberIn(response);
    await server.engine.send(number, { type: 'AGENT.RESOLVED', by: 'agent' });
    await server.engine.send(number, { type: 'SURVEY.ANSWERED', score: 5, resolved: true });
    expect((await server.store.getTicketByNumber(number))?.done).toBe(true);
    const followUp = await send({
      from: 'carol@corp.example',
      subject: `Re: [${number}] Invoice missing`,
      text: 'It is missing again.',
    });
    expect(followUp).toContain(`follow-up to ${number}`);
    const next = await server.store.getTicketByNumber(ticketNumberIn(followUp));
    expect(next?.ticket.description).toBe(
      `Follow-up to ${number}, which had ended.\n\nIt is missing again.`,
    );
    expect(next?.ticket.tags).toContain('follow-up');
  }, 60_000);
});

describe('e-mail refusals', () => {
  it('refuses a mail over the size limit with 552 and keeps nothing', async () => {
    const before = countTickets();
    const code = await refusal({
      from: ALICE,
      subject: 'Logs attached',
      text: 'x'.repeat(MAX_BYTES + 1000),
    });
    expect(code).toBe(552);
    expect(countTickets()).toBe(before);
  }, 60_000);

  it('refuses a malformed mail with 554', async () => {
    const code = await refusal({
      envelope: { from: 'alice@corp.example', to: ['support@help.example'] },
      raw: 'this is not a mail at all\r\n',
    });
    expect(code).toBe(554);
  }, 60_000);

  it('refuses a mail whose From has no address with 554', async () => {
    const code = await refusal({
      envelope: { from: 'alice@corp.example', to: ['support@help.example'] },
      raw: 'From: nobody\r\nSubject: hi\r\n\r\nbody\r\n',
    });
    expect(code).toBe(554);
  }, 60_000);

  it('refuses an unknown recipient with 550', async () => {
    const code = await refusal({ from: ALICE, to: 'sales@help.example', subject: 'x', text: 'y' });
    expect(code).toBe(550);
  }, 60_000);

  it('refuses auto-replies with 550 (no mail loops with our notifications)', async () => {
    const before = countTickets();
    const code = await refusal({
      from: ALICE,
      subject: 'Out of office',
      text: 'I am away.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(code).toBe(550);
    expect(countTickets()).toBe(before);
  }, 60_000);
});

describe('the spool', () => {
  it('processes mails accepted before a crash at the next start, originals before replies', async () => {
    await server.close();
    // What a crash leaves: mails fsynced into the spool (answered 250), never processed.
    const spool = createMailSpool(dir.path, Date.now);
    await spool.write(
      Buffer.from(
        'From: Dan <dan@corp.example>\r\nTo: support@help.example\r\nSubject: VPN down\r\n' +
          'Message-ID: <dan-1@corp.example>\r\n\r\nThe VPN drops every minute.\r\n',
      ),
    );
    await spool.write(
      Buffer.from(
        'From: Dan <dan@corp.example>\r\nTo: support@help.example\r\nSubject: Re: VPN down\r\n' +
          'Message-ID: <dan-2@corp.example>\r\nIn-Reply-To: <dan-1@corp.example>\r\n\r\n' +
          'Now it does not connect at all.\r\n',
      ),
    );
    server = await start();
    expect(spool.list()).toEqual([]);
    const db = new Database(join(dir.path, 'switchyard.db'), { readonly: true });
    const rows = db
      .prepare<[], { messageId: string; number: string }>(
        `SELECT m."messageId", t."number" FROM "MailMessage" m JOIN "Ticket" t ON t."id" = m."ticketId"
         WHERE m."messageId" LIKE 'dan-%' ORDER BY m."messageId"`,
      )
      .all();
    db.close();
    expect(rows.map((row) => row.messageId)).toEqual(['dan-1@corp.example', 'dan-2@corp.example']);
    expect(rows[0]?.number).toBe(rows[1]?.number);
    const events = await history(rows[0]?.number ?? '');
    expect(events).toContainEqual({
      type: 'CUSTOMER.REPLIED',
      from: 'dan@corp.example',
      message: 'Now it does not connect at all.',
    });
  }, 60_000);

  it('does not add a reply twice when the crash came after its step but before it was recorded', async () => {
    const spool = createMailSpool(dir.path, Date.now);
    await spool.write(
      Buffer.from(
        `From: ${ALICE}\r\nTo: support@help.example\r\nSubject: Re: [${first}] again\r\n` +
          'Message-ID: <alice-late@corp.example>\r\n\r\nStill broken.\r\n',
      ),
    );
    // The step went through (as if processed), then the process died before recording the mail.
    await server.engine.send(first, {
      type: 'CUSTOMER.REPLIED',
      from: 'alice@corp.example',
      message: 'Still broken.',
    });
    await server.close();
    server = await start();
    const replies = (await history(first)).filter(
      (event) => event.type === 'CUSTOMER.REPLIED' && event.message === 'Still broken.',
    );
    expect(replies).toHaveLength(1);
    expect(spool.list()).toEqual([]);
  }, 60_000);

  it('finishes a mail being received when the server shuts down, then stops accepting', async () => {
    const port = server.smtpPort ?? 0;
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    let received = '';
    socket.on('data', (chunk: string) => (received += chunk));
    const reply = async (code: string) => {
      for (let i = 0; i < 400 && !new RegExp(`^${code} `, 'm').test(received); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const line = received.split('\r\n').find((l) => l.startsWith(`${code} `));
      received = '';
      if (line === undefined) throw new Error(`no ${code} reply`);
      return line;
    };
    await reply('220');
    for (const [command, code] of [
      ['EHLO client.example', '250'],
      ['MAIL FROM:<erin@corp.example>', '250'],
      ['RCPT TO:<support@help.example>', '250'],
      ['DATA', '354'],
    ] as const) {
      socket.write(`${command}\r\n`);
      await reply(code);
    }
    socket.write('From: erin@corp.example\r\nSubject: Printer on fire\r\n');
    const closing = server.close(); // SIGTERM while the mail is half sent
    socket.write('Message-ID: <erin-1@corp.example>\r\n\r\nReally.\r\n.\r\n');
    const accepted = await reply('250');
    socket.end();
    await closing;
    const number = ticketNumberIn(accepted);
    // Stopped accepting: nobody listens on the port any more.
    await expect(
      new Promise((resolve, reject) => {
        const probe = connect(port, '127.0.0.1');
        probe.on('connect', () => {
          probe.destroy();
          resolve('connected');
        });
        probe.on('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    server = await start();
    expect((await server.store.getTicketByNumber(number))?.ticket.subject).toBe('Printer on fire');
  }, 60_000);

  it('answers new mail after the restart', async () => {
    const response = await send({ from: ALICE, subject: `Re: [${first}] ok`, text: 'Works now.' });
    expect(response).toContain(`reply added to ticket ${first}`);
  }, 60_000);
});
