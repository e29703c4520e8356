import { z } from 'zod';
import {
  durationSchema,
  getMessageTemplates,
  messageSchema,
  optionalCalendarSchema,
} from './shared';
import { defineNodeKind, none, port, text } from './types';

export const APPROVER_ROLES = [
  'team-lead',
  'director',
  'admin',
  'finance',
  'risk',
  'account-manager',
] as const;

export const approvalConfigSchema = z.object({
  approver: z.enum(APPROVER_ROLES),
  timeout: durationSchema,
  /** Business calendar for the timeout; none means wall-clock time. */
  calendar: optionalCalendarSchema,
  request: messageSchema.default({
    subject: 'Approval needed for {{ticket.number}}',
    body: 'Ticket {{ticket.number}} "{{ticket.subject}}" needs your decision: {{links.approval}}',
  }),
});

export const approvalNode = defineNodeKind({
  kind: 'approval',
  label: text('Approval', '审批'),
  icon: 'stamp',
  group: 'people',
  description: text(
    'Asks the approver role for a decision and waits: approve, reject, or no decision before the timeout.',
    '请求审批角色做出决定并等待：批准、拒绝，或超时未决。',
  ),
  configSchema: approvalConfigSchema,
  defaultConfig: approvalConfigSchema.parse({ approver: 'team-lead', timeout: '24h' }),
  getPorts: () => [
    port('approved', 'Approved', '批准'),
    port('rejected', 'Rejected', '拒绝'),
    port('timeout', 'Timed out', '超时'),
  ],
  waits: () => true,
  summarize: (config) =>
    `${config.approver} · timeout ${config.timeout}${config.calendar ? ` (${config.calendar})` : ''}`,
  getExpressions: none,
  getTemplates: (config) => getMessageTemplates(config.request, ['request']),
  getReferences: (config) =>
    config.calendar ? [{ type: 'calendar' as const, id: config.calendar, path: ['calendar'] }] : [],
});
