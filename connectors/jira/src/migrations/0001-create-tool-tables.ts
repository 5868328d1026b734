import { column, key, type Migration, type MigrationContext, nullable } from '@lake/sdk';

const { varchar, text, bigint, float, bool, datetime } = column;
const when = () => nullable(datetime());

/** Boards, sprints and issues. */
async function createBoardTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('boards', {
    board_id: key(bigint()),
    name: varchar(),
    type: varchar(40),
    self: varchar(),
    project_key: varchar(),
    project_name: varchar(),
  });
  await context.createToolTable('sprints', {
    sprint_id: key(bigint()),
    board_id: bigint(),
    name: varchar(),
    state: varchar(40),
    self: varchar(),
    start_date: when(),
    end_date: when(),
    complete_date: when(),
    origin_board_id: bigint(),
  });
  await context.createToolTable('issues', {
    issue_id: key(bigint()),
    board_id: bigint(),
    issue_key: varchar(),
    self: varchar(),
    summary: text(),
    description: text(),
    type_name: varchar(),
    type_icon_url: varchar(),
    is_subtask: bool(),
    status_name: varchar(),
    status_category: varchar(40),
    priority_name: varchar(),
    project_key: varchar(),
    creator_id: varchar(),
    creator_name: varchar(),
    assignee_id: varchar(),
    assignee_name: varchar(),
    parent_id: bigint(),
    epic_key: varchar(),
    story_point: nullable(float()),
    original_estimate_seconds: nullable(bigint()),
    time_spent_seconds: nullable(bigint()),
    remaining_estimate_seconds: nullable(bigint()),
    components: text(),
    fix_versions: text(),
    issue_created_at: when(),
    issue_updated_at: when(),
    resolution_date: when(),
    due_date: when(),
    changelog_missing: bigint(),
    comment_total: bigint(),
    worklog_total: bigint(),
  });
}

/** What hangs off an issue: labels, sprint membership, changelog items, accounts, comments, worklogs. */
async function createIssueDetailTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('issue_labels', { issue_id: key(bigint()), label_name: key(varchar()) });
  await context.createToolTable('sprint_issues', { sprint_id: key(bigint()), issue_id: key(bigint()) });
  await context.createToolTable('changelog_items', {
    issue_id: key(bigint()),
    changelog_id: key(bigint()),
    item_index: key(bigint()),
    field_occurrence: bigint(),
    field: varchar(),
    field_id: varchar(),
    field_type: varchar(40),
    author_id: varchar(),
    author_name: varchar(),
    from_value: text(),
    from_string: text(),
    to_value: text(),
    to_string: text(),
    changed_at: when(),
    skip_reason: varchar(),
  });
  await context.createToolTable('accounts', {
    account_id: key(varchar()),
    display_name: varchar(),
    email_address: varchar(),
    avatar_url: varchar(),
    active: bool(),
  });
  await context.createToolTable('issue_comments', {
    comment_id: key(bigint()),
    issue_id: bigint(),
    body: text(),
    author_id: varchar(),
    comment_created_at: when(),
    comment_updated_at: when(),
  });
  await context.createToolTable('worklogs', {
    worklog_id: key(bigint()),
    issue_id: bigint(),
    author_id: varchar(),
    comment: text(),
    time_spent_seconds: bigint(),
    started_at: when(),
    logged_at: when(),
  });
}

/** The Jira connector's tool tables as first released. Released: never edited (a change is a new migration). */
export const createToolTables: Migration = {
  async up(context) {
    await createBoardTables(context);
    await createIssueDetailTables(context);
  },
};
