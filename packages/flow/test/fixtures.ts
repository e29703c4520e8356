import { readFileSync } from 'node:fs';
import { flowDocumentSchema } from '../src';
import type { FlowDocument, FlowEdge, ValidFlow, ValidNode } from '../src';

const TEMPLATE_FILE = new URL('../../../templates/saas-login/flow.json', import.meta.url);

/** The SaaS login template exactly as committed (unknown shape, as an importer sees it). */
export function readTemplate(): unknown {
  return JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8'));
}

/** The template parsed by the document schema, for tests that mutate it. */
export function loadTemplate(): FlowDocument {
  return flowDocumentSchema.parse(readTemplate());
}

/** A node as an importer might send it: the config is not checked here. */
export interface RawNode {
  readonly id: string;
  readonly kind: string;
  readonly position: { readonly x: number; readonly y: number };
  readonly config: unknown;
}

export function node(id: string, kind: string, config: unknown): RawNode {
  return { id, kind, position: { x: 0, y: 0 }, config };
}

/** An edge with a readable default id: `source.port`. */
export function edge(source: string, sourcePort: string, target: string, id?: string): FlowEdge {
  return { id: id ?? `${source}-${sourcePort}`, source, sourcePort, target };
}

export const intake = (id = 'intake') => node(id, 'intake', { channels: ['web'] });
export const end = (id = 'done') => node(id, 'end', { outcome: 'resolved' });

/** A document with the given nodes and edges; the envelope is always valid. */
export function flowOf(
  nodes: readonly unknown[],
  edges: readonly unknown[],
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { schemaVersion: 1, id: 'test-flow', name: 'Test flow', ...extra, nodes, edges };
}

/** intake → done: the smallest flow that lints clean. */
export function minimalFlow(): Record<string, unknown> {
  return flowOf([intake(), end()], [edge('intake', 'next', 'done', 'e1')]);
}

/**
 * intake → `step` (nodes[1]); every port of `step` leads to the end node `done` (nodes[2]).
 * The way to put one node kind under test with everything around it valid.
 */
export function around(
  step: RawNode,
  ports: readonly string[],
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return flowOf(
    [intake(), step, end()],
    [edge('intake', 'next', step.id), ...ports.map((port) => edge(step.id, port, 'done'))],
    extra,
  );
}

export function findNode(flow: ValidFlow | undefined, id: string): ValidNode | undefined {
  return flow?.nodes.find((entry) => entry.id === id);
}
