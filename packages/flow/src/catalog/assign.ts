import { z } from 'zod';
import { conditionSourceSchema, idSchema } from './shared';
import { defineNodeKind, none, port, text } from './types';

export const ASSIGNMENT_STRATEGIES = ['least-loaded', 'round-robin', 'queue'] as const;

export const assignConfigSchema = z.object({
  /** Checked in order; the first rule whose condition holds picks the team. */
  teamRules: z.array(z.object({ when: conditionSourceSchema, team: idSchema })).default([]),
  /** Team used when no rule matches. */
  team: idSchema,
  /** How an agent is picked inside the team; `queue` leaves the ticket in the team queue. */
  strategy: z.enum(ASSIGNMENT_STRATEGIES).default('least-loaded'),
  /** Skills-based routing: only agents having all of these skills are eligible. */
  requiredSkills: z.array(z.string().min(1)).default([]),
});
export type AssignConfig = z.infer<typeof assignConfigSchema>;

export const assignNode = defineNodeKind({
  kind: 'assign',
  label: text('Assign', '分派'),
  icon: 'user-check',
  group: 'people',
  description: text(
    'Routes the ticket to a team (by rules, else the default team) and picks an agent: least-loaded or round-robin among agents on shift with capacity and the required skills. With no agent free, the ticket waits in the team queue and is assigned when one frees up.',
    '将工单分给团队（按规则，否则默认团队）并挑选坐席：在班、有余量且具备所需技能的坐席中按最少负载或轮询分配。没有可用坐席时工单进入团队队列，待有人空闲时再分配。',
  ),
  configSchema: assignConfigSchema,
  defaultConfig: assignConfigSchema.parse({ team: 'support' }),
  getPorts: () => [port('next', 'Next', '下一步')],
  waits: () => false,
  summarize: (config) =>
    [
      config.team,
      config.strategy,
      config.requiredSkills.length > 0 ? `skills: ${config.requiredSkills.join(', ')}` : '',
      config.teamRules.length > 0
        ? `${config.teamRules.length} rule${config.teamRules.length === 1 ? '' : 's'}`
        : '',
    ]
      .filter((part) => part !== '')
      .join(' · '),
  getExpressions: (config) =>
    config.teamRules.map((rule, index) => ({
      path: ['teamRules', index, 'when'],
      source: rule.when,
    })),
  getTemplates: none,
  getReferences: (config) => [
    ...config.teamRules.map((rule, index) => ({
      type: 'team' as const,
      id: rule.team,
      path: ['teamRules', index, 'team'],
    })),
    { type: 'team' as const, id: config.team, path: ['team'] },
  ],
});
