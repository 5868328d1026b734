import type { ColumnSpec } from '../domain/columns.js';
import type { Store } from '../store/store.js';

export interface KeysetQuery {
  table: string;
  /** Equality and comparison conditions, ANDed: `['connection_id', '=', 1]`. */
  where: ReadonlyArray<readonly [column: string, operator: '=' | '>=' | '<', value: unknown, spec?: ColumnSpec]>;
  /** Ordering and resume columns; together they must be unique. */
  keyColumns: readonly string[];
  /** Start after this key (exclusive). */
  after?: readonly unknown[] | null;
  pageSize: number;
}

/**
 * Reads a table in key order, one page per query, without OFFSET (which grows slower with
 * every page) and without holding a cursor open across commits.
 */
export async function* readByKey(store: Store, query: KeysetQuery): AsyncGenerator<Record<string, unknown>[]> {
  const dialect = store.dialect;
  const quote = (name: string) => dialect.quote(name);
  const writer = store.writer();
  const order = query.keyColumns.map(quote).join(', ');
  let after = query.after ?? null;
  for (;;) {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    for (const [column, operator, value, spec] of query.where) {
      conditions.push(`${quote(column)} ${operator} ?`);
      parameters.push(dialect.codec.encode(value, spec));
    }
    if (after) {
      conditions.push(
        query.keyColumns.length === 1 ? `${order} > ?` : `(${order}) > (${query.keyColumns.map(() => '?').join(', ')})`,
      );
      parameters.push(
        ...after.map((value) => dialect.codec.encode(value, value instanceof Date ? { kind: 'datetime' } : undefined)),
      );
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const result = await writer.execute(
      `SELECT * FROM ${quote(query.table)}${where} ORDER BY ${order} LIMIT ${query.pageSize}`,
      parameters,
    );
    const rows = result.rows as Record<string, unknown>[];
    if (rows.length > 0) yield rows;
    if (rows.length < query.pageSize) return;
    const last = rows[rows.length - 1]!;
    after = query.keyColumns.map((name) => last[name]);
  }
}
