import type { ExtractedRow } from '../contract/stream.js';
import type { ToolTable } from '../contract/tool-table.js';
import { snakeCase } from '../domain/columns.js';
import { toColumnValue } from '../store/value-codec.js';
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

const extractors = new WeakMap<ToolTable, (data: unknown) => ExtractedRow>();

/**
 * The schema-driven extraction of one table, for custom extractors that emit several tables
 * or add values the payload lacks:
 *
 *   extract: async (issue, context) => [
 *     extractRow(issuesTable, issue, { repoId: await repoIdOf(context) }),
 *     ...labels.map((label) => extractRow(issueLabelsTable, label, { issueId: issue.id })),
 *   ]
 *
 * `extra` values (camelCase or snake_case) are set after the pointers are read.
 */
export function extractRow(table: ToolTable, data: unknown, extra: Record<string, unknown> = {}): ExtractedRow {
  let extractor = extractors.get(table);
  if (!extractor) {
    extractor = createDefaultExtractor(table);
    extractors.set(table, extractor);
  }
  const extracted = extractor(data);
  for (const [name, value] of Object.entries(extra)) extracted.row[snakeCase(name)] = value;
  return extracted;
}
