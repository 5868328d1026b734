import type { ExtractedRow } from '../contract/stream.js';
import type { ToolTable } from '../contract/tool-table.js';
import { snakeCase } from '../domain/columns.js';
import { toColumnValue } from './column-values.js';
import { compilePointer } from './json-pointer.js';

/**
 * The schema-driven extractor: each column of the table takes the value at its `source`
 * pointer (default `/<property name>`), converted to the column's type. Property names are
 * camelCase in the declaration and snake_case in the database. Pointers are compiled once.
 */
export function createDefaultExtractor(table: ToolTable): (data: unknown) => ExtractedRow {
  const plan = Object.entries(table.columns).map(([property, spec]) => ({
    column: snakeCase(property),
    read: compilePointer(spec.source ?? `/${property}`),
    spec,
  }));
  return (data) => {
    const row: Record<string, unknown> = {};
    for (const step of plan) row[step.column] = toColumnValue(step.spec, step.read(data));
    return { table, row };
  };
}
