/**
 * What a database's schema holds, read back from the database itself (not from Lake's
 * declarations): the same shape on every dialect, so that DDL can check what already exists
 * and tests can compare two databases' schemas with one `toEqual`.
 */
export interface ColumnDescription {
  readonly name: string;
  /** The type as the database reports it (`varchar(255)`, `character varying(255)`, `bigint(20)`, …). */
  readonly type: string;
  readonly nullable: boolean;
}

export interface IndexDescription {
  readonly name: string;
  /** In index order. */
  readonly columns: readonly string[];
  readonly unique: boolean;
}

export interface TableDescription {
  readonly name: string;
  /** In the table's column order. */
  readonly columns: readonly ColumnDescription[];
  /** The primary key's columns in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
  /** Secondary indexes (the primary key's own index is not listed), sorted by name. */
  readonly indexes: readonly IndexDescription[];
}

/** One row of an index listing: the dialects return an index as one row per column. */
export interface IndexColumnRow {
  index: string;
  column: string;
  unique: boolean;
  primary: boolean;
}

/** Groups index rows (already in index-then-position order) into the primary key and the secondary indexes. */
export function groupIndexRows(rows: readonly IndexColumnRow[]): Pick<TableDescription, 'primaryKey' | 'indexes'> {
  const primaryKey: string[] = [];
  const byName = new Map<string, { name: string; columns: string[]; unique: boolean }>();
  for (const row of rows) {
    if (row.primary) {
      primaryKey.push(row.column);
      continue;
    }
    let index = byName.get(row.index);
    if (!index) {
      index = { name: row.index, columns: [], unique: row.unique };
      byName.set(row.index, index);
    }
    index.columns.push(row.column);
  }
  const indexes = [...byName.values()].sort((left, right) => (left.name < right.name ? -1 : 1));
  return { primaryKey, indexes };
}
