import type { Engine, TicketRecord, TraceStep } from '@switchyard/engine';
import { flowDocumentSchema } from '@switchyard/flow';
import type { Channel, TicketField, TicketInput } from '@switchyard/flow';
import { z } from 'zod';
import { HttpError } from './http-error';
import type { Issue } from './http-error';
import type { Repository } from './repository';

/** The published flow version a new ticket starts on, or why there is none. */
export type FlowChoice =
  | { readonly ok: true; readonly versionId: string }
  /** `hint` says what to do, for the `flow` field of an API error. */
  | { readonly ok: false; readonly message: string; readonly hint: string };

/** A custom field's value as a channel supplies it. */
type FieldValue = NonNullable<TicketInput['fields']>[string];

const ISO_DATE_TIME = z.iso.datetime({ offset: true });

function describeType(field: TicketField): string {
  switch (field.type) {
    case 'string':
      return 'Must be text';
    case 'number':
      return 'Must be a number';
    case 'integer':
      return 'Must be a whole number';
    case 'boolean':
      return 'Must be true or false';
    case 'timestamp':
      return 'Must be an ISO 8601 date-time with a time zone, e.g. 2026-03-02T09:30:00+08:00';
    case 'enum':
      return `Must be one of: ${(field.options ?? []).join(', ')}`;
  }
}

function hasType(field: TicketField, value: Exclude<FieldValue, null>): boolean {
  switch (field.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return typeof value === 'string' && ISO_DATE_TIME.safeParse(value).success;
    case 'enum':
      return typeof value === 'string' && (field.options ?? []).includes(value);
  }
}

/**
 * Checks the custom fields a channel supplies against the flow's declared `ticketFields`: a key
 * the flow does not declare, or a value of the wrong type, is an issue at `fields.<key>`. `null`
 * leaves a declared field empty. The Flow format has no per-field "set by the customer" flag, so
 * every declared field may be supplied; flows that must not trust a value (an order amount)
 * overwrite it from their own lookups, as the templates do.
 *
 * @example
 * checkTicketFields([{ key: 'orderId', label: 'Order', type: 'string' }], { orderAmount: 1 });
 * // → [{ path: 'fields.orderAmount', message: 'Not a field of this flow; its fields are: orderId' }]
 */
export function checkTicketFields(
  declared: readonly TicketField[],
  fields: Readonly<Record<string, FieldValue>>,
): Issue[] {
  const byKey = new Map(declared.map((field) => [field.key, field]));
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const field = byKey.get(key);
    if (field === undefined) {
      issues.push({
        path: `fields.${key}`,
        message:
          declared.length === 0
            ? 'Not a field of this flow; it declares no custom fields'
            : `Not a field of this flow; its fields are: ${declared.map((f) => f.key).join(', ')}`,
      });
    } else if (value !== null && !hasType(field, value)) {
      issues.push({ path: `fields.${key}`, message: describeType(field) });
    }
  }
  return issues;
}

const declaredFieldsSchema = flowDocumentSchema.pick({ ticketFields: true });

/** The `ticketFields` of a published document (validated when it was published). */
function readTicketFields(document: string): TicketField[] {
  const parsed = declaredFieldsSchema.safeParse(JSON.parse(document));
  return parsed.success ? parsed.data.ticketFields : [];
}

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
  // Published documents never change: their declared fields are read once per version.
  const declaredFields = new Map<string, TicketField[]>();

  function choose(
    channel: Channel,
    flow: string | undefined,
  ): FlowChoice & { readonly fields?: readonly TicketField[] } {
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
    let fields = declaredFields.get(version.id);
    if (fields === undefined) {
      fields = readTicketFields(version.document);
      declaredFields.set(version.id, fields);
    }
    return { ok: true, versionId: version.id, fields };
  }

  function chooseFlowVersion(channel: Channel, flow?: string): FlowChoice {
    const { fields: _fields, ...choice } = choose(channel, flow);
    return choice;
  }

  return {
    chooseFlowVersion,

    /**
     * Creates the ticket (or returns the one with the same idempotency key). Custom fields are
     * checked against the chosen flow's declared fields first (400 naming `fields.<key>`).
     */
    async createTicket(
      input: TicketInput & { readonly channel: Channel },
      options: { readonly flow?: string; readonly idempotencyKey: string | null },
    ): Promise<IntakeTicket> {
      const choice = choose(input.channel, options.flow);
      if (!choice.ok) {
        throw new HttpError('invalid_request', choice.message, [
          { path: 'flow', message: choice.hint },
        ]);
      }
      const issues = checkTicketFields(choice.fields ?? [], input.fields ?? {});
      if (issues.length > 0) {
        throw new HttpError(
          'invalid_request',
          `Invalid ticket: ${issues.map((issue) => issue.path).join(', ')}`,
          issues,
        );
      }
      return engine.createTicket(input, {
        flowVersionId: choice.versionId,
        idempotencyKey: options.idempotencyKey,
      });
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
