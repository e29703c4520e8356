// One shape for a SQLite table, built two ways: from Prisma's data model (what `prisma migrate`
// would create for SQLite) and from a live database (what our SQL migrations created).
import type { SqliteDatabase } from '../../src/index';
import type { Datamodel, DmmfField, DmmfModel } from './dmmf';

export interface ColumnShape {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  /** The DEFAULT expression as SQLite reports it, e.g. `CURRENT_TIMESTAMP`, `'en'`, `0`. */
  readonly default: string | null;
  /** Position in the primary key, 1-based; 0 when not part of it. */
  readonly primaryKey: number;
}

export interface IndexShape {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

export interface ForeignKeyShape {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: string;
  readonly onUpdate: string;
}

export interface TableShape {
  readonly name: string;
  readonly autoincrement: boolean;
  /** Sorted by name: Prisma's migrate ignores column order too. */
  readonly columns: readonly ColumnShape[];
  readonly indexes: readonly IndexShape[];
  readonly foreignKeys: readonly ForeignKeyShape[];
}

// Prisma's column types for the sqlite provider. A scalar type missing here fails the test
// with a message to add it, rather than guessing.
const SQLITE_TYPES: Readonly<Record<string, string>> = {
  String: 'TEXT',
  Boolean: 'BOOLEAN',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'REAL',
  Decimal: 'DECIMAL',
  DateTime: 'DATETIME',
  Bytes: 'BLOB',
};

// Prisma's referential actions as SQLite spells them.
const REFERENTIAL_ACTIONS: Readonly<Record<string, string>> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/** Generators Prisma Client runs in JavaScript: they leave no DEFAULT in the database. */
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid', 'autoincrement']);

function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((candidate) => candidate.name === fieldName);
  if (!field) throw new Error(`${model.name} has no field ${fieldName}`);
  return field.dbName ?? field.name;
}

function isCall(value: unknown): value is { name: string; args: unknown[] } {
  return typeof value === 'object' && value !== null && 'name' in value && 'args' in value;
}

function sqlDefault(model: DmmfModel, field: DmmfField): string | null {
  if (!field.hasDefaultValue) return null;
  const value = field.default;
  if (isCall(value)) {
    if (CLIENT_SIDE_DEFAULTS.has(value.name)) return null;
    if (value.name === 'now') return 'CURRENT_TIMESTAMP';
    if (value.name === 'dbgenerated' && typeof value.args[0] === 'string') return value.args[0];
    throw new Error(`${model.name}.${field.name}: default ${value.name}() is not mapped; add it.`);
  }
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${model.name}.${field.name}: default ${JSON.stringify(value)} is not mapped.`);
}

function expectedColumn(model: DmmfModel, field: DmmfField): ColumnShape {
  const type = field.kind === 'enum' ? 'TEXT' : SQLITE_TYPES[field.type];
  if (type === undefined || field.isList) {
    throw new Error(
      `${model.name}.${field.name}: no SQLite column type for ${field.type}; add it.`,
    );
  }
  const primaryKeyFields =
    model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
  return {
    name: field.dbName ?? field.name,
    type,
    notNull: field.isRequired,
    default: sqlDefault(model, field),
    primaryKey: primaryKeyFields.indexOf(field.name) + 1,
  };
}

/** The tables `prisma migrate` would create for SQLite from this data model, by table name. */
export function getExpectedTables(datamodel: Datamodel): TableShape[] {
  const tables = datamodel.models.map((model): TableShape => {
    const table = tableName(model);
    const scalars = model.fields.filter(
      (field) => field.kind === 'scalar' || field.kind === 'enum',
    );
    const indexes = datamodel.indexes
      .filter(
        (index) =>
          index.model === model.name && (index.type === 'unique' || index.type === 'normal'),
      )
      .map((index): IndexShape => {
        const columns = index.fields.map((field) => columnName(model, field));
        const suffix = index.type === 'unique' ? 'key' : 'idx';
        return {
          name: index.dbName ?? `${table}_${columns.join('_')}_${suffix}`,
          unique: index.type === 'unique',
          columns,
        };
      });
    const foreignKeys = model.fields
      .filter((field) => field.kind === 'object' && field.relationFromFields.length > 0)
      .map((field): ForeignKeyShape => {
        const target = datamodel.models.find((candidate) => candidate.name === field.type);
        if (!target) throw new Error(`${model.name}.${field.name}: unknown model ${field.type}`);
        const columns = field.relationFromFields.map((name) => columnName(model, name));
        const allRequired = field.relationFromFields.every(
          (name) => model.fields.find((candidate) => candidate.name === name)?.isRequired,
        );
        // Prisma's defaults: Restrict for required relations, SetNull for optional; Cascade on update.
        const onDelete = field.relationOnDelete ?? (allRequired ? 'Restrict' : 'SetNull');
        const onUpdate = field.relationOnUpdate ?? 'Cascade';
        return {
          name: `${table}_${columns.join('_')}_fkey`,
          columns,
          references: tableName(target),
          referencedColumns: field.relationToFields.map((name) => columnName(target, name)),
          onDelete: REFERENTIAL_ACTIONS[onDelete] ?? onDelete,
          onUpdate: REFERENTIAL_ACTIONS[onUpdate] ?? onUpdate,
        };
      });
    return {
      name: table,
      autoincrement: scalars.some(
        (field) => isCall(field.default) && field.default.name === 'autoincrement',
      ),
      columns: byName(scalars.map((field) => expectedColumn(model, field))),
      indexes: byName(indexes),
      foreignKeys: byName(foreignKeys),
    };
  });
  return byName(tables);
}

interface TableInfoRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface IndexListRow {
  name: string;
  unique: number;
  origin: string;
  partial: number;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
}

/** The tables a database actually has, leaving out SQLite's own and the migration ledger. */
export function getActualTables(db: SqliteDatabase, ignore: readonly string[]): TableShape[] {
  const tables = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .all()
    .filter((table) => !ignore.includes(table.name));
  return byName(
    tables.map((table): TableShape => {
      const columns = db
        .prepare<[string], TableInfoRow>('SELECT * FROM pragma_table_xinfo(?)')
        .all(table.name)
        .map((row): ColumnShape => {
          if (row.hidden !== 0)
            throw new Error(`${table.name}.${row.name} is a hidden/generated column`);
          return {
            name: row.name,
            type: row.type,
            notNull: row.notnull === 1,
            default: row.dflt_value,
            primaryKey: row.pk,
          };
        });
      const indexes = db
        .prepare<[string], IndexListRow>('SELECT * FROM pragma_index_list(?)')
        .all(table.name)
        .filter((row) => row.origin !== 'pk')
        .map((row): IndexShape => {
          if (row.partial !== 0)
            throw new Error(`index ${row.name} is partial; Prisma never creates one`);
          const columns = db
            .prepare<[string], { name: string }>(
              'SELECT name FROM pragma_index_info(?) ORDER BY seqno',
            )
            .all(row.name)
            .map((column) => column.name);
          return { name: row.name, unique: row.unique === 1, columns };
        });
      const constraintNames = [
        ...table.sql.matchAll(/CONSTRAINT "([^"]+)" FOREIGN KEY \(([^)]*)\)/g),
      ];
      const rows = db
        .prepare<[string], ForeignKeyRow>(
          'SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq',
        )
        .all(table.name);
      const foreignKeys = [...new Set(rows.map((row) => row.id))].map((id): ForeignKeyShape => {
        const parts = rows.filter((row) => row.id === id);
        const first = parts[0];
        if (!first) throw new Error(`foreign key ${id} of ${table.name} has no columns`);
        const columns = parts.map((row) => row.from);
        const quoted = columns.map((column) => `"${column}"`).join(', ');
        const named = constraintNames.find((match) => match[2] === quoted);
        return {
          name: named?.[1] ?? '(unnamed)',
          columns,
          references: first.table,
          referencedColumns: parts.map((row) => row.to),
          onDelete: first.on_delete,
          onUpdate: first.on_update,
        };
      });
      return {
        name: table.name,
        autoincrement: /\bAUTOINCREMENT\b/i.test(table.sql),
        columns: byName(columns),
        indexes: byName(indexes),
        foreignKeys: byName(foreignKeys),
      };
    }),
  );
}
