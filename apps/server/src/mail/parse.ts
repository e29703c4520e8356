import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';

/** An inbound mail reduced to what the intake uses. */
export interface InboundMail {
  /** Message-ID without angle brackets (a hash of the raw mail when the sender gave none). */
  readonly messageId: string;
  readonly from: { readonly address: string; readonly name: string };
  readonly subject: string;
  /** Plain text body (converted from HTML when the mail has no text part). */
  readonly text: string;
  /** In-Reply-To first, then References, newest first; without angle brackets. */
  readonly threadIds: readonly string[];
  /** `Content-Language`, when it names one language tag. */
  readonly language: string | null;
  /** Set by auto-responders and mailing lists (RFC 3834 `Auto-Submitted`, `Precedence`). */
  readonly automatic: boolean;
}

/** Why a mail was refused; `code` is the SMTP reply code. */
export class MailRejectedError extends Error {
  override readonly name = 'MailRejectedError';
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const MAILBOX = /^[^\s@<>]+@[^\s@<>]+$/;
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
const ID_IN_BRACKETS = /<([^<>\s]+)>/g;

/** `<a@b>` → `a@b`; several ids in one header come back in order. */
export function extractMessageIds(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(' ');
  const ids = [...text.matchAll(ID_IN_BRACKETS)].map((match) => match[1] ?? '');
  if (ids.length > 0) return ids.filter((id) => id !== '');
  // Some clients leave the brackets out.
  return text
    .split(/\s+/)
    .map((id) => id.trim())
    .filter((id) => id.includes('@'));
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'value' in value) {
    const inner = value.value;
    return typeof inner === 'string' ? inner : '';
  }
  return '';
}

function firstAddress(from: AddressObject | undefined): { address: string; name: string } | null {
  for (const entry of from?.value ?? []) {
    const address = (entry.address ?? '').trim();
    if (MAILBOX.test(address)) return { address: address.toLowerCase(), name: entry.name.trim() };
  }
  return null;
}

/**
 * Cuts the quoted earlier conversation from a reply: everything from an "On … wrote:" /
 * "在 … 写道：" / "-----Original Message-----" line on, and lines quoted with `>`.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (
      /^On .{1,300} wrote:$/.test(trimmed) ||
      /^在.{1,300}写道[:：]$/.test(trimmed) ||
      /^-{2,}\s*Original Message\s*-{2,}$/i.test(trimmed) ||
      /^-{2,}\s*原始邮件\s*-{2,}$/.test(trimmed)
    ) {
      break;
    }
    if (trimmed.startsWith('>')) continue;
    kept.push(line);
  }
  const result = kept.join('\n').trim();
  return result === '' ? text.trim() : result;
}

/**
 * Parses a raw RFC 5322 message. Throws {@link MailRejectedError} (554) when it has no header
 * section or no sender address to answer: such a mail cannot become a ticket.
 */
export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  let parsed;
  try {
    parsed = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: 2 * 1024 * 1024,
    });
  } catch (error: unknown) {
    throw new MailRejectedError(
      554,
      `5.6.0 Malformed message: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (parsed.headers.size === 0) {
    throw new MailRejectedError(554, '5.6.0 Malformed message: no header section');
  }
  const from = firstAddress(parsed.from);
  if (from === null) {
    throw new MailRejectedError(554, '5.6.0 Malformed message: no sender address in From');
  }
  const ownId = extractMessageIds(parsed.messageId)[0];
  const messageId =
    ownId ?? `${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@switchyard.invalid`;
  const references = extractMessageIds(parsed.references).reverse();
  const threadIds = [...new Set([...extractMessageIds(parsed.inReplyTo), ...references])].filter(
    (id) => id !== messageId,
  );
  const language = headerText(parsed.headers.get('content-language')).trim();
  const autoSubmitted = headerText(parsed.headers.get('auto-submitted')).trim().toLowerCase();
  const precedence = headerText(parsed.headers.get('precedence')).trim().toLowerCase();
  return {
    messageId,
    from,
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: (parsed.text ?? '').trim(),
    threadIds,
    language: LANGUAGE_TAG.test(language) ? language : null,
    automatic:
      (autoSubmitted !== '' && autoSubmitted !== 'no') ||
      precedence === 'bulk' ||
      precedence === 'junk' ||
      precedence === 'list',
  };
}

/** `[CS20231028001]` in a subject → `CS20231028001` (upper case), or null. */
export function findTicketTag(subject: string): string | null {
  const match = /\[(CS\d{11,})\]/i.exec(subject);
  return match?.[1]?.toUpperCase() ?? null;
}

/** Puts `[<number>]` in front of a subject unless it already carries it. */
export function tagSubject(subject: string, ticketNumber: string): string {
  if (subject.toUpperCase().includes(`[${ticketNumber.toUpperCase()}]`)) return subject;
  return subject === '' ? `[${ticketNumber}]` : `[${ticketNumber}] ${subject}`;
}
