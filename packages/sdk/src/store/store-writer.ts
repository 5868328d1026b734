import { CompiledQuery } from 'kysely';
import { zeroValue } from '../domain/columns.js';
import type { LakeKysely } from './lake-kysely.js';
import type { StoreDialect } from './store-dialect.js';
import type { TableShape } from './table-shape.js';

/** Columns an upsert never overwrites on an existing row. */
const PRESERVED_ON_UPDATE = new Set(['created_at']);
/** Keep single statements well below every server's packet limit. */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

/**
 * Batched writes on one connection or transaction: multi-row upserts (deduplicated by key,
 * last row wins) and multi-row inserts that return their ids. Statement text is cached per
 * table and row count, so a long sync compiles each shape once.
 */
export class StoreWriter {
  readonly db: LakeKysely;
  readonly dialect: StoreDialect;
  readonly #statements: Map<string, string>;

  constructor(db: LakeKysely, dialect: StoreDialect, statementCache = new Map<string, string>()) {
    this.db = db;
    this.dialect = dialect;
    this.#statements = statementCache;
  }

  /** Inserts or updates `rows` by the table's key. Missing columns get their zero value ('' / 0 / false / NULL). */
  async upsert(shape: TableShape, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const columnNames = Object.keys(shape.columns);
    const unique = deduplicateByKey(rows, shape.keys);
    const tuples = unique.map((row) => columnNames.map((name) => this.#value(shape, name, row[name])));
    for (const chunk of this.#chunks(tuples, columnNames.length)) {
      const statement = this.#upsertStatement(shape, columnNames, chunk.length);
      await this.db.executeQuery(CompiledQuery.raw(statement, chunk.flat()));
    }
  }

  /** Inserts rows (no key conflicts expected) and returns their generated `id`s in row order. */
  async insertReturningIds(shape: TableShape, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    const columnNames = Object.keys(shape.columns).filter((name) => name !== 'id');
    const tuples = rows.map((row) => columnNames.map((name) => this.#value(shape, name, row[name])));
    const ids: number[] = [];
    for (const chunk of this.#chunks(tuples, columnNames.length)) {
      ids.push(...(await this.dialect.insertReturningIds(this.db, shape.name, columnNames, chunk)));
    }
    return ids;
  }

  /** Runs one raw statement with `?` placeholders (rewritten for PostgreSQL). */
  async execute(statement: string, parameters: readonly unknown[] = []): Promise<{ rows: unknown[]; affected: number }> {
    let position = 0;
    const text = this.dialect.name === 'postgres' ? statement.replace(/\?/g, () => `$${++position}`) : statement;
    const result = await this.db.executeQuery(CompiledQuery.raw(text, [...parameters]));
    return { rows: result.rows as unknown[], affected: Number(result.numAffectedRows ?? 0n) };
  }

  quote(identifier: string): string {
    return this.dialect.quote(identifier);
  }

  #value(shape: TableShape, name: string, value: unknown): unknown {
    const spec = shape.columns[name];
    return this.dialect.toDatabase((value === undefined || value === null) && spec ? zeroValue(spec) : value, spec);
  }

  *#chunks(tuples: unknown[][], width: number): Generator<unknown[][]> {
    const maxRows = Math.max(1, Math.floor(this.dialect.maxParameters / Math.max(1, width)));
    let chunk: unknown[][] = [];
    let bytes = 0;
    for (const tuple of tuples) {
      const size = approximateBytes(tuple);
      if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > MAX_STATEMENT_BYTES)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(tuple);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  #upsertStatement(shape: TableShape, columnNames: string[], rowCount: number): string {
    const cacheKey = `${shape.name}\u0000${columnNames.length}\u0000${rowCount}`;
    const cached = this.#statements.get(cacheKey);
    if (cached) return cached;
    const dialect = this.dialect;
    let position = 0;
    const tuple = () => `(${columnNames.map(() => dialect.placeholder(++position)).join(', ')})`;
    const values = Array.from({ length: rowCount }, tuple).join(', ');
    const updateColumns = columnNames.filter((name) => !shape.keys.includes(name) && !PRESERVED_ON_UPDATE.has(name));
    const statement =
      `INSERT INTO ${dialect.quote(shape.name)} (${columnNames.map((name) => dialect.quote(name)).join(', ')}) VALUES ${values}` +
      dialect.upsertClause([...shape.keys], updateColumns);
    this.#statements.set(cacheKey, statement);
    return statement;
  }
}

/** Keeps the last row for each key, in first-seen order (one statement must not touch a row twice). */
export function deduplicateByKey(
  rows: readonly Record<string, unknown>[],
  keys: readonly string[],
): Record<string, unknown>[] {
  if (keys.length === 0 || rows.length < 2) return [...rows];
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const identity = keys.length === 1 ? String(row[keys[0]!]) : keys.map((name) => String(row[name])).join('\u0000');
    byKey.set(identity, row);
  }
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

function approximateBytes(tuple: unknown[]): number {
  let bytes = 0;
  for (const value of tuple) bytes += typeof value === 'string' ? value.length * 2 : 8;
  return bytes;
}
