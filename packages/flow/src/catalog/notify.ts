import { z } from 'zod';
import { getMessageTemplates, messageSchema, recipientSchema } from './shared';
import { defineNodeKind, none, port, text } from './types';

const httpUrl = z.url({ protocol: /^https?$/, message: 'Use an http:// or https:// URL' });

export const notifyConfigSchema = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('email'),
    to: z.array(recipientSchema).min(1, 'Pick at least one recipient'),
    message: messageSchema,
  }),
  z.object({
    channel: z.literal('in-app'),
    to: z.array(recipientSchema).min(1, 'Pick at least one recipient'),
    message: messageSchema,
  }),
  z.object({
    channel: z.literal('webhook'),
    url: httpUrl,
    /** Body template; the runtime sends it as the `text` of a JSON payload together with the ticket. */
    message: messageSchema,
  }),
]);
export type NotifyConfig = z.infer<typeof notifyConfigSchema>;

export const notifyNode = defineNodeKind({
  kind: 'notify',
  label: text('Notify', '通知'),
  icon: 'bell',
  group: 'messaging',
  description: text(
    'Sends a message by email, in-app notification or signed webhook (for IM bots such as WeCom, DingTalk or Slack). Messages are templates with {{ticket.…}} placeholders.',
    '通过邮件、站内通知或签名 Webhook（可接企业微信、钉钉、Slack 等机器人）发送消息。消息为带 {{ticket.…}} 占位符的模板。',
  ),
  configSchema: notifyConfigSchema,
  defaultConfig: notifyConfigSchema.parse({
    channel: 'email',
    to: ['customer'],
    message: { subject: 'Update on {{ticket.number}}', body: 'Hello {{ticket.customer.name}}, …' },
  }),
  getPorts: () => [port('next', 'Next', '下一步')],
  waits: () => false,
  summarize: (config) =>
    config.channel === 'webhook'
      ? `webhook · ${new URL(config.url).host}`
      : `${config.channel} → ${config.to.join(', ')}`,
  getExpressions: none,
  getTemplates: (config) => getMessageTemplates(config.message, ['message']),
  getReferences: none,
});
