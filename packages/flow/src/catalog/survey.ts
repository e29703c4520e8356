import { z } from 'zod';
import { delaySchema, durationSchema, getMessageTemplates, messageSchema } from './shared';
import { defineNodeKind, none, port, text } from './types';

export const surveyConfigSchema = z.object({
  /** How long after reaching this step the survey is sent. */
  delay: delaySchema.default('30m'),
  /** How long the customer has to answer once it is sent. */
  expiresAfter: durationSchema.default('7d'),
  /** Scores at or below this, or "not resolved", take the `unsatisfied` port. */
  threshold: z.number().int().min(1).max(4).default(3),
  message: messageSchema.default({
    subject: 'How did we do on {{ticket.number}}?',
    body: 'Hello {{ticket.customer.name}}, please rate our help with "{{ticket.subject}}" and tell us whether it is resolved: {{links.survey}}',
  }),
});

export const surveyNode = defineNodeKind({
  kind: 'survey',
  label: text('Survey', '满意度调查'),
  icon: 'smile',
  group: 'messaging',
  description: text(
    'Sends a CSAT survey after a delay and waits for the answer: a score above the threshold with the problem resolved is "satisfied"; a low score or "not resolved" is "unsatisfied" (typically reopening the ticket); no answer in time is "timeout".',
    '延迟发送满意度调查并等待答复：高于阈值且已解决为“满意”；低分或“未解决”为“不满意”（通常重新打开工单）；超时未答为“超时”。',
  ),
  configSchema: surveyConfigSchema,
  defaultConfig: surveyConfigSchema.parse({}),
  getPorts: () => [
    port('satisfied', 'Satisfied', '满意'),
    port('unsatisfied', 'Unsatisfied', '不满意'),
    port('timeout', 'No answer', '未答复'),
  ],
  waits: () => true,
  summarize: (config) => `after ${config.delay} · ≤${config.threshold} reopens`,
  getExpressions: none,
  getTemplates: (config) => getMessageTemplates(config.message, ['message']),
  getReferences: none,
});
