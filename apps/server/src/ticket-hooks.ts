import { EventEmitter, on } from 'node:events';
import type { JsonValue } from '@switchyard/compiler';
import type { NewEffect, StepCommit, Store } from '@switchyard/engine';

/** What `tickets.onChange` sends after every committed step. */
export interface TicketChange {
  readonly number: string;
  readonly status: string;
  readonly updatedAt: string;
}

/** Commits fanned out to live subscribers (SSE). In-process: one server owns its engine. */
export function createChangeFeed() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // one listener per open subscription
  const closing = new AbortController();
  return {
    publish(change: TicketChange): void {
      emitter.emit('change', change);
    },
    /**
     * Changes from this call on until `signal` aborts. The listener is registered now, not at the
     * first read, so nothing committed after a subscription starts is missed.
     */
    subscribe(
      signal: AbortSignal | undefined,
      filter: (change: TicketChange) => boolean = () => true,
    ) {
      const stop =
        signal === undefined ? closing.signal : AbortSignal.any([signal, closing.signal]);
      const events = on(emitter, 'change', { signal: stop });
      return (async function* (): AsyncGenerator<TicketChange> {
        try {
          for await (const [change] of events) {
            const typed = change as TicketChange;
            if (filter(typed)) yield typed;
          }
        } catch (error: unknown) {
          if (stop.aborted) return;
          throw error;
        }
      })();
    },
    /** Ends every open subscription (server shutdown: open SSE streams would hold it up). */
    close(): void {
      closing.abort();
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

/**
 * The e-mail an agent's reply sends the customer, queued as an outbox effect in the same
 * transaction as the `AGENT.REPLIED` event: delivered by the engine's effect loop (and the
 * server's Effects) with an idempotency key, never lost, never sent for a refused event. Replies
 * without a message, or to customers without an e-mail address, send nothing.
 */
export function getReplyMail(commit: StepCommit): NewEffect | null {
  const { event } = commit.event;
  if (event.type !== 'AGENT.REPLIED' || event.message === undefined || event.message === '') {
    return null;
  }
  const { ticket } = commit.ticket;
  if (ticket.customer.email === '') return null;
  const payload: JsonValue = {
    to: [ticket.customer.email],
    // The mail effects tag the subject with the ticket number (threading of the answer).
    subject: `Re: ${ticket.subject}`,
    body: event.message,
    ticket: ticket.number,
  };
  return {
    idempotencyKey: `${commit.ticket.id}:${commit.event.seq}:reply`,
    kind: 'email',
    payload,
  };
}

/**
 * The Store the engine writes through, with two server hooks on `commit` (the only write of a
 * step): the reply e-mail joins the step's outbox effects before the write, and every committed
 * step is published to the change feed after it. Reads pass straight through. Wrapping the store
 * keeps the engine unaware of the server: no polling, no engine change.
 */
export function withTicketHooks<TStore extends Store>(store: TStore, feed: ChangeFeed): TStore {
  const commit = async (step: StepCommit): Promise<void> => {
    const mail = getReplyMail(step);
    const withMail: StepCommit =
      mail === null
        ? step
        : {
            ...step,
            effects: [...step.effects, mail],
            event: {
              ...step.event,
              trace: {
                ...step.event.trace,
                effects: [
                  ...step.event.trace.effects,
                  {
                    kind: 'email',
                    idempotencyKey: mail.idempotencyKey,
                    summary: `${step.ticket.ticket.customer.email}: reply`,
                  },
                ],
              },
            },
          };
    await store.commit(withMail);
    feed.publish({
      number: step.ticket.number,
      status: step.ticket.ticket.status,
      updatedAt: step.ticket.updatedAt,
    });
  };
  // A Proxy rather than a spread: the SQLite store's methods close over their own state, and
  // callers keep every extra method (addFlowVersion, drain, close…) of the wrapped store.
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'commit') return commit;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
