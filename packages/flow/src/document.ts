import type { TypeSpec, VariableSchema } from '@switchyard/expr';
import { z } from 'zod';
import { parseDuration } from './duration';
import { TICKET_TYPE_FIELDS } from './ticket';

export const CURRENT_SCHEMA_VERSION = 1;

/** Ids end up as XState state keys and in JSON paths: no dots, no spaces. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const idSchema = z
  .string()
  .regex(ID_PATTERN, 'Use 1–64 letters, digits, "-" or "_", starting with a letter');

/** Field keys are used as CEL identifiers (`ticket.fields.orderAmount`). */
export const FIELD_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const durationSchema = z.string().refine((text) => (parseDuration(text) ?? 0) > 0, {
  message: 'Use a duration like "30m", "2h", "1h30m" or "3d" (more than zero, at most one year)',
});

/** A delay that may be zero ("0m" = right away). */
export const delaySchema = z.string().refine((text) => parseDuration(text) !== null, {
  message: 'Use a duration like "0m", "30m", "2h" or "1d" (at most one year)',
});

const localizedTextSchema = z.record(z.string(), z.string());

export const TICKET_FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'timestamp',
  'enum',
] as const;

export const ticketFieldSchema = z
  .object({
    key: z.string().regex(FIELD_KEY_PATTERN, 'Use letters, digits and "_", starting with a letter'),
    label: z.string().min(1),
    labels: localizedTextSchema.optional(),
    type: z.enum(TICKET_FIELD_TYPES),
    options: z.array(z.string().min(1)).optional(),
    required: z.boolean().optional(),
    description: z.string().optional(),
  })
  .refine((field) => field.type !== 'enum' || (field.options?.length ?? 0) > 0, {
    message: 'An enum field needs at least one option',
    path: ['options'],
  });
export type TicketField = z.infer<typeof ticketFieldSchema>;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use HH:MM (24-hour clock)');
const intervalSchema = z
  .tuple([clockTime, clockTime])
  .refine(([from, to]) => from < to, { message: 'An interval must end after it starts' });

export const calendarSchema = z.object({
  id: idSchema,
  name: z.string().min(1),
  timeZone: z
    .string()
    .refine(isTimeZone, { message: 'Use an IANA time zone such as "Asia/Shanghai"' }),
  week: z.partialRecord(z.enum(WEEKDAYS), z.array(intervalSchema)),
  holidays: z.array(z.iso.date()).default([]),
});
export type Calendar = z.infer<typeof calendarSchema>;

export const teamSchema = z.object({
  id: idSchema,
  name: z.string().min(1),
  names: localizedTextSchema.optional(),
  skills: z.array(z.string().min(1)).default([]),
  description: z.string().optional(),
});
export type Team = z.infer<typeof teamSchema>;

export const positionSchema = z.object({ x: z.number(), y: z.number() });

/** A node as stored; its `config` is validated against the node kind's own schema by lint. */
export const flowNodeSchema = z.object({
  id: idSchema,
  kind: z.string().min(1),
  label: z.string().max(200).optional(),
  position: positionSchema,
  config: z.record(z.string(), z.unknown()),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

export const flowEdgeSchema = z.object({
  id: idSchema,
  source: z.string(),
  sourcePort: z.string(),
  target: z.string(),
});
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  id: idSchema,
  name: z.string().min(1).max(200),
  names: localizedTextSchema.optional(),
  description: z.string().max(4000).optional(),
  descriptions: localizedTextSchema.optional(),
  industry: z.string().optional(),
  ticketFields: z.array(ticketFieldSchema).default([]),
  teams: z.array(teamSchema).default([]),
  calendars: z.array(calendarSchema).default([]),
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema),
});

/** A Flow document: the JSON an admin edits on the canvas and the compiler reads. */
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function toTypeSpec(field: TicketField): TypeSpec {
  switch (field.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'number':
      return 'double';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'timestamp':
      return 'timestamp';
  }
}

/**
 * The variables a condition in this flow can use: `ticket` (the canonical model with the flow's
 * custom fields under `ticket.fields`), `event` (the payload of the event being handled) and
 * `now`.
 */
export function getConditionSchema(ticketFields: readonly TicketField[]): VariableSchema {
  const fields: Record<string, TypeSpec> = {};
  for (const field of ticketFields) fields[field.key] = toTypeSpec(field);
  return {
    ticket: {
      kind: 'object',
      fields: { ...TICKET_TYPE_FIELDS, fields: { kind: 'object', fields } },
    },
    event: { kind: 'map' },
    now: 'timestamp',
  };
}
