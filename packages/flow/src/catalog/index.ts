import { actionNode } from './action';
import { approvalNode } from './approval';
import { assignNode } from './assign';
import { classifyNode } from './classify';
import { conditionNode } from './condition';
import { endNode } from './end';
import { intakeNode } from './intake';
import { notifyNode } from './notify';
import { prioritizeNode } from './prioritize';
import { slaNode } from './sla';
import { surveyNode } from './survey';
import type { NodeKindDefinition } from './types';
import { waitNode } from './wait';

/** Every node kind, declared once (ARCHITECTURE §3). Order is the palette order. */
export const NODE_CATALOG = {
  intake: intakeNode,
  classify: classifyNode,
  prioritize: prioritizeNode,
  assign: assignNode,
  condition: conditionNode,
  approval: approvalNode,
  wait: waitNode,
  sla: slaNode,
  notify: notifyNode,
  action: actionNode,
  survey: surveyNode,
  end: endNode,
} as const;

export type NodeKind = keyof typeof NODE_CATALOG;
export const NODE_KINDS = Object.keys(NODE_CATALOG) as NodeKind[];

/** The config type of a node kind, e.g. `NodeConfig<'sla'>`. */
export type NodeConfig<TKind extends NodeKind> =
  (typeof NODE_CATALOG)[TKind] extends NodeKindDefinition<TKind, infer TConfig> ? TConfig : never;

export function isNodeKind(kind: string): kind is NodeKind {
  return Object.hasOwn(NODE_CATALOG, kind);
}

/** The catalog entry for a kind, typed loosely for generic code (lint, the palette). */
export function getNodeKind(kind: NodeKind): NodeKindDefinition<NodeKind> {
  return NODE_CATALOG[kind];
}
