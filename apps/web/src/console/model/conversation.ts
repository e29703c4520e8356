// The ticket page's conversation and notes, read from the ticket's events: what the customer
// wrote (intake, replies, survey), what agents answered, and internal comments.

/** The parts of a timeline entry this module reads. */
export interface EventLike {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly actor: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export type MessageKind = 'customer' | 'agent' | 'note' | 'survey';

export interface Message {
  readonly seq: number;
  readonly kind: MessageKind;
  readonly at: string;
  /** Who wrote it (an e-mail or name), when known. */
  readonly author: string | null;
  readonly text: string;
  /** Survey answers: the score and whether the customer said it is resolved. */
  readonly score?: number;
  readonly resolved?: boolean;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Messages in event order. The first is the customer's request (subject and description, given
 * separately because TICKET.CREATED carries no text the page does not already have).
 */
export function getConversation(
  events: readonly EventLike[],
  request: { readonly description: string; readonly customer: string | null; readonly at: string },
): Message[] {
  const messages: Message[] = [];
  if (request.description.trim() !== '') {
    messages.push({
      seq: 0,
      kind: 'customer',
      at: request.at,
      author: request.customer,
      text: request.description,
    });
  }
  for (const event of events) {
    const d = event.details;
    switch (event.type) {
      case 'CUSTOMER.REPLIED': {
        const text = str(d.message);
        if (text !== null)
          messages.push({
            seq: event.seq,
            kind: 'customer',
            at: event.at,
            author: event.actor ?? request.customer,
            text,
          });
        break;
      }
      case 'AGENT.REPLIED': {
        const text = str(d.message);
        if (text !== null)
          messages.push({ seq: event.seq, kind: 'agent', at: event.at, author: event.actor, text });
        break;
      }
      case 'SURVEY.ANSWERED':
        if (typeof d.score === 'number' && typeof d.resolved === 'boolean') {
          messages.push({
            seq: event.seq,
            kind: 'survey',
            at: event.at,
            author: request.customer,
            text: str(d.comment) ?? '',
            score: d.score,
            resolved: d.resolved,
          });
        }
        break;
      default:
        break;
    }
  }
  return messages;
}

/** Internal notes: comments, and the notes/reasons agents gave with decisions. */
export function getNotes(events: readonly EventLike[]): Message[] {
  const notes: Message[] = [];
  for (const event of events) {
    const d = event.details;
    const text =
      event.type === 'COMMENT.ADDED'
        ? str(d.text)
        : event.type === 'AGENT.RESOLVED'
          ? str(d.note)
          : event.type === 'APPROVAL.DECIDED' ||
              event.type === 'TICKET.TRANSFERRED' ||
              event.type === 'TICKET.REOPENED' ||
              event.type === 'TICKET.CLOSED'
            ? str(d.reason)
            : null;
    if (text !== null)
      notes.push({ seq: event.seq, kind: 'note', at: event.at, author: event.actor, text });
  }
  return notes;
}
