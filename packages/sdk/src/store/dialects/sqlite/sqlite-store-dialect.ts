import { CompiledQuery, sql } from 'kysely';
import type { ColumnSpec } from '../../../domain/columns.js';
import type { LakeKysely } from '../../lake-kysely.js';
import { ValueCodec } from '../../value-codec.js';
import { onConflictClause } from '../on-conflict-clause.js';
import type { DataTypeExpression, StoreDialect, TableBuilder } from '../store-dialect.js';
import { openSqliteDatabase } from './sqlite-driver.js';
import { sqliteIntrospector } from './sqlite-introspector.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/**
 * The embedded default. WAL journal with synchronous=NORMAL: a killed process never loses a
 * committed transaction; only a power cut may lose the last ones, which incremental state
 * then re-collects.
 */
export class SqliteStoreDialect implements StoreDialect {
  readonly name = 'sqlite' as const;
  readonly maxParameters = 30_000;
  readonly maxStatementBytes = undefined;
  readonly upsertNeedsUniqueKeys = false;
  readonly supportsTransactionalDdl = true;
  readonly tableOptions = undefined;
  readonly introspector = sqliteIntrospector;
  readonly codec = new ValueCodec(SQLITE_VALUES);
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  createKysely(): LakeKysely {
    return openSqliteDatabase(this.#path);
  }

  async initialize(): Promise<void> {}

  quote(identifier: string): string {
    return `"${identifier.replaceAll('"', '""')}"`;
  }

  placeholder(): string {
    return '?';
  }

  columnType(spec: ColumnSpec): DataTypeExpression {
    switch (spec.kind) {
      case 'varchar':
        return sql`varchar(${sql.raw(String(spec.length ?? 255))})`;
      case 'bigint':
        return 'integer';
      case 'float':
        return 'real';
      case 'bool':
        return 'integer';
      case 'datetime':
        return 'text';
      default:
        return 'text';
    }
  }

  addGeneratedId(builder: TableBuilder): TableBuilder {
    return builder.addColumn('id', 'integer', (definition) => definition.primaryKey().autoIncrement());
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
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statement = `INSERT INTO ${this.quote(table)} (${columns.map((name) => this.quote(name)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')} RETURNING "id"`;
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(statement, values));
    // Ids are assigned in VALUES order; RETURNING's order is unspecified, so sort.
    return result.rows.map((row) => Number(row.id)).sort((left, right) => left - right);
  }
}
