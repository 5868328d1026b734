import { CompiledQuery, sql } from 'kysely';
import type { ColumnSpec } from '../../../domain/columns.js';
import type { LakeKysely } from '../../lake-kysely.js';
import { ValueCodec } from '../../value-codec.js';
import type { DataTypeExpression, StoreDialect, TableBuilder } from '../store-dialect.js';
import { openMysqlPool } from './mysql-driver.js';
import { mysqlIntrospector } from './mysql-introspector.js';
import { MYSQL_VALUES } from './mysql-values.js';

/**
 * MySQL 8 and MariaDB 10.5+. Datetimes are stored in UTC (`timezone: 'Z'`) with millisecond
 * precision; text is utf8mb4 `longtext`, as in DevLake's migrated schema.
 */
export class MysqlStoreDialect implements StoreDialect {
  readonly name = 'mysql' as const;
  readonly maxParameters = 60_000;
  readonly maxStatementBytes = 4 * 1024 * 1024;
  readonly upsertNeedsUniqueKeys = false;
  readonly supportsTransactionalDdl = false;
  readonly introspector = mysqlIntrospector;
  readonly codec = new ValueCodec(MYSQL_VALUES);
  /** DevLake's tables: InnoDB, utf8mb4 with a binary collation (case-sensitive keys, as on the other dialects). */
  readonly tableOptions = sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;
  readonly #url: string;
  /** MariaDB has INSERT … RETURNING; MySQL has not. */
  #supportsReturning = false;
  /** innodb_autoinc_lock_mode < 2 guarantees consecutive ids for one multi-row insert. */
  #consecutiveIds = false;

  constructor(url: string) {
    this.#url = url;
  }

  createKysely(): LakeKysely {
    return openMysqlPool(this.#url);
  }

  async initialize(db: LakeKysely): Promise<void> {
    const result = await db.executeQuery<{ version: string; lockMode: number }>(
      CompiledQuery.raw('SELECT VERSION() AS version, @@innodb_autoinc_lock_mode AS lockMode'),
    );
    const row = result.rows[0];
    this.#supportsReturning = /mariadb/i.test(row?.version ?? '');
    this.#consecutiveIds = Number(row?.lockMode ?? 2) < 2;
  }

  quote(identifier: string): string {
    return `\`${identifier.replaceAll('`', '``')}\``;
  }

  placeholder(): string {
    return '?';
  }

  columnType(spec: ColumnSpec): DataTypeExpression {
    switch (spec.kind) {
      case 'varchar':
        return sql`varchar(${sql.raw(String(spec.length ?? 255))})`;
      case 'bigint':
        return 'bigint';
      case 'float':
        return sql`double`;
      case 'bool':
        return 'boolean';
      case 'datetime':
        return sql`datetime(3)`;
      default:
        return sql`longtext`;
    }
  }

  addGeneratedId(builder: TableBuilder): TableBuilder {
    return builder.addColumn('id', 'bigint', (definition) => definition.unsigned().autoIncrement().primaryKey());
  }

  upsertClause(keyColumns: string[], updateColumns: string[]): string {
    const columns = updateColumns.length > 0 ? updateColumns : keyColumns.slice(0, 1);
    const set = columns
      .map((name) =>
        updateColumns.length > 0
          ? `${this.quote(name)} = VALUES(${this.quote(name)})`
          : `${this.quote(name)} = ${this.quote(name)}`,
      )
      .join(', ');
    return ` ON DUPLICATE KEY UPDATE ${set}`;
  }

  async insertReturningIds(
    db: LakeKysely,
    table: string,
    columns: readonly string[],
    values: unknown[],
    rowCount: number,
  ): Promise<number[]> {
    const head = `INSERT INTO ${this.quote(table)} (${columns.map((name) => this.quote(name)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const tuples = Array(rowCount).fill(tuple).join(', ');
    if (this.#supportsReturning) {
      const result = await db.executeQuery<{ id: number }>(
        CompiledQuery.raw(`${head}${tuples} RETURNING \`id\``, values),
      );
      return result.rows.map((row) => Number(row.id)).sort((left, right) => left - right);
    }
    if (this.#consecutiveIds) {
      const result = await db.executeQuery(CompiledQuery.raw(`${head}${tuples}`, values));
      const first = Number(result.insertId);
      return Array.from({ length: rowCount }, (_, index) => first + index);
    }
    // Interleaved auto-increment: only one row per statement yields a trustworthy id.
    const ids: number[] = [];
    const width = columns.length;
    for (let row = 0; row < rowCount; row += 1) {
      const result = await db.executeQuery(
        CompiledQuery.raw(`${head}${tuple}`, values.slice(row * width, (row + 1) * width)),
      );
      ids.push(Number(result.insertId));
    }
    return ids;
  }
}
