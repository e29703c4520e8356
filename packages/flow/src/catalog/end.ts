import { z } from 'zod';
import { getMessageTemplates, messageSchema } from './shared';
import { defineNodeKind, none, text } from './types';

export const END_OUTCOMES = ['resolved', 'closed', 'rejected', 'cancelled'] as const;

export const endConfigSchema = z.object({
  outcome: z.enum(END_OUTCOMES),
  /** Optional message to the customer when the ticket ends here. */
  message: messageSchema.optional(),
});

export const endNode = defineNodeKind({
  kind: 'end',
  label: text('End', '结束'),
  icon: 'flag',
  group: 'terminal',
  description: text(
    'Ends the flow with an outcome (resolved, closed, rejected, cancelled) and optionally tells the customer.',
    '以某种结果（已解决、已关闭、已拒绝、已取消）结束流程，可选择通知客户。',
  ),
  configSchema: endConfigSchema,
  defaultConfig: endConfigSchema.parse({ outcome: 'closed' }),
  getPorts: () => [],
  waits: () => true,
  summarize: (config) => config.outcome,
  getExpressions: none,
  getTemplates: (config) => getMessageTemplates(config.message, ['message']),
  getReferences: none,
});
