import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import type { GitlabTypes } from '../settings.js';

// #region table
/**
 * The tool table of items: columns filled from the raw JSON by JSON pointers (`source`), or
 * by the camelCase name's snake_case field when no pointer is given. `convert` turns each row
 * into DevLake's domain rows: an issue and its place on the scope's board.
 */
export const itemsTable = defineToolTable<GitlabTypes>()({
  entity: 'items',
  columns: {
    itemId: { ...key(column.varchar(100)), source: '/id' },
    title: column.text(),
    description: { ...column.text(), source: '/body' },
    status: { ...column.varchar(40), source: '/state' },
    itemType: { ...column.varchar(40), source: '/kind' },
    authorName: { ...column.varchar(), source: '/author/name' },
    itemCreatedAt: { ...column.datetime(), source: '/created_at' },
    itemUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    closedAt: { ...nullable(column.datetime()), source: '/closed_at' },
  },
  produces: ['issues', 'board_issues'],
  *convert(row, context) {
    const id = context.ids.of('GitlabItem', row.item_id!);
    const done = row.status === 'closed';
    yield domainRecord('issues', {
      id,
      issue_key: String(row.item_id),
      title: row.title,
      description: row.description,
      type: new RegExp(context.scopeConfig.bugPattern, 'i').test(String(row.item_type)) ? 'BUG' : 'REQUIREMENT',
      original_type: String(row.item_type ?? ''),
      status: done ? 'DONE' : 'TODO',
      original_status: String(row.status ?? ''),
      created_date: row.item_created_at,
      updated_date: row.item_updated_at,
      resolution_date: done ? row.closed_at : null,
      creator_name: row.author_name,
      original_project: context.scopeId,
    });
    yield domainRecord('board_issues', { board_id: context.ids.of('GitlabBoard', context.scopeId), issue_id: id });
  },
});
// #endregion table
