import { z } from 'zod';
import { conditionSourceSchema, durationSchema, optionalCalendarSchema } from './shared';
import { defineNodeKind, port, text } from './types';

/** Ticket events a flow can wait for. */
export const WAITABLE_EVENTS = [
  'CUSTOMER.REPLIED',
  'AGENT.REPLIED',
  'AGENT.RESOLVED',
  'TICKET.UPDATED',
  'COMMENT.ADDED',
] as const;

export const waitConfigSchema = z.object({
  event: z.enum(WAITABLE_EVENTS),
  /** Optional condition on the event (`event.…`) and ticket; other events of that type are ignored. */
  when: conditionSourceSchema.optional(),
  /** Ticket status while waiting; `pending` (waiting on the customer) pauses the SLA clock. */
  status: z.enum(['open', 'pending']).default('open'),
  timeout: durationSchema.optional(),
  calendar: optionalCalendarSchema,
});

export const waitNode = defineNodeKind({
  kind: 'wait',
  label: text('Wait', '等待'),
  icon: 'hourglass',
  group: 'timing',
  description: text(
    'Waits for a ticket event (a customer reply, an agent reply or resolution, an update), optionally up to a timeout. Waiting on the customer sets the ticket to pending, which pauses the SLA.',
    '等待工单事件（客户回复、坐席回复或解决、更新），可设超时。等待客户时工单为“待客户反馈”，SLA 暂停计时。',
  ),
  configSchema: waitConfigSchema,
  defaultConfig: waitConfigSchema.parse({ event: 'AGENT.RESOLVED' }),
  getPorts: (config) => [
    port('received', 'Received', '已收到'),
    ...(config.timeout === undefined ? [] : [port('timeout', 'Timed out', '超时')]),
  ],
  waits: () => true,
  summarize: (config) =>
    `${config.event}${config.timeout ? ` · timeout ${config.timeout}` : ''}${config.status === 'pending' ? ' · pending' : ''}`,
  getExpressions: (config) =>
    config.when === undefined ? [] : [{ path: ['when'], source: config.when }],
  getTemplates: () => [],
  getReferences: (config) =>
    config.calendar ? [{ type: 'calendar' as const, id: config.calendar, path: ['calendar'] }] : [],
});
