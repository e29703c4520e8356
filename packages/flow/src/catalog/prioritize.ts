import { z } from 'zod';
import { customerTierSchema, impactSchema, prioritySchema } from '../ticket';
import { conditionSourceSchema } from './shared';
import { defineNodeKind, none, port, text } from './types';

/** One row of the decision table; empty cells match anything. First matching row wins. */
export const priorityRuleSchema = z.object({
  category: z.string().min(1).optional(),
  tier: customerTierSchema.optional(),
  impact: impactSchema.optional(),
  when: conditionSourceSchema.optional(),
  priority: prioritySchema,
});
export type PriorityRule = z.infer<typeof priorityRuleSchema>;

export const prioritizeConfigSchema = z.object({
  rules: z.array(priorityRuleSchema).default([]),
  default: prioritySchema.default('medium'),
});

export const prioritizeNode = defineNodeKind({
  kind: 'prioritize',
  label: text('Prioritize', '定优先级'),
  icon: 'gauge',
  group: 'routing',
  description: text(
    'Sets the priority from a decision table of category × customer tier × impact (and an optional condition). The first matching row wins; no match gives the default.',
    '按“分类 × 客户等级 × 影响范围”（可加条件）的决策表设置优先级。命中第一行即生效；都不命中时使用默认值。',
  ),
  configSchema: prioritizeConfigSchema,
  defaultConfig: prioritizeConfigSchema.parse({
    rules: [{ tier: 'vip', priority: 'high' }],
    default: 'medium',
  }),
  getPorts: () => [port('next', 'Next', '下一步')],
  waits: () => false,
  summarize: (config) =>
    `${config.rules.length} row${config.rules.length === 1 ? '' : 's'} · default ${config.default}`,
  getExpressions: (config) =>
    config.rules.flatMap((rule, index) =>
      rule.when === undefined ? [] : [{ path: ['rules', index, 'when'], source: rule.when }],
    ),
  getTemplates: none,
  getReferences: none,
});
