import type { ColumnSpec } from '../domain/columns.js';

/** What the writer needs to know about a table: its columns (in order) and its key. */
export interface TableShape {
  readonly name: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly keys: readonly string[];
}
