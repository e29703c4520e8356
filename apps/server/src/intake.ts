import type { Engine, TicketRecord, TraceStep } from '@switchyard/engine';
import type { Channel, TicketInput } from '@switchyard/flow';
import { HttpError } from './http-error';
import type { Repository } from './repository';

/** The published flow version a new ticket starts on, or why there is none. */
export type FlowChoice =
  | { readonly ok: true; readonly versionId: string }
  /** `hint` says what to do, for the `flow` field of an API error. */
  | { readonly ok: false; readonly message: string; readonly hint: string };

export interface IntakeTicket {
  readonly ticket: TicketRecord;
  readonly created: boolean;
  readonly trace?: TraceStep;
}

/**
 * The one way a channel (REST, web form, e-mail) creates a ticket: the named flow or the flow
 * bound to the ticket's channel, its newest published version, then the engine (one durable
 * transaction; the same idempotency key returns the same ticket).
 *
 * @example
 * const intake = createIntake({ engine, repository });
 * const { ticket } = await intake.createTicket({ subject: 'Help', channel: 'web' }, { idempotencyKey: 'web:abc' });
 */
export function createIntake({
  engine,
  repository,
}: {
  readonly engine: Engine;
  readonly repository: Repository;
}) {
  function chooseFlowVersion(channel: Channel, flow?: string): FlowChoice {
    const flowId = flow ?? repository.getBoundFlowId(channel);
    if (flowId === null) {
      const message = `No flow is bound to the ${channel} channel`;
      return { ok: false, message, hint: `${message}; name one in flow` };
    }
    const version = repository.getLatestVersion(flowId);
    if (version === null) {
      const message = `Flow ${flowId} has no published version`;
      return { ok: false, message, hint: message };
    }
    return { ok: true, versionId: version.id };
  }

  return {
    chooseFlowVersion,

    /** Creates the ticket (or returns the one with the same idempotency key). */
    async createTicket(
      input: TicketInput & { readonly channel: Channel },
      options: { readonly flow?: string; readonly idempotencyKey: string | null },
    ): Promise<IntakeTicket> {
      const choice = chooseFlowVersion(input.channel, options.flow);
      if (!choice.ok) {
        throw new HttpError('invalid_request', choice.message, [
          { path: 'flow', message: choice.hint },
        ]);
      }
      return engine.createTicket(input, {
        flowVersionId: choice.versionId,
        idempotencyKey: options.idempotencyKey,
      });
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
