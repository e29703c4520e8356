import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { tagSubject } from './parse';

/** What the server hands to an SMTP transport (a subset of nodemailer's message options). */
export interface OutboundMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** With angle brackets, as it goes into the header. */
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

/** Sends one message; nodemailer's transporter fits, tests plug in their own. */
export interface MailTransport {
  sendMail(message: OutboundMessage): Promise<unknown>;
}

/**
 * The Message-ID of an outbound mail, derived from the effect's idempotency key: a retried
 * delivery carries the same id, so a receiver that saw the first one can drop the second.
 *
 * @example
 * createMessageId('t1:notify:0', 'CS20260101001', 'support.example.com');
 * // 'cs20260101001.1f0c…@support.example.com'
 */
export function createMessageId(
  idempotencyKey: string,
  ticketNumber: string | null,
  domain: string,
): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `${ticketNumber === null ? 'mail' : ticketNumber.toLowerCase()}.${hash}@${domain}`;
}

/**
 * Builds the outbound mail of an e-mail effect: `[<ticket number>]` in the subject (replies come
 * back to the ticket by it), a stable Message-ID, and In-Reply-To/References to the customer's
 * own mails so the conversation stays one thread in their mail client.
 */
export function buildOutboundMessage(input: {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly ticketNumber: string | null;
  readonly idempotencyKey: string;
  /** Message-IDs (no brackets) of the customer's mails on the ticket, oldest first. */
  readonly thread: readonly string[];
}): OutboundMessage {
  const domain = input.from.split('@')[1] ?? 'localhost';
  const messageId = createMessageId(input.idempotencyKey, input.ticketNumber, domain);
  const last = input.thread.at(-1);
  return {
    from: input.from,
    to: input.to,
    subject:
      input.ticketNumber === null ? input.subject : tagSubject(input.subject, input.ticketNumber),
    text: input.body,
    messageId: `<${messageId}>`,
    ...(last !== undefined && {
      inReplyTo: `<${last}>`,
      references: input.thread.map((id) => `<${id}>`),
    }),
    headers: {
      // RFC 3834: notifications are automatic; well-behaved auto-responders do not answer them.
      'Auto-Submitted': 'auto-generated',
      ...(input.ticketNumber !== null && { 'X-Switchyard-Ticket': input.ticketNumber }),
    },
  };
}

/** nodemailer's SMTP transport for `SMTP_OUT_URL`, with timeouts. */
export function createSmtpTransport(url: string): MailTransport {
  const transporter = createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    sendMail: ({ to, headers, references, ...rest }) =>
      transporter.sendMail({
        ...rest,
        to: [...to],
        headers: { ...headers },
        ...(references !== undefined && { references: [...references] }),
      }),
  };
}

/** Whether a failed SMTP delivery is worth retrying: 4xx replies and connection trouble are. */
export function isRetryableSmtpError(error: unknown): boolean {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode < 500;
  // Bad credentials or a refused envelope will not get better by themselves.
  return code !== 'EAUTH' && code !== 'EENVELOPE' && code !== 'EMESSAGE';
}
