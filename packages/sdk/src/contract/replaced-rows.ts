import type { ToolTable } from './tool-table.js';

/**
 * Part of what `extract` returns, next to the rows it yields: the rows of `replaces` whose
 * `owner` columns hold these values are exactly the ones this record yields for that table —
 * none, if it yields none. Rows that an earlier version of the record yielded and this one
 * does not (a label taken off an issue, an assignee removed) are deleted, together with the
 * domain rows they were converted into, in the commit that writes the new rows.
 *
 * Without it an incremental sync only adds and updates rows: a child row keyed by its parent
 * and a name would outlive its removal at the source until a `--full` sync.
 */
export interface ReplacedRows {
  readonly replaces: ToolTable;
  /** Values of some of the table's key columns (camelCase or snake_case): the record the rows belong to. */
  readonly owner: Readonly<Record<string, unknown>>;
}

/**
 * Says that the rows of `table` owned by `owner` are all yielded by this extract (see `ReplacedRows`).
 *
 *   extract: (issue) => [
 *     extractRow(issuesTable, issue),
 *     replaceRows(issueLabelsTable, { issueId: issue.id }),
 *     ...issue.labels.map((label) => extractRow(issueLabelsTable, label, { issueId: issue.id })),
 *   ],
 */
export function replaceRows(table: ToolTable, owner: Readonly<Record<string, unknown>>): ReplacedRows {
  return { replaces: table, owner };
}
