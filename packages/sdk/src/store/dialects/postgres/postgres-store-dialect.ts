import { CompiledQuery, sql } from 'kysely';
import type { ColumnSpec } from '../../../domain/columns.js';
import type { LakeKysely } from '../../lake-kysely.js';
import { ValueCodec } from '../../value-codec.js';
import { onConflictClause } from '../on-conflict-clause.js';
import type { DataTypeExpression, StoreDialect, TableBuilder } from '../store-dialect.js';
import { openPostgresPool } from './postgres-driver.js';
import { postgresIntrospector } from './postgres-introspector.js';
import { POSTGRES_VALUES } from './postgres-values.js';

export class PostgresStoreDialect implements StoreDialect {
  readonly name = 'postgres' as const;
  readonly maxParameters = 60_000;
  readonly maxStatementBytes = undefined;
  readonly upsertNeedsUniqueKeys = true;
  readonly supportsTransactionalDdl = true;
  readonly tableOptions = undefined;
  readonly introspector = postgresIntrospector;
  readonly codec = new ValueCodec(POSTGRES_VALUES);
  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
  }

  createKysely(): LakeKysely {
    return openPostgresPool(this.#url);
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

  addGeneratedId(builder: TableBuilder): TableBuilder {
    return builder.addColumn('id', 'bigserial', (definition) => definition.primaryKey());
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
