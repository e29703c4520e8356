import { z } from 'zod';
import { parseDuration } from '../duration';
import { PRIORITIES } from '../ticket';
import {
  delaySchema,
  durationSchema,
  getMessageTemplates,
  messageSchema,
  optionalCalendarSchema,
  recipientSchema,
} from './shared';
import { defineNodeKind, none, port, text } from './types';

const targetSchema = z
  .object({ response: durationSchema, resolution: durationSchema })
  .refine((t) => (parseDuration(t.response) ?? 0) <= (parseDuration(t.resolution) ?? 0), {
    message: 'The response target cannot be longer than the resolution target',
    path: ['response'],
  });

export const ESCALATION_TARGETS = ['none', 'team-lead', 'director'] as const;

export const escalationLevelSchema = z.object({
  /** Time after the breach (first level) or after the previous level. */
  after: delaySchema,
  reassignTo: z.enum(ESCALATION_TARGETS).default('none'),
  notify: z.array(recipientSchema).default([]),
  message: messageSchema.default({
    subject: 'SLA breached: {{ticket.number}} (level {{ticket.escalationLevel}})',
    body: 'Ticket {{ticket.number}} "{{ticket.subject}}" ({{ticket.priority}}) has breached its SLA and is escalated to level {{ticket.escalationLevel}}: {{links.ticket}}',
  }),
});
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;

export const slaConfigSchema = z.object({
  /** Business calendar the targets count in; none means around the clock. */
  calendar: optionalCalendarSchema,
  targets: z.object({
    urgent: targetSchema,
    high: targetSchema,
    medium: targetSchema,
    low: targetSchema,
  }),
  /** Escalation chain after a breach: level 1, 2, … in order. */
  escalation: z.array(escalationLevelSchema).max(10).default([]),
  /** After the last level, remind its recipients again at this interval until the ticket is resolved. */
  repeatEvery: durationSchema.optional(),
});
export type SlaConfig = z.infer<typeof slaConfigSchema>;

export const slaNode = defineNodeKind({
  kind: 'sla',
  label: text('SLA', 'SLA'),
  icon: 'timer',
  group: 'timing',
  description: text(
    'Starts the response and resolution clocks for the ticket’s priority, counted in business hours when a calendar is set and paused while the ticket waits on the customer. The clock runs beside the rest of the flow; on a breach the escalation chain notifies and reassigns level by level.',
    '按工单优先级启动首次响应和解决时限；设定日历时按工作时间计算，等待客户反馈时暂停。计时与流程其余部分并行；超时后按升级链逐级通知并改派。',
  ),
  configSchema: slaConfigSchema,
  defaultConfig: slaConfigSchema.parse({
    targets: {
      urgent: { response: '30m', resolution: '4h' },
      high: { response: '2h', resolution: '8h' },
      medium: { response: '4h', resolution: '24h' },
      low: { response: '8h', resolution: '72h' },
    },
    escalation: [{ after: '0m', reassignTo: 'team-lead', notify: ['team-lead'] }],
  }),
  getPorts: () => [port('next', 'Next', '下一步')],
  waits: () => false,
  summarize: (config) =>
    PRIORITIES.map(
      (priority) =>
        `${priority[0]?.toUpperCase() ?? ''}${priority.slice(1)}: ${config.targets[priority].response}`,
    ).join(' · '),
  getExpressions: none,
  getTemplates: (config) =>
    config.escalation.flatMap((level, index) =>
      getMessageTemplates(level.message, ['escalation', index, 'message']),
    ),
  getReferences: (config) =>
    config.calendar ? [{ type: 'calendar' as const, id: config.calendar, path: ['calendar'] }] : [],
});
