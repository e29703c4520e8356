// Reads src/generated/dmmf.json (written by scripts/dmmf-generator.mjs on `npm run generate`)
// and checks the parts of Prisma's DMMF that the schema test relies on.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DMMF_PATH = fileURLToPath(new URL('../../src/generated/dmmf.json', import.meta.url));
const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

export interface DmmfField {
  readonly name: string;
  readonly dbName: string | null;
  readonly kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  readonly type: string;
  readonly isList: boolean;
  readonly isRequired: boolean;
  readonly isId: boolean;
  readonly isUpdatedAt: boolean;
  readonly hasDefaultValue: boolean;
  /** A literal (string, number, boolean) or a function call such as `{ name: 'now', args: [] }`. */
  readonly default: unknown;
  readonly relationFromFields: readonly string[];
  readonly relationToFields: readonly string[];
  readonly relationOnDelete: string | undefined;
  readonly relationOnUpdate: string | undefined;
}

export interface DmmfModel {
  readonly name: string;
  readonly dbName: string | null;
  readonly fields: readonly DmmfField[];
  readonly primaryKey: { readonly fields: readonly string[] } | null;
}

export interface DmmfIndex {
  readonly model: string;
  readonly type: 'id' | 'normal' | 'unique' | 'fulltext';
  readonly dbName: string | undefined;
  readonly fields: readonly string[];
}

export interface Datamodel {
  readonly models: readonly DmmfModel[];
  readonly indexes: readonly DmmfIndex[];
}

function fail(path: string, expected: string): never {
  throw new Error(
    `At ${path} in src/generated/dmmf.json: expected ${expected}. Run \`npm run generate\` in packages/db.`,
  );
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

function optionalText(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, path);
}

function flag(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean');
  return value;
}

function oneOf<T extends string>(value: unknown, options: readonly T[], path: string): T {
  const found = options.find((option) => option === value);
  if (found === undefined) fail(path, `one of ${options.join(', ')}`);
  return found;
}

function parseField(value: unknown, path: string): DmmfField {
  const field = record(value, path);
  return {
    name: text(field.name, `${path}.name`),
    dbName: optionalText(field.dbName, `${path}.dbName`) ?? null,
    kind: oneOf(field.kind, ['scalar', 'enum', 'object', 'unsupported'], `${path}.kind`),
    type: text(field.type, `${path}.type`),
    isList: flag(field.isList, `${path}.isList`),
    isRequired: flag(field.isRequired, `${path}.isRequired`),
    isId: flag(field.isId, `${path}.isId`),
    isUpdatedAt: flag(field.isUpdatedAt, `${path}.isUpdatedAt`),
    hasDefaultValue: flag(field.hasDefaultValue, `${path}.hasDefaultValue`),
    default: field.default,
    relationFromFields: list(field.relationFromFields ?? [], `${path}.relationFromFields`).map(
      (name, i) => text(name, `${path}.relationFromFields.${i}`),
    ),
    relationToFields: list(field.relationToFields ?? [], `${path}.relationToFields`).map(
      (name, i) => text(name, `${path}.relationToFields.${i}`),
    ),
    relationOnDelete: optionalText(field.relationOnDelete, `${path}.relationOnDelete`),
    relationOnUpdate: optionalText(field.relationOnUpdate, `${path}.relationOnUpdate`),
  };
}

function parseModel(value: unknown, path: string): DmmfModel {
  const model = record(value, path);
  const primaryKey =
    model.primaryKey === null || model.primaryKey === undefined
      ? null
      : {
          fields: list(
            record(model.primaryKey, `${path}.primaryKey`).fields,
            `${path}.primaryKey.fields`,
          ).map((name, i) => text(name, `${path}.primaryKey.fields.${i}`)),
        };
  return {
    name: text(model.name, `${path}.name`),
    dbName: optionalText(model.dbName, `${path}.dbName`) ?? null,
    fields: list(model.fields, `${path}.fields`).map((field, i) =>
      parseField(field, `${path}.fields.${i}`),
    ),
    primaryKey,
  };
}

function parseIndex(value: unknown, path: string): DmmfIndex {
  const index = record(value, path);
  return {
    model: text(index.model, `${path}.model`),
    type: oneOf(index.type, ['id', 'normal', 'unique', 'fulltext'], `${path}.type`),
    dbName: optionalText(index.dbName, `${path}.dbName`),
    fields: list(index.fields, `${path}.fields`).map((field, i) =>
      text(record(field, `${path}.fields.${i}`).name, `${path}.fields.${i}.name`),
    ),
  };
}

/**
 * The data model of prisma/schema.prisma as Prisma understands it. Throws if the generated JSON
 * is older than the schema file, so a schema edit cannot be compared against a stale model.
 */
export function loadDatamodel(): Datamodel {
  const document = record(JSON.parse(readFileSync(DMMF_PATH, 'utf8')), '$');
  const schemaSha256 = createHash('sha256').update(readFileSync(SCHEMA_PATH, 'utf8')).digest('hex');
  if (document.schemaSha256 !== schemaSha256) {
    throw new Error(
      'src/generated/dmmf.json was generated from an older prisma/schema.prisma. ' +
        'Run `npm run generate` in packages/db.',
    );
  }
  const datamodel = record(document.datamodel, '$.datamodel');
  return {
    models: list(datamodel.models, '$.datamodel.models').map((model, i) =>
      parseModel(model, `$.datamodel.models.${i}`),
    ),
    indexes: list(datamodel.indexes, '$.datamodel.indexes').map((index, i) =>
      parseIndex(index, `$.datamodel.indexes.${i}`),
    ),
  };
}
