import type { ColumnDataType, Expression } from 'kysely';

/** What kysely's schema builder accepts as a column type. */
export type DataTypeExpression = ColumnDataType | Expression<unknown>;
import type { ColumnSpec } from '../domain/columns.js';
import type { DialectName } from './database-url.js';
import type { LakeKysely } from './lake-kysely.js';

/**
 * What differs between SQLite, PostgreSQL and MySQL/MariaDB, in one interface. Everything
 * else in the store is written once against it. One folder per implementation.
 */
export interface StoreDialect {
  readonly name: DialectName;
  /** Most bind parameters one statement may carry. */
  readonly maxParameters: number;
  createKysely(): LakeKysely;
  /** Runs once on a fresh connection set (pragmas, server checks). */
  initialize(db: LakeKysely): Promise<void>;
  quote(identifier: string): string;
  /** Placeholder for the parameter at 1-based position `index`. */
  placeholder(index: number): string;
  columnType(spec: ColumnSpec): DataTypeExpression;
  /** Converts a JavaScript value into what the driver binds for a column of this kind. */
  toDatabase(value: unknown, spec: ColumnSpec | undefined): unknown;
  /** `INSERT … ON CONFLICT/DUPLICATE KEY …` tail that updates `updateColumns` (or does nothing). */
  upsertClause(keyColumns: string[], updateColumns: string[]): string;
  /** Inserts rows and returns their generated ids in row order. */
  insertReturningIds(
    db: LakeKysely,
    table: string,
    columns: string[],
    rows: unknown[][],
  ): Promise<number[]>;
  /** Whether schema changes roll back with the transaction they ran in (PostgreSQL, SQLite: yes; MySQL: no). */
  readonly supportsTransactionalDdl: boolean;
}
