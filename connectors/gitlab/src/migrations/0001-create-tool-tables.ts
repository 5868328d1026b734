import { column, key, type Migration, nullable } from '@lake/sdk';

/*
 * The columns of `src/tables/items-table.ts`, as this migration first creates them. A released
 * migration is never edited: a change to the table's declaration comes with a new migration
 * (`0002-…`). The conformance suite names every column where the two disagree.
 */
// #region migration
/** `_tool_gitlab_items`: one row per item, keyed by connection and the source's id. */
export const createToolTables: Migration = {
  async up(context) {
    await context.createToolTable('items', {
      item_id: key(column.varchar(100)),
      title: column.text(),
      description: column.text(),
      status: column.varchar(40),
      item_type: column.varchar(40),
      author_name: column.varchar(),
      item_created_at: column.datetime(),
      item_updated_at: column.datetime(),
      closed_at: nullable(column.datetime()),
    });
  },
};
// #endregion migration
