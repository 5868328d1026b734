import type { ColumnDataType, CreateTableBuilder, Expression, RawBuilder } from 'kysely';
import type { ColumnSpec } from '../../domain/columns.js';
import type { LakeKysely } from '../lake-kysely.js';
import type { TableDescription } from '../schema-description.js';
import type { ValueCodec } from '../value-codec.js';
import type { DialectName } from './registry.js';

/** What kysely's schema builder accepts as a column type. */
export type DataTypeExpression = ColumnDataType | Expression<unknown>;

/** A CREATE TABLE being built, whatever columns it has so far. */
export type TableBuilder = CreateTableBuilder<string, string>;

/**
 * What differs between SQLite, PostgreSQL and MySQL/MariaDB, in one interface: capabilities
 * and operations, never a name to compare. Everything else in the store is written once
 * against it. One folder per implementation under `dialects/`, registered in `registry.ts`.
 */
export interface StoreDialect {
  readonly name: DialectName;
  /** Most bind parameters one statement may carry. */
  readonly maxParameters: number;
  /** Most bytes one statement should carry (MySQL's max_allowed_packet); undefined when only the parameter count limits. */
  readonly maxStatementBytes: number | undefined;
  /**
   * PostgreSQL refuses an upsert that touches one key twice ("cannot affect row a second
   * time"); SQLite and MySQL apply the rows in order, so the last one wins anyway.
   */
  readonly upsertNeedsUniqueKeys: boolean;
  createKysely(): LakeKysely;
  /** Runs once on a fresh connection set (pragmas, server checks). */
  initialize(db: LakeKysely): Promise<void>;
  quote(identifier: string): string;
  /** Placeholder for the parameter at 1-based position `index`. */
  placeholder(index: number): string;
  columnType(spec: ColumnSpec): DataTypeExpression;
  /** The one way values go to and come from this dialect's driver (rows, parameters, reads). */
  readonly codec: ValueCodec;
  /** `INSERT … ON CONFLICT/DUPLICATE KEY …` tail that updates `updateColumns` (or does nothing). */
  upsertClause(keyColumns: string[], updateColumns: string[]): string;
  /** Inserts `rowCount` rows, their values flat in row order, and returns their generated ids in row order. */
  insertReturningIds(
    db: LakeKysely,
    table: string,
    columns: readonly string[],
    values: unknown[],
    rowCount: number,
  ): Promise<number[]>;
  /** Whether schema changes roll back with the transaction they ran in (PostgreSQL, SQLite: yes; MySQL: no). */
  readonly supportsTransactionalDdl: boolean;
  /** What follows CREATE TABLE's column list (MySQL: engine and collation); undefined where nothing does. */
  readonly tableOptions: RawBuilder<unknown> | undefined;
  /** Adds the auto-increment `id` primary key that raw tables number their rows with. */
  addGeneratedId(builder: TableBuilder): TableBuilder;

  /** Reads of the database's own catalogue (tables, columns, indexes). */
  readonly introspector: Introspector;
}

/**
 * Plain reads of the database's own catalogue, safe inside a transaction (a failing statement
 * would abort a PostgreSQL one). DDL checks them to be idempotent.
 */
export interface Introspector {
  /** The tables of the connection's database (or schema), sorted by name. */
  listTables(db: LakeKysely): Promise<string[]>;
  tableExists(db: LakeKysely, table: string): Promise<boolean>;
  /** Columns, primary key and secondary indexes of a table as the database has them; undefined when it does not exist. */
  describeTable(db: LakeKysely, table: string): Promise<TableDescription | undefined>;
}
