import { z } from 'zod';
import { idSchema, unique } from './shared';
import { defineNodeKind, none, port, text } from './types';

export const keywordRuleSchema = z
  .object({
    id: idSchema,
    category: z.string().min(1),
    subcategory: z.string().min(1).optional(),
    any: z.array(z.string().trim().min(1, 'A keyword cannot be blank')).optional(),
    all: z.array(z.string().trim().min(1, 'A keyword cannot be blank')).optional(),
    none: z.array(z.string().trim().min(1, 'A keyword cannot be blank')).optional(),
    scope: z.enum(['subject', 'description', 'both']).default('both'),
    tags: z.array(z.string().min(1)).default([]),
  })
  .refine((rule) => (rule.any?.length ?? 0) + (rule.all?.length ?? 0) > 0, {
    message: 'A rule needs at least one keyword under "any" or "all"',
    path: ['any'],
  });
export type KeywordRule = z.infer<typeof keywordRuleSchema>;

export const classifyCategorySchema = z.object({
  id: idSchema,
  label: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
});

export const classifyConfigSchema = z
  .object({
    mode: z.enum(['rules', 'model', 'rules-then-model']).default('rules'),
    categories: z
      .array(classifyCategorySchema)
      .min(1, 'Declare at least one category')
      .refine((list) => unique(list, (c) => c.id), 'Category ids must be unique')
      .refine(
        (list) => list.every((c) => c.id !== 'unknown'),
        '"unknown" is reserved for the fallback port',
      ),
    rules: z.array(keywordRuleSchema).default([]),
    model: z
      .object({
        modelId: z.string().min(1),
        threshold: z.number().min(0).max(1).default(0.5),
        /** Model labels that are not category ids map here; unmapped labels count as unknown. */
        labelMap: z
          .record(
            z.string(),
            z.object({ category: z.string(), subcategory: z.string().optional() }),
          )
          .default({}),
      })
      .optional(),
  })
  .refine((config) => config.mode === 'rules' || config.model !== undefined, {
    message: 'Pick a trained model for this mode',
    path: ['model'],
  })
  .refine((config) => config.mode === 'model' || config.rules.length > 0, {
    message: 'Add at least one keyword rule for this mode',
    path: ['rules'],
  })
  .refine((config) => unique(config.rules, (r) => r.id), {
    message: 'Rule ids must be unique',
    path: ['rules'],
  })
  .superRefine((config, ctx) => {
    const categories = new Set(config.categories.map((c) => c.id));
    config.rules.forEach((rule, index) => {
      if (!categories.has(rule.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'category'],
          message: `Rule "${rule.id}" sets category "${rule.category}", which is not one of this node's categories; add the category or pick another`,
        });
      }
    });
  });
export type ClassifyConfig = z.infer<typeof classifyConfigSchema>;

export const classifyNode = defineNodeKind({
  kind: 'classify',
  label: text('Classify', '分类'),
  icon: 'tags',
  group: 'routing',
  description: text(
    'Sets the ticket category (and subcategory and tags) from keyword rules, a trained intent model, or rules first and the model when no rule matches. One output per category, plus "unknown" for manual triage.',
    '根据关键词规则、训练好的意图模型（或先规则后模型）设置工单的分类、子分类和标签。每个分类一个出口，另有“未知”出口用于人工分拣。',
  ),
  configSchema: classifyConfigSchema,
  defaultConfig: classifyConfigSchema.parse({
    mode: 'rules',
    categories: [{ id: 'general', label: 'General' }],
    rules: [{ id: 'rule-1', category: 'general', any: ['help'] }],
  }),
  getPorts: (config) => [
    ...config.categories.map((category) =>
      port(category.id, category.label, category.labels?.['zh-CN'] ?? category.label),
    ),
    port('unknown', 'Unknown', '未知'),
  ],
  waits: () => false,
  summarize: (config) =>
    `${config.mode} · ${config.rules.length} rule${config.rules.length === 1 ? '' : 's'} · ${config.categories.map((c) => c.id).join(', ')}`,
  getExpressions: none,
  getTemplates: none,
  getReferences: none,
});
