import { z } from 'zod';
import { FIELD_KEY_PATTERN } from '../document';
import { getPlaceholders } from '../message-template';
import { impactSchema, prioritySchema } from '../ticket';
import { durationSchema } from './shared';
import type { ConfigReference, ConfigTemplate } from './types';
import { defineNodeKind, port, text } from './types';

/** Ticket fields an action may set directly, with the values each accepts. */
const settableBuiltins = {
  priority: prioritySchema,
  impact: impactSchema,
  category: z.string().min(1),
  subcategory: z.string().min(1),
  addTag: z.string().min(1),
  removeTag: z.string().min(1),
} as const;

const SET_TARGET =
  /^(priority|impact|category|subcategory|addTag|removeTag|fields\.[A-Za-z_][A-Za-z0-9_]*)$/;

const assignmentSchema = z
  .object({
    field: z
      .string()
      .regex(
        SET_TARGET,
        'Use priority, impact, category, subcategory, addTag, removeTag or fields.<key>',
      ),
    value: z.union([z.string(), z.number(), z.boolean()]),
  })
  .superRefine((assignment, ctx) => {
    const schema = (settableBuiltins as Record<string, z.ZodType | undefined>)[assignment.field];
    if (schema !== undefined && !schema.safeParse(assignment.value).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"${String(assignment.value)}" is not a valid ${assignment.field}`,
      });
    }
  });

/** A URL template is valid when it is an http(s) URL once placeholders are filled in. */
const urlTemplateSchema = z.string().refine(
  (url) => {
    try {
      const filled = url.replace(/\{\{[^{}]*\}\}/g, 'x');
      return ['http:', 'https:'].includes(new URL(filled).protocol);
    } catch {
      return false;
    }
  },
  {
    message:
      'Use an http:// or https:// URL (placeholders like {{ticket.fields.orderId}} are allowed)',
  },
);

export const actionConfigSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('set-fields'),
    set: z.array(assignmentSchema).min(1, 'Add at least one field to set'),
  }),
  z.object({ type: z.literal('resolve'), note: z.string().max(2000).default('') }),
  z.object({
    type: z.literal('http'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).default('POST'),
    url: urlTemplateSchema,
    headers: z
      .record(
        z.string().regex(/^[A-Za-z0-9-]+$/, 'Header names use letters, digits and "-"'),
        z.string(),
      )
      .default({}),
    body: z.string().max(20_000).default(''),
    timeout: durationSchema.default('10s'),
    /** Copy values from the JSON response into custom fields: `{ field: 'orderStatus', from: 'order.status' }`. */
    map: z
      .array(z.object({ field: z.string().regex(FIELD_KEY_PATTERN), from: z.string().min(1) }))
      .default([]),
  }),
]);
export type ActionConfig = z.infer<typeof actionConfigSchema>;

function getActionTemplates(config: ActionConfig): ConfigTemplate[] {
  if (config.type !== 'http') return [];
  return [
    { path: ['url'], text: config.url },
    { path: ['body'], text: config.body },
    ...Object.entries(config.headers).map(([name, value]) => ({
      path: ['headers', name],
      text: value,
    })),
  ];
}

function getActionReferences(config: ActionConfig): ConfigReference[] {
  switch (config.type) {
    case 'set-fields':
      return config.set.flatMap((assignment, index) =>
        assignment.field.startsWith('fields.')
          ? [
              {
                type: 'field' as const,
                id: assignment.field.slice('fields.'.length),
                path: ['set', index, 'field'],
              },
            ]
          : [],
      );
    case 'http':
      return config.map.map((mapping, index) => ({
        type: 'field' as const,
        id: mapping.field,
        path: ['map', index, 'field'],
      }));
    case 'resolve':
      return [];
  }
}

export const actionNode = defineNodeKind({
  kind: 'action',
  label: text('Action', '动作'),
  icon: 'zap',
  group: 'automation',
  description: text(
    'Does something automatically: set ticket fields, resolve the ticket, or call an external system over HTTP (order, refund, invoice or CRM systems) and branch on success or failure, copying values from the response into ticket fields.',
    '自动执行操作：设置工单字段、自动解决工单，或通过 HTTP 调用外部系统（订单、退款、开票、CRM 等），按成功或失败分支，并把响应中的值写入工单字段。',
  ),
  configSchema: actionConfigSchema,
  defaultConfig: actionConfigSchema.parse({
    type: 'set-fields',
    set: [{ field: 'addTag', value: 'automated' }],
  }),
  getPorts: (config) =>
    config.type === 'http'
      ? [port('success', 'Success', '成功'), port('failure', 'Failure', '失败')]
      : [port('next', 'Next', '下一步')],
  waits: (config) => config.type === 'http',
  summarize: (config) => {
    switch (config.type) {
      case 'set-fields':
        return config.set.map((a) => `${a.field} = ${String(a.value)}`).join(' · ');
      case 'resolve':
        return 'resolve ticket';
      case 'http': {
        const host =
          getPlaceholders(config.url).length > 0
            ? (config.url.split('/')[2] ?? config.url)
            : new URL(config.url).host;
        return `${config.method} ${host}`;
      }
    }
  },
  getExpressions: () => [],
  getTemplates: getActionTemplates,
  getReferences: getActionReferences,
});
