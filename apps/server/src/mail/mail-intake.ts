import { createHash } from 'node:crypto';
import { EventNotAcceptedError } from '@switchyard/engine';
import type { Engine, Store, TicketRecord } from '@switchyard/engine';
import type { Intake } from '../intake';
import type { MailRepository } from './mail-repository';
import { findTicketTag, MailRejectedError, stripQuotedReply } from './parse';
import type { InboundMail } from './parse';

/** What became of an inbound mail. */
export type MailOutcome =
  | { readonly kind: 'created'; readonly number: string }
  | { readonly kind: 'replied'; readonly number: string }
  /** A reply to a ticket that has ended: a new ticket that names the old one. */
  | { readonly kind: 'follow-up'; readonly number: string; readonly of: string }
  /** The same Message-ID was processed before. */
  | { readonly kind: 'duplicate'; readonly number: string | null };

type Plan =
  | { readonly kind: 'reply'; readonly ticket: TicketRecord }
  | { readonly kind: 'new'; readonly subjectTag: string | null };

const MAX_SUBJECT = 500;
const MAX_TEXT = 100_000;
const MAX_ACTOR = 200;

function idempotencyKeyOf(messageId: string): string {
  return messageId.length <= 200
    ? `email:${messageId}`
    : `email:sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

export interface MailIntakeContext {
  readonly intake: Intake;
  readonly engine: Engine;
  readonly store: Store;
  readonly mailRepository: MailRepository;
}

/**
 * Turns inbound mails into tickets and replies (issue 4 §5). A mail threads onto a ticket when
 * its In-Reply-To/References name a Message-ID the server stored (a mail of that ticket, in or
 * out), or when its subject carries `[CS…]` of a ticket whose customer is the sender; anything
 * else opens a ticket on the email channel's flow. Processing is idempotent on the Message-ID.
 */
export function createMailIntake(context: MailIntakeContext) {
  const { intake, engine, store, mailRepository } = context;
  const inFlight = new Map<string, Promise<MailOutcome>>();

  async function plan(mail: InboundMail): Promise<Plan> {
    const threadTicketId = mailRepository.findTicketId(mail.threadIds);
    if (threadTicketId !== null) {
      const ticket = await store.getTicketById(threadTicketId);
      if (ticket !== null) return { kind: 'reply', ticket };
    }
    const tag = findTicketTag(mail.subject);
    if (tag !== null) {
      const ticket = await store.getTicketByNumber(tag);
      // Ticket numbers are guessable: a tag alone threads only the ticket's own customer.
      if (ticket !== null && ticket.ticket.customer.email.toLowerCase() === mail.from.address) {
        return { kind: 'reply', ticket };
      }
    }
    return { kind: 'new', subjectTag: tag };
  }

  async function createTicket(mail: InboundMail, followUpOf: string | null): Promise<string> {
    const subject = (mail.subject === '' ? '(no subject)' : mail.subject).slice(0, MAX_SUBJECT);
    const text = followUpOf === null ? mail.text : stripQuotedReply(mail.text);
    const description =
      followUpOf === null ? text : `Follow-up to ${followUpOf}, which had ended.\n\n${text}`;
    const { ticket } = await intake.createTicket(
      {
        subject,
        description: description.slice(0, MAX_TEXT),
        channel: 'email',
        customer: {
          name: (mail.from.name === ''
            ? (mail.from.address.split('@')[0] ?? '')
            : mail.from.name
          ).slice(0, MAX_ACTOR),
          email: mail.from.address,
          ...(mail.language !== null && { language: mail.language }),
        },
        ...(followUpOf !== null && { tags: ['follow-up'] }),
      },
      { idempotencyKey: idempotencyKeyOf(mail.messageId) },
    );
    mailRepository.record(mail.messageId, ticket.id, 'inbound');
    return ticket.number;
  }

  async function reply(
    mail: InboundMail,
    ticket: TicketRecord,
    receivedAt: number,
  ): Promise<MailOutcome> {
    const from = mail.from.address.slice(0, MAX_ACTOR);
    const message = stripQuotedReply(mail.text).slice(0, MAX_TEXT);
    // The step commits before the Message-ID is recorded: after a crash in between, the step
    // is in the history (at or after the mail came in) and must not be sent again.
    const history = await store.listEvents(ticket.id);
    const sent = history.some(
      (entry) =>
        entry.event.type === 'CUSTOMER.REPLIED' &&
        entry.event.from === from &&
        (entry.event.message ?? '') === message &&
        Date.parse(entry.at) >= receivedAt,
    );
    if (!sent) {
      try {
        await engine.send(ticket.number, {
          type: 'CUSTOMER.REPLIED',
          from,
          ...(message !== '' && { message }),
        });
      } catch (error: unknown) {
        if (!(error instanceof EventNotAcceptedError)) throw error;
        // The ticket has ended (a final state accepts nothing): open a follow-up instead.
        const number = await createTicket(mail, ticket.number);
        return { kind: 'follow-up', number, of: ticket.number };
      }
    }
    mailRepository.record(mail.messageId, ticket.id, 'inbound');
    return { kind: 'replied', number: ticket.number };
  }

  async function run(mail: InboundMail, receivedAt: number): Promise<MailOutcome> {
    const known = mailRepository.get(mail.messageId);
    if (known !== null) {
      const ticket = await store.getTicketById(known.ticketId);
      return { kind: 'duplicate', number: ticket?.number ?? null };
    }
    const planned = await plan(mail);
    if (planned.kind === 'reply') return reply(mail, planned.ticket, receivedAt);
    return { kind: 'created', number: await createTicket(mail, null) };
  }

  return {
    /**
     * Refuses, before the mail is accepted, what could not be processed now: a mail that would
     * open a ticket while no flow is bound to the email channel (451: the sender retries later).
     */
    async checkAcceptable(mail: InboundMail): Promise<void> {
      if (mailRepository.get(mail.messageId) !== null) return;
      const planned = await plan(mail);
      if (planned.kind === 'new') {
        const choice = intake.chooseFlowVersion('email');
        if (!choice.ok) {
          throw new MailRejectedError(451, `4.3.0 ${choice.message}; try again later`);
        }
      }
    },

    /** Processes one mail; concurrent calls for the same Message-ID run once. */
    process(mail: InboundMail, receivedAt: number): Promise<MailOutcome> {
      const running = inFlight.get(mail.messageId);
      if (running !== undefined) {
        return running.then(
          (outcome): MailOutcome => ({ kind: 'duplicate', number: outcome.number }),
          () => run(mail, receivedAt),
        );
      }
      const started = run(mail, receivedAt).finally(() => {
        inFlight.delete(mail.messageId);
      });
      inFlight.set(mail.messageId, started);
      return started;
    },
  };
}

export type MailIntake = ReturnType<typeof createMailIntake>;
