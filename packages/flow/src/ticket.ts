import type { TypeSpec } from '@switchyard/expr';
import { z } from 'zod';

/** The canonical ticket model shared by conditions, templates, the API and the simulator. */
export const CHANNELS = ['web', 'email', 'api', 'chat', 'phone', 'social'] as const;
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export const CUSTOMER_TIERS = ['vip', 'standard'] as const;
export const IMPACTS = ['single', 'multiple', 'all'] as const;
export const TICKET_STATUSES = [
  'new',
  'open',
  'pending',
  'escalated',
  'resolved',
  'closed',
  'cancelled',
] as const;

export type Channel = (typeof CHANNELS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];
export type Impact = (typeof IMPACTS)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const channelSchema = z.enum(CHANNELS);
export const prioritySchema = z.enum(PRIORITIES);
export const customerTierSchema = z.enum(CUSTOMER_TIERS);
export const impactSchema = z.enum(IMPACTS);
export const ticketStatusSchema = z.enum(TICKET_STATUSES);

/** A value a custom field may hold (after type checking against the flow's declaration). */
export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FieldValue = z.infer<typeof fieldValueSchema>;

export const customerSchema = z.object({
  id: z.string().default(''),
  name: z.string().default(''),
  email: z.string().default(''),
  phone: z.string().default(''),
  tier: customerTierSchema.default('standard'),
  language: z.string().default('en'),
});

const isoTimestamp = z.iso.datetime({ offset: true });

export const ticketSchema = z.object({
  number: z.string(),
  subject: z.string(),
  description: z.string(),
  channel: channelSchema,
  customer: customerSchema,
  category: z.string().nullable(),
  subcategory: z.string().nullable(),
  priority: prioritySchema,
  impact: impactSchema,
  team: z.string().nullable(),
  assignee: z.string().nullable(),
  status: ticketStatusSchema,
  escalationLevel: z.number().int().min(0),
  sla: z.object({
    responseDueAt: isoTimestamp.nullable(),
    resolutionDueAt: isoTimestamp.nullable(),
    breached: z.boolean(),
  }),
  csat: z.object({
    score: z.number().int().min(1).max(5).nullable(),
    resolved: z.boolean().nullable(),
  }),
  tags: z.array(z.string()),
  fields: z.record(z.string(), fieldValueSchema),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** A ticket as conditions, templates, the API and the simulator see it. */
export type Ticket = z.infer<typeof ticketSchema>;

/** The parts of a ticket a channel supplies; everything else the flow decides. */
export const ticketInputSchema = z.object({
  subject: z.string().trim().min(1, 'Subject is required').max(500),
  description: z.string().max(100_000).default(''),
  channel: channelSchema.default('api'),
  customer: customerSchema.partial().default({}),
  impact: impactSchema.default('single'),
  tags: z.array(z.string().max(64)).max(50).default([]),
  fields: z.record(z.string(), fieldValueSchema).default({}),
});
export type TicketInput = z.input<typeof ticketInputSchema>;

/** Build a new ticket from validated intake input; `number` and `now` come from the caller. */
export function createTicket(
  input: z.output<typeof ticketInputSchema>,
  number: string,
  now: string,
): Ticket {
  return {
    number,
    subject: input.subject,
    description: input.description,
    channel: input.channel,
    customer: customerSchema.parse(input.customer),
    category: null,
    subcategory: null,
    priority: 'medium',
    impact: input.impact,
    team: null,
    assignee: null,
    status: 'new',
    escalationLevel: 0,
    sla: { responseDueAt: null, resolutionDueAt: null, breached: false },
    csat: { score: null, resolved: null },
    tags: input.tags,
    fields: input.fields,
    createdAt: now,
    updatedAt: now,
  };
}

/** Paths and types of the built-in ticket fields, for completion in editors and for lint. */
export const TICKET_TYPE_FIELDS: Readonly<Record<string, TypeSpec>> = {
  number: 'string',
  subject: 'string',
  description: 'string',
  channel: 'string',
  customer: {
    kind: 'object',
    fields: {
      id: 'string',
      name: 'string',
      email: 'string',
      phone: 'string',
      tier: 'string',
      language: 'string',
    },
  },
  category: 'string',
  subcategory: 'string',
  priority: 'string',
  impact: 'string',
  team: 'string',
  assignee: 'string',
  status: 'string',
  escalationLevel: 'int',
  sla: {
    kind: 'object',
    fields: { responseDueAt: 'timestamp', resolutionDueAt: 'timestamp', breached: 'bool' },
  },
  csat: { kind: 'object', fields: { score: 'int', resolved: 'bool' } },
  tags: { kind: 'list', of: 'string' },
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
};

/** Enum values of built-in string fields, for completion and for checking literals. */
export const TICKET_ENUM_VALUES: Readonly<Record<string, readonly string[]>> = {
  channel: CHANNELS,
  priority: PRIORITIES,
  impact: IMPACTS,
  status: TICKET_STATUSES,
  'customer.tier': CUSTOMER_TIERS,
};
