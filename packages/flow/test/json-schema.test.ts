import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOW_JSON_SCHEMA_ID, getFlowJsonSchema, getNodeKind, NODE_KINDS } from '../src';
import { renderSchemaFile, SCHEMA_FILE } from '../scripts/schema-file';
import { around, minimalFlow, node, readTemplate } from './fixtures';
import { VALID_FLOWS } from './valid-flows';

const schema = getFlowJsonSchema();

/**
 * ajv 6 is the only JSON Schema validator in node_modules (hoisted from eslint; not a declared
 * dependency of this package). It reads draft-07, which is what the export targets.
 */
const validate = new Ajv({ allErrors: true }).compile(schema);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** schema.properties.nodes.items.oneOf — the per-kind node variants. */
function getNodeVariants(): Record<string, unknown>[] {
  const { properties } = schema;
  const nodes = isRecord(properties) ? properties.nodes : undefined;
  const items = isRecord(nodes) ? nodes.items : undefined;
  const variants = isRecord(items) ? items.oneOf : undefined;
  return Array.isArray(variants) ? variants.filter(isRecord) : [];
}

function getProperty(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

describe('getFlowJsonSchema', () => {
  it('matches the committed flow.schema.json', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      committed,
      'packages/flow/flow.schema.json is out of date: run `npm run generate:schema -w @switchyard/flow` and commit the result',
    ).toBe(renderSchemaFile());
  });

  it('carries an id, a title and a description', () => {
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://switchyard.dev/schemas/flow-v1.json',
      title: expect.any(String),
      description: expect.any(String),
    });
    expect(schema.$id).toBe(FLOW_JSON_SCHEMA_ID);
  });

  it('has one node variant per catalog kind, discriminated on kind', () => {
    const kinds = getNodeVariants().map((variant) =>
      getProperty(variant, 'properties', 'kind', 'const'),
    );
    expect(kinds).toEqual(NODE_KINDS);
  });

  it('makes fields with defaults optional (it describes what may be written)', () => {
    const [intakeVariant] = getNodeVariants();
    expect(getProperty(intakeVariant, 'properties', 'config', 'required')).toEqual(['channels']);
    expect(getProperty(schema, 'required')).toEqual([
      'schemaVersion',
      'id',
      'name',
      'nodes',
      'edges',
    ]);
  });

  it('accepts the saas-login template', () => {
    expect(validate(readTemplate()), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(VALID_FLOWS)('accepts what lint accepts: $name', ({ document }) => {
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(NODE_KINDS)('accepts the default config of %s', (kind) => {
    const document = around(node('step', kind, getNodeKind(kind).defaultConfig), []);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown node kind', around(node('step', 'teleport', {}), [])],
    [
      'a config that does not fit its kind',
      around(node('step', 'end', { outcome: 'finished' }), []),
    ],
    ['a config of another kind', around(node('step', 'wait', { outcome: 'closed' }), [])],
    ['a newer schemaVersion', { ...minimalFlow(), schemaVersion: 2 }],
    ['a bad node id', around(node('no spaces', 'end', { outcome: 'closed' }), [])],
  ])('rejects %s', (_name, document) => {
    expect(validate(document)).toBe(false);
  });
});
