import { z } from 'zod';
import { conditionSourceSchema, idSchema, unique } from './shared';
import { defineNodeKind, none, port, text } from './types';

export const conditionConfigSchema = z.object({
  branches: z
    .array(z.object({ id: idSchema, label: z.string().min(1), when: conditionSourceSchema }))
    .min(1, 'Add at least one branch')
    .refine((list) => unique(list, (b) => b.id), 'Branch ids must be unique')
    .refine(
      (list) => list.every((b) => b.id !== 'else'),
      '"else" is reserved for the fallback port',
    ),
});

export const conditionNode = defineNodeKind({
  kind: 'condition',
  label: text('Condition', '条件'),
  icon: 'split',
  group: 'routing',
  description: text(
    'Branches on CEL conditions over the ticket, checked top to bottom; the first that holds is taken, otherwise "else".',
    '按自上而下的 CEL 条件分支，第一个成立的分支生效，否则走“否则”出口。',
  ),
  configSchema: conditionConfigSchema,
  defaultConfig: conditionConfigSchema.parse({
    branches: [{ id: 'vip', label: 'VIP', when: 'ticket.customer.tier == "vip"' }],
  }),
  getPorts: (config) => [
    ...config.branches.map((branch) => port(branch.id, branch.label, branch.label)),
    port('else', 'Else', '否则'),
  ],
  waits: () => false,
  summarize: (config) => config.branches.map((branch) => branch.label).join(' · '),
  getExpressions: (config) =>
    config.branches.map((branch, index) => ({
      path: ['branches', index, 'when'],
      source: branch.when,
    })),
  getTemplates: none,
  getReferences: none,
});
