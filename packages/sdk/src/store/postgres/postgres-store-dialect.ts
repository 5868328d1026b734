import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { ColumnSpec } from '../../domain/columns.js';
import type { LakeKysely } from '../lake-kysely.js';
import type { TableDescription } from '../schema-description.js';
import type { DataTypeExpression, StoreDialect, TableBuilder } from '../store-dialect.js';
import {
  buildColumnConverter,
  type Converter,
  onConflictClause,
  toDate,
  toPortableValue,
} from '../value-conversion.js';
import { describePostgresTable, listPostgresTables, postgresTableExists } from './postgres-introspector.js';

/** PostgreSQL text cannot hold NUL. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Type parsers local to Lake's pool: bigint and numeric come back as numbers, not strings. */
const lakeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number.parseInt(value, 10);
    if (oid === NUMERIC_OID) return (value: string) => Number.parseFloat(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export class PostgresStoreDialect implements StoreDialect {
  readonly name = 'postgres' as const;
  readonly maxParameters = 60_000;
  readonly maxStatementBytes = undefined;
  readonly upsertNeedsUniqueKeys = true;
  readonly supportsTransactionalDdl = true;
  readonly tableOptions = undefined;
  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
  }

  createKysely(): LakeKysely {
    const pool = new pg.Pool({ connectionString: this.#url, max: 10, types: lakeTypes });
    // An idle client that errors (server restart) must not crash the process; the next query reports it.
    pool.on('error', () => {});
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  }

  async initialize(): Promise<void> {}

  quote(identifier: string): string {
    return `"${identifier.replaceAll('"', '""')}"`;
  }

  placeholder(index: number): string {
    return `$${index}`;
  }

  columnType(spec: ColumnSpec): DataTypeExpression {
    switch (spec.kind) {
      case 'varchar':
        return sql`varchar(${sql.raw(String(spec.length ?? 255))})`;
      case 'bigint':
        return 'bigint';
      case 'float':
        return 'double precision';
      case 'bool':
        return 'boolean';
      case 'datetime':
        return 'timestamptz';
      default:
        return 'text';
    }
  }

  toDatabase(value: unknown, spec: ColumnSpec | undefined): unknown {
    if (spec?.kind === 'datetime') return toDate(value);
    if (spec?.kind === 'bool' && typeof value === 'number') return value !== 0;
    const portable = toPortableValue(value, spec);
    return typeof portable === 'string' ? withoutNul(portable) : portable;
  }

  columnConverter(spec: ColumnSpec): Converter {
    return buildColumnConverter(spec, { booleans: [true, false], datetime: (date) => date, text: withoutNul });
  }

  addGeneratedId(builder: TableBuilder): TableBuilder {
    return builder.addColumn('id', 'bigserial', (definition) => definition.primaryKey());
  }

  listTables(db: LakeKysely): Promise<string[]> {
    return listPostgresTables(db);
  }

  tableExists(db: LakeKysely, table: string): Promise<boolean> {
    return postgresTableExists(db, table);
  }

  describeTable(db: LakeKysely, table: string): Promise<TableDescription | undefined> {
    return describePostgresTable(db, table);
  }

  upsertClause(keyColumns: string[], updateColumns: string[]): string {
    return onConflictClause((name) => this.quote(name), keyColumns, updateColumns);
  }

  async insertReturningIds(
    db: LakeKysely,
    table: string,
    columns: readonly string[],
    values: unknown[],
    rowCount: number,
  ): Promise<number[]> {
    let position = 0;
    const tuple = () => `(${columns.map(() => `$${++position}`).join(', ')})`;
    const statement = `INSERT INTO ${this.quote(table)} (${columns.map((name) => this.quote(name)).join(', ')}) VALUES ${Array.from({ length: rowCount }, tuple).join(', ')} RETURNING "id"`;
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(statement, values));
    return result.rows.map((row) => Number(row.id)).sort((left, right) => left - right);
  }
}
