/**
 * A tiny, portable column vocabulary shared by the domain schema and tool tables.
 * Each maps to one physical type per dialect (each dialect's `columnType`, `store/dialects/<name>/<name>-store-dialect.ts`).
 */
export type ColumnKind = 'varchar' | 'text' | 'bigint' | 'float' | 'bool' | 'datetime' | 'json';

export interface ColumnSpec {
  readonly kind: ColumnKind;
  /** varchar length. */
  readonly length?: number;
  /** NULL means "unknown" (a Go pointer in DevLake); non-nullable columns default to '', 0 or false. */
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  readonly index?: boolean;
}

export const column = {
  varchar: <const Length extends number = 255>(length?: Length) =>
    ({ kind: 'varchar', length: (length ?? 255) as Length }) as const,
  text: () => ({ kind: 'text' }) as const,
  bigint: () => ({ kind: 'bigint' }) as const,
  float: () => ({ kind: 'float' }) as const,
  bool: () => ({ kind: 'bool' }) as const,
  datetime: () => ({ kind: 'datetime' }) as const,
  json: () => ({ kind: 'json' }) as const,
};

export function key<const Spec extends ColumnSpec>(spec: Spec): Spec & { readonly primaryKey: true } {
  return { ...spec, primaryKey: true };
}

export function nullable<const Spec extends ColumnSpec>(spec: Spec): Spec & { readonly nullable: true } {
  return { ...spec, nullable: true };
}

export function indexed<const Spec extends ColumnSpec>(spec: Spec): Spec & { readonly index: true } {
  return { ...spec, index: true };
}

/** The JavaScript value a column holds. Datetimes are written as Date (or ISO strings) and read back per dialect. */
export type ColumnValue<Spec extends ColumnSpec> = Spec['kind'] extends 'bigint' | 'float'
  ? number
  : Spec['kind'] extends 'bool'
    ? boolean
    : Spec['kind'] extends 'datetime'
      ? Date | string
      : Spec['kind'] extends 'json'
        ? unknown
        : string;

/**
 * The value convert and substreams read from a tool-row column: the declared type, `| null`
 * only where the column is `nullable(...)`. A missing value of a non-nullable column reads as
 * its zero value ('', 0, false), as it is stored. Datetimes are always a `Date` (text from an
 * API or a database is parsed), and `| null` whether declared nullable or not: a datetime has no
 * zero value, so a missing or unparseable one is NULL.
 */
export type ColumnReadValue<Spec extends ColumnSpec> = Spec['kind'] extends 'datetime'
  ? Date | null
  : Spec['kind'] extends 'json'
    ? unknown
    : Spec extends { readonly nullable: true }
      ? ColumnValue<Spec> | null
      : ColumnValue<Spec>;

type KeyColumns<Columns extends Record<string, ColumnSpec>> = {
  [Name in keyof Columns]: Columns[Name] extends { primaryKey: true } ? Name : never;
}[keyof Columns];

/**
 * The row a writer supplies: key columns required, every other column optional. A missing or
 * null value is written as the column's zero value ('', 0, false) — or NULL where the column
 * is nullable — as DevLake's converters do; so `title: row.title` is enough for a tool row's
 * nullable text.
 */
export type RowInput<Columns extends Record<string, ColumnSpec>> = {
  [Name in KeyColumns<Columns>]: ColumnValue<Columns[Name]>;
} & {
  [Name in Exclude<keyof Columns, KeyColumns<Columns>>]?: ColumnValue<Columns[Name]> | null;
};

const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;
const ACRONYM_BOUNDARY = /([A-Z]+)([A-Z][a-z])/g;

/** `authorName` → `author_name`, `htmlURL` → `html_url`, `already_snake` unchanged. */
export function snakeCase(name: string): string {
  return name.replace(ACRONYM_BOUNDARY, '$1_$2').replace(CAMEL_BOUNDARY, '$1_$2').toLowerCase();
}
