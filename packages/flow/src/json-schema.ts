import { z } from 'zod';
import { getNodeKind, NODE_KINDS } from './catalog';
import type { NodeKind } from './catalog';
import { CURRENT_SCHEMA_VERSION, flowDocumentSchema, flowNodeSchema } from './document';

/** Stable address of the published schema; editors key their cache on it. */
export const FLOW_JSON_SCHEMA_ID = `https://switchyard.dev/schemas/flow-v${CURRENT_SCHEMA_VERSION}.json`;

/** A node variant per kind: `kind` fixed to the literal, `config` that kind's own schema. */
function getNodeVariant(kind: NodeKind) {
  return flowNodeSchema.extend({ kind: z.literal(kind), config: getNodeKind(kind).configSchema });
}

/**
 * The document schema with `nodes` typed per kind, straight from the catalog, so a new kind
 * needs no edit here. Lint checks each node's config against its catalog entry in a second step
 * (one broken node must not hide the others); a JSON Schema says the same in one go with a union
 * discriminated on `kind`.
 */
function getTypedDocumentSchema() {
  const [first, ...rest] = NODE_KINDS;
  if (first === undefined) throw new Error('The node catalog is empty');
  const node = z.discriminatedUnion('kind', [
    getNodeVariant(first),
    ...rest.map((kind) => getNodeVariant(kind)),
  ]);
  return flowDocumentSchema.extend({ nodes: z.array(node) });
}

/**
 * The Flow document format as a JSON Schema, for editors (`"$schema"` in a flow file) and tools
 * outside TypeScript. It describes the shape only: cross-references (edge targets, ports, team
 * and calendar ids), CEL and placeholders are checked by `lintFlow`, not here.
 *
 * Fields with defaults are optional (the schema describes what may be written, not what lint
 * returns). Targets JSON Schema draft-07, which editors and validators support most widely.
 *
 * @example
 * writeFileSync('flow.schema.json', `${JSON.stringify(getFlowJsonSchema(), null, 2)}\n`);
 */
export function getFlowJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(getTypedDocumentSchema(), {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'any',
  });
  return {
    $schema,
    $id: FLOW_JSON_SCHEMA_ID,
    title: 'Switchyard flow',
    description: `A Switchyard flow document (schemaVersion ${CURRENT_SCHEMA_VERSION}): the ticket fields, teams and calendars it uses, its nodes (one of the catalog's kinds, each with its own config) and the edges between their ports.`,
    ...body,
  };
}
