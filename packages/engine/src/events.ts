import { impactSchema, prioritySchema, ticketInputSchema } from '@switchyard/flow';
import type { Ticket } from '@switchyard/flow';
import { z } from 'zod';

const actor = z.string().min(1).max(200);
const text = z.string().max(100_000);

/** Changes `TICKET.UPDATED` may make; the flow owns status, SLA and CSAT. */
export const ticketChangesSchema = z
  .object({
    subject: z.string().trim().min(1).max(500).optional(),
    description: text.optional(),
    priority: prioritySchema.optional(),
    impact: impactSchema.optional(),
    category: z.string().min(1).max(100).nullable().optional(),
    subcategory: z.string().min(1).max(100).nullable().optional(),
    tags: z.array(z.string().min(1).max(64)).max(50).optional(),
    fields: ticketInputSchema.shape.fields.unwrap().optional(),
  })
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, {
    message: 'Name at least one field to change',
  });

/** Events a channel, an agent or an integration may send to a ticket. */
export const publicEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('TICKET.UPDATED'),
      changes: ticketChangesSchema,
      by: actor.optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('AGENT.REPLIED'), by: actor.optional(), message: text.optional() })
    .strict(),
  z
    .object({
      type: z.literal('CUSTOMER.REPLIED'),
      from: actor.optional(),
      message: text.optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('AGENT.RESOLVED'), by: actor.optional(), note: text.optional() })
    .strict(),
  z
    .object({
      type: z.literal('APPROVAL.DECIDED'),
      approved: z.boolean(),
      by: actor,
      reason: z.string().max(2000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('SURVEY.ANSWERED'),
      score: z.number().int().min(1).max(5),
      resolved: z.boolean(),
      comment: z.string().max(5000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('TICKET.TRANSFERRED'),
      team: z.string().min(1).max(100).optional(),
      assignee: z.string().min(1).max(200).nullable().optional(),
      by: actor.optional(),
      reason: z.string().max(2000).optional(),
    })
    .strict()
    .refine((event) => event.team !== undefined || event.assignee !== undefined, {
      message: 'Name the team or the assignee to transfer to',
      path: ['team'],
    }),
  z.object({ type: z.literal('COMMENT.ADDED'), by: actor, text: text.min(1) }).strict(),
  z
    .object({
      type: z.literal('TICKET.REOPENED'),
      by: actor.optional(),
      reason: z.string().max(2000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('TICKET.CLOSED'),
      by: actor.optional(),
      reason: z.string().max(2000).optional(),
    })
    .strict(),
]);
export type PublicEvent = z.infer<typeof publicEventSchema>;
export type PublicEventInput = z.input<typeof publicEventSchema>;
export const PUBLIC_EVENT_TYPES = publicEventSchema.options.map(
  (option) => option.shape.type.value,
);

/** Events only the engine itself produces. */
export type InternalEvent =
  | { readonly type: 'TICKET.CREATED'; readonly ticket: Ticket }
  | { readonly type: 'TIMER.FIRED'; readonly timerId: string }
  | {
      readonly type: 'ACTION.COMPLETED';
      readonly nodeId: string;
      readonly ok: boolean;
      readonly status?: number;
      readonly body?: unknown;
      readonly error?: string;
    };

export type TicketEvent = PublicEvent | InternalEvent;
export type TicketEventType = TicketEvent['type'];

/** Thrown (and mapped once to API errors) when input does not fit; names the offending field. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(message);
  }
}

/**
 * Validate an event from outside. Unknown types and malformed payloads are rejected with every
 * problem named; nothing is changed.
 */
export function parsePublicEvent(input: unknown): PublicEvent {
  const result = publicEventSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || 'type',
    message:
      (issue.code === 'invalid_union' || issue.message.startsWith('Invalid discriminator')) &&
      issue.path.join('.') === 'type'
        ? `Unknown event type; use one of ${PUBLIC_EVENT_TYPES.join(', ')}`
        : issue.message,
  }));
  const first = issues[0];
  throw new InvalidEventError(first ? `${first.path}: ${first.message}` : 'Invalid event', issues);
}
