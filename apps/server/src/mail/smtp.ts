import type { AddressInfo } from 'node:net';
import { InvalidEventError } from '@switchyard/engine';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream } from 'smtp-server';
import type { MailIntake, MailOutcome } from './mail-intake';
import { MailRejectedError, parseInboundMail } from './parse';
import type { MailSpool, SpooledMail } from './spool';

const MAX_RECIPIENTS = 20;
const MAX_CLIENTS = 100;
const CLOSE_TIMEOUT_MS = 3000;
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface MailSpoolerOptions {
  readonly spool: MailSpool;
  readonly mailIntake: MailIntake;
  readonly log: (line: string) => void;
  readonly now: () => number;
}

/**
 * Processes spooled mails: right after one is spooled (the SMTP session waits for it), and in
 * `drain()` what is left over (a crash between the 250 and the end of processing, or a failure
 * worth retrying, with backoff). Mails that can never become a ticket move to `failed/`.
 */
export function createMailSpooler(options: MailSpoolerOptions) {
  const { spool, mailIntake, log } = options;
  const busy = new Set<string>();
  const retries = new Map<string, { attempts: number; at: number }>();

  /** Processes one spooled mail; never throws (failures are logged and retried or set aside). */
  async function process(entry: SpooledMail): Promise<MailOutcome | null> {
    busy.add(entry.name);
    try {
      const mail = await parseInboundMail(await spool.read(entry));
      const outcome = await mailIntake.process(mail, entry.receivedAt);
      await spool.remove(entry);
      retries.delete(entry.name);
      return outcome;
    } catch (error: unknown) {
      if (error instanceof MailRejectedError || error instanceof InvalidEventError) {
        // It will never become a ticket: keep it aside for a person to look at.
        log(`mail ${entry.name} set aside in ${spool.dir}/failed: ${errorText(error)}`);
        await spool.fail(entry, errorText(error)).catch((failError: unknown) => {
          log(`mail ${entry.name}: could not set it aside: ${errorText(failError)}`);
        });
      } else {
        const attempts = (retries.get(entry.name)?.attempts ?? 0) + 1;
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (attempts - 1));
        retries.set(entry.name, { attempts, at: options.now() + delay });
        log(
          `mail ${entry.name} not processed (attempt ${attempts}), will retry: ${errorText(error)}`,
        );
      }
      return null;
    } finally {
      busy.delete(entry.name);
    }
  }

  /**
   * Spools a mail durably, then processes it. Its name is taken before the file appears, so a
   * concurrent drain() never picks it up too. Throws only when the mail could not be stored.
   */
  async function accept(raw: Buffer): Promise<{ entry: SpooledMail; outcome: MailOutcome | null }> {
    const name = spool.createName();
    busy.add(name);
    let entry: SpooledMail;
    try {
      entry = await spool.write(raw, name);
    } catch (error: unknown) {
      busy.delete(name);
      throw error;
    }
    return { entry, outcome: await process(entry) };
  }

  let draining: Promise<void> | null = null;
  async function drainOnce(): Promise<void> {
    for (const entry of spool.list()) {
      if (busy.has(entry.name)) continue;
      const retry = retries.get(entry.name);
      if (retry !== undefined && retry.at > options.now()) continue;
      await process(entry);
    }
  }

  return {
    accept,
    process,
    /** Processes the spooled mails not being processed now, in arrival order. */
    drain(): Promise<void> {
      draining ??= drainOnce().finally(() => {
        draining = null;
      });
      return draining;
    },
  };
}

export type MailSpooler = ReturnType<typeof createMailSpooler>;

export interface SmtpIntakeOptions {
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** The only recipient accepted (lower case). */
  readonly supportAddress: string;
  readonly maxMessageBytes: number;
  readonly mailIntake: MailIntake;
  readonly spooler: MailSpooler;
  readonly log: (line: string) => void;
  /** Name in the greeting (default: the host name of the machine). */
  readonly name?: string;
}

export interface SmtpIntake {
  /** The port it listens on. */
  readonly port: number;
  /** Stops accepting, waits for mails being received or processed, then resolves. */
  close(): Promise<void>;
}

function describe(outcome: MailOutcome): string {
  switch (outcome.kind) {
    case 'created':
      return `OK ticket ${outcome.number} created`;
    case 'replied':
      return `OK reply added to ticket ${outcome.number}`;
    case 'follow-up':
      return `OK ticket ${outcome.number} created (follow-up to ${outcome.of})`;
    case 'duplicate':
      return `OK already received${outcome.number === null ? '' : ` (ticket ${outcome.number})`}`;
  }
}

function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The inbound SMTP server (smtp-server + mailparser) in front of the mail intake. A mail is
 * refused before it is accepted when it is too big (552), not for the support address (550),
 * malformed (554), automatic (550) or cannot be taken now (451). Otherwise it is spooled and
 * fsynced BEFORE the 250, then processed; what a crash interrupts, the spooler's `drain()` does.
 */
export async function startSmtpIntake(options: SmtpIntakeOptions): Promise<SmtpIntake> {
  const { spooler, mailIntake, log } = options;
  const receiving = new Set<Promise<unknown>>();

  async function receive(stream: SMTPServerDataStream): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      // Past the limit the rest is read and dropped: the client gets its answer after DATA.
      if (size <= options.maxMessageBytes) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > options.maxMessageBytes) {
      throw new MailRejectedError(
        552,
        `5.3.4 Message too big: at most ${options.maxMessageBytes} bytes`,
      );
    }
    const raw = Buffer.concat(chunks);
    const mail = await parseInboundMail(raw);
    if (mail.automatic) {
      throw new MailRejectedError(
        550,
        '5.7.1 Automatic replies and list mail are not taken as tickets',
      );
    }
    await mailIntake.checkAcceptable(mail);
    let accepted: Awaited<ReturnType<MailSpooler['accept']>>;
    try {
      accepted = await spooler.accept(raw);
    } catch (error: unknown) {
      log(`mail spool write failed: ${errorText(error)}`);
      throw new MailRejectedError(451, '4.3.0 Could not store the message; try again later');
    }
    // Spooled before this answer: whatever processing did, the mail is ours (250).
    const { entry, outcome } = accepted;
    return outcome === null ? `OK queued as ${entry.name}` : describe(outcome);
  }

  const server = new SMTPServer({
    ...(options.name !== undefined && { name: options.name }),
    banner: 'Switchyard support intake',
    size: options.maxMessageBytes,
    rejectOversized: true,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    maxClients: MAX_CLIENTS,
    maxRecipients: MAX_RECIPIENTS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onMailFrom(address, _session, callback) {
      if (address.address === '') {
        // Bounces would open tickets for delivery reports (and could loop with our notices).
        callback(smtpError(550, '5.7.1 Bounces are not taken as tickets'));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() !== options.supportAddress) {
        callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const received = receive(stream).then(
        (message) => {
          callback(null, message);
        },
        (error: unknown) => {
          if (error instanceof MailRejectedError) {
            callback(smtpError(error.responseCode, error.message));
            return;
          }
          log(
            `mail intake: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
          callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
        },
      );
      receiving.add(received);
      void received.finally(() => receiving.delete(received));
    },
  });
  server.on('error', (error) => {
    log(`smtp: ${errorText(error)}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(resolve);
        });
        await Promise.allSettled([...receiving]);
      })();
      return closing;
    },
  };
}
