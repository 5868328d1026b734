import { column, key, type Migration, nullable } from '@lake/sdk';

/** Issue types and statuses of the site, and the status categories of changelog status items. */
export const createIssueTypesAndStatuses: Migration = {
  async up(context) {
    await context.createToolTable('issue_types', {
      issue_type_id: key(column.varchar(40)),
      name: column.varchar(),
      untranslated_name: column.varchar(),
      description: column.text(),
      icon_url: column.varchar(),
      subtask: column.bool(),
      hierarchy_level: column.bigint(),
    });
    await context.createToolTable('statuses', {
      status_id: key(column.varchar(40)),
      name: column.varchar(),
      untranslated_name: column.varchar(),
      category_key: column.varchar(40),
      category_name: column.varchar(),
    });
    // Added columns are nullable: rows written before have none.
    await context.addColumn('_tool_jira_changelog_items', 'from_status_category', nullable(column.varchar(40)));
    await context.addColumn('_tool_jira_changelog_items', 'to_status_category', nullable(column.varchar(40)));
  },
};
