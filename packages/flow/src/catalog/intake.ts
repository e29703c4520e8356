import { z } from 'zod';
import { CHANNELS, channelSchema } from '../ticket';
import { getMessageTemplates, messageSchema } from './shared';
import { defineNodeKind, none, port, text } from './types';

export const intakeConfigSchema = z.object({
  channels: z
    .array(channelSchema)
    .min(1, 'Pick at least one channel')
    .refine((list) => new Set(list).size === list.length, 'Each channel once'),
  acknowledge: z.boolean().default(true),
  acknowledgement: messageSchema.default({
    subject: 'We received your request {{ticket.number}}',
    body: 'Hello {{ticket.customer.name}}, we received your request "{{ticket.subject}}" and will get back to you soon. Your ticket number is {{ticket.number}}.',
  }),
});

export const intakeNode = defineNodeKind({
  kind: 'intake',
  label: text('Intake', '受理'),
  icon: 'inbox',
  group: 'trigger',
  description: text(
    'Where tickets enter the flow: the channels it accepts and the acknowledgement the customer receives. Every flow starts with exactly one intake.',
    '工单进入流程的入口：接受的渠道以及发给客户的受理回执。每个流程只有一个受理节点。',
  ),
  configSchema: intakeConfigSchema,
  defaultConfig: intakeConfigSchema.parse({ channels: [...CHANNELS] }),
  getPorts: () => [port('next', 'Next', '下一步')],
  waits: () => false,
  summarize: (config) =>
    `${config.channels.join(', ')}${config.acknowledge ? ' · acknowledge' : ''}`,
  getExpressions: none,
  getTemplates: (config) =>
    config.acknowledge ? getMessageTemplates(config.acknowledgement, ['acknowledgement']) : [],
  getReferences: none,
});
