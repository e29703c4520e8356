import { z } from 'zod';
import { delaySchema, durationSchema, idSchema } from '../document';

/** Who a message or escalation goes to: a role relative to the ticket, or a fixed address. */
export const RECIPIENT_ROLES = [
  'customer',
  'assignee',
  'team',
  'team-lead',
  'director',
  'approvers',
] as const;
export const recipientSchema = z.union([
  z.enum(RECIPIENT_ROLES),
  z.email({
    message:
      'Use a role (customer, assignee, team, team-lead, director, approvers) or an email address',
  }),
]);
export type Recipient = z.infer<typeof recipientSchema>;

export const messageSchema = z.object({
  subject: z.string().max(300).default(''),
  body: z.string().min(1, 'Write the message text').max(20_000),
});
export type Message = z.infer<typeof messageSchema>;

export const conditionSourceSchema = z.string().min(1, 'Write a condition');

export const optionalCalendarSchema = idSchema.optional();

export { delaySchema, durationSchema, idSchema };

/** Paths of the message's text parts, for placeholder lint. */
export function getMessageTemplates(
  message: Message | undefined,
  base: readonly (string | number)[],
) {
  if (message === undefined) return [];
  return [
    { path: [...base, 'subject'], text: message.subject },
    { path: [...base, 'body'], text: message.body },
  ];
}

export function unique<T>(items: readonly T[], key: (item: T) => string): boolean {
  return new Set(items.map(key)).size === items.length;
}
