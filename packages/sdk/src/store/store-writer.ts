import { CompiledQuery } from 'kysely';
import type { StoreDialect } from './dialects/store-dialect.js';
import type { LakeKysely } from './lake-kysely.js';
import { statementSizes } from './statement-sizes.js';
import type { TableShape } from './table-shape.js';
import type { Converter } from './value-codec.js';
import { ValueTooLongError } from './value-too-long.js';

/** Columns an upsert never overwrites on an existing row. */
const PRESERVED_ON_UPDATE = new Set(['created_at']);

/** What the writer derives once per table: column order, value converters, statement text by row count. */
interface CompiledShape {
  columns: string[];
  converters: Converter[];
  statements: Map<number, string>;
}

type WriterCache = WeakMap<TableShape, CompiledShape>;

/** Shared between the writers of one store, so a long sync compiles each table once. */
export interface WriterCaches {
  upsert: WriterCache;
  insert: WriterCache;
}

export function newWriterCaches(): WriterCaches {
  return { upsert: new WeakMap(), insert: new WeakMap() };
}

/**
 * Batched writes on one connection or transaction: multi-row upserts (deduplicated by key,
 * last row wins) and multi-row inserts that return their ids. Per table, the column order,
 * one value converter per column and the statement text per row count are computed once.
 */
export class StoreWriter {
  readonly db: LakeKysely;
  readonly dialect: StoreDialect;
  readonly #cache: WriterCache;
  readonly #insertCache: WriterCache;

  constructor(db: LakeKysely, dialect: StoreDialect, caches: WriterCaches = newWriterCaches()) {
    this.db = db;
    this.dialect = dialect;
    this.#cache = caches.upsert;
    this.#insertCache = caches.insert;
  }

  /** Inserts or updates `rows` by the table's key. Missing columns get their zero value ('' / 0 / false / NULL). */
  async upsert(shape: TableShape, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const compiled = this.#compile(shape);
    const unique = this.dialect.upsertNeedsUniqueKeys ? deduplicateByKey(rows, shape.keys) : rows;
    for (const [start, count] of this.#chunks(unique, compiled.columns.length)) {
      const statement = this.#upsertStatement(shape, compiled, count);
      await this.db.executeQuery(CompiledQuery.raw(statement, this.#parameters(shape, compiled, unique, start, count)));
    }
  }

  /** Inserts rows (no key conflicts expected) and returns their generated `id`s in row order. */
  async insertReturningIds(shape: TableShape, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    const compiled = this.#compile(shape, 'id');
    const ids: number[] = [];
    for (const [start, count] of this.#chunks(rows, compiled.columns.length)) {
      const values = this.#parameters(shape, compiled, rows, start, count);
      ids.push(...(await this.dialect.insertReturningIds(this.db, shape.name, compiled.columns, values, count)));
    }
    return ids;
  }

  /** Runs one raw statement with `?` placeholders (rewritten to the dialect's own, e.g. PostgreSQL's `$1`). */
  async execute(
    statement: string,
    parameters: readonly unknown[] = [],
  ): Promise<{ rows: unknown[]; affected: number }> {
    let position = 0;
    const text = statement.replace(/\?/g, () => this.dialect.placeholder(++position));
    const result = await this.db.executeQuery(CompiledQuery.raw(text, [...parameters]));
    return { rows: result.rows as unknown[], affected: Number(result.numAffectedRows ?? 0n) };
  }

  quote(identifier: string): string {
    return this.dialect.quote(identifier);
  }

  /** Column order, converters and statements of a table, built once (`without`: a generated column left out, e.g. `id`). */
  #compile(shape: TableShape, without?: string): CompiledShape {
    const cache = without ? this.#insertCache : this.#cache;
    let compiled = cache.get(shape);
    if (!compiled) {
      const columns = Object.keys(shape.columns).filter((name) => name !== without);
      compiled = {
        columns,
        converters: columns.map((name) => this.dialect.codec.column(shape.columns[name]!)),
        statements: new Map(),
      };
      cache.set(shape, compiled);
    }
    return compiled;
  }

  /**
   * The bind parameters of rows [start, start + count), flat, converted column by column. A
   * value its column cannot hold (ValueTooLongError) is reported with its table, column and row.
   */
  #parameters(
    shape: TableShape,
    compiled: CompiledShape,
    rows: readonly Record<string, unknown>[],
    start: number,
    count: number,
  ): unknown[] {
    const { columns, converters } = compiled;
    const width = columns.length;
    const parameters = new Array<unknown>(count * width);
    let position = 0;
    let index = start;
    let column = 0;
    try {
      for (; index < start + count; index += 1) {
        const row = rows[index]!;
        for (column = 0; column < width; column += 1)
          parameters[position++] = converters[column]!(row[columns[column]!]);
      }
    } catch (error) {
      if (error instanceof ValueTooLongError) throw error.at({ shape, column: columns[column]!, row: rows[index]! });
      throw error;
    }
    return parameters;
  }

  /**
   * [start, count] slices of rows that fit one statement (parameter count and, where it matters,
   * size), in the few sizes `statementSizes` allows: each size is a statement prepared once.
   */
  *#chunks(rows: readonly Record<string, unknown>[], width: number): Generator<[number, number]> {
    const maxRows = Math.max(1, Math.floor(this.dialect.maxParameters / Math.max(1, width)));
    for (const [sliceStart, sliceCount] of this.#slicesBySize(rows, maxRows)) {
      let start = sliceStart;
      for (const count of statementSizes(sliceCount, maxRows)) {
        yield [start, count];
        start += count;
      }
    }
  }

  /** [start, count] slices under the dialect's statement size, if it has one; else all the rows. */
  *#slicesBySize(rows: readonly Record<string, unknown>[], maxRows: number): Generator<[number, number]> {
    const maxBytes = this.dialect.maxStatementBytes;
    if (maxBytes === undefined) {
      if (rows.length > 0) yield [0, rows.length];
      return;
    }
    let start = 0;
    let bytes = 0;
    for (let index = 0; index < rows.length; index += 1) {
      const size = approximateBytes(rows[index]!);
      if (index > start && (index - start >= maxRows || bytes + size > maxBytes)) {
        yield [start, index - start];
        start = index;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < rows.length) yield [start, rows.length - start];
  }

  #upsertStatement(shape: TableShape, compiled: CompiledShape, rowCount: number): string {
    const cached = compiled.statements.get(rowCount);
    if (cached) return cached;
    const { dialect } = this;
    const { columns } = compiled;
    let position = 0;
    const tuple = () => `(${columns.map(() => dialect.placeholder(++position)).join(', ')})`;
    const values = Array.from({ length: rowCount }, tuple).join(', ');
    const updateColumns = columns.filter((name) => !shape.keys.includes(name) && !PRESERVED_ON_UPDATE.has(name));
    const statement =
      `INSERT INTO ${dialect.quote(shape.name)} (${columns.map((name) => dialect.quote(name)).join(', ')}) VALUES ${values}` +
      dialect.upsertClause([...shape.keys], updateColumns);
    compiled.statements.set(rowCount, statement);
    return statement;
  }
}

/** Keeps the last row for each key, in first-seen order (one statement must not touch a row twice). */
export function deduplicateByKey(
  rows: readonly Record<string, unknown>[],
  keys: readonly string[],
): readonly Record<string, unknown>[] {
  if (keys.length === 0 || rows.length < 2) return rows;
  const identity =
    keys.length === 1
      ? (row: Record<string, unknown>) => String(row[keys[0]!])
      : (row: Record<string, unknown>) => keys.map((name) => String(row[name])).join('\u0000');
  const seen = new Map<string, number>();
  let duplicates = false;
  for (let index = 0; index < rows.length; index += 1) {
    const id = identity(rows[index]!);
    if (seen.has(id)) duplicates = true;
    seen.set(id, index);
  }
  if (!duplicates) return rows;
  const result: Record<string, unknown>[] = [];
  const emitted = new Set<string>();
  for (const row of rows) {
    const id = identity(row);
    if (emitted.has(id)) continue;
    emitted.add(id);
    result.push(rows[seen.get(id)!]!);
  }
  return result;
}

/** A cheap size estimate: long strings dominate statement size. */
function approximateBytes(row: Record<string, unknown>): number {
  let bytes = 0;
  for (const key in row) {
    const value = row[key];
    bytes += typeof value === 'string' ? value.length * 2 : 8;
  }
  return bytes;
}
