import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { minutesBetween, standardStatus, standardType } from '../mappings.js';
import type { JiraTypes } from '../settings.js';

/** Issues of the board, with the fields the scope config names already read. */
export const issuesTable = defineToolTable<JiraTypes>()({
  entity: 'issues',
  columns: {
    issueId: key(column.bigint()),
    boardId: column.bigint(),
    issueKey: { ...column.varchar(), source: '/key' },
    self: { ...column.varchar(), source: '/self' },
    summary: { ...column.text(), source: '/fields/summary' },
    description: column.text(),
    typeName: { ...column.varchar(), source: '/fields/issuetype/name' },
    typeIconUrl: { ...column.varchar(), source: '/fields/issuetype/iconUrl' },
    isSubtask: { ...column.bool(), source: '/fields/issuetype/subtask' },
    statusName: { ...column.varchar(), source: '/fields/status/name' },
    statusCategory: { ...column.varchar(40), source: '/fields/status/statusCategory/key' },
    priorityName: { ...column.varchar(), source: '/fields/priority/name' },
    projectKey: { ...column.varchar(), source: '/fields/project/key' },
    creatorId: column.varchar(),
    creatorName: column.varchar(),
    assigneeId: column.varchar(),
    assigneeName: { ...column.varchar(), source: '/fields/assignee/displayName' },
    parentId: column.bigint(),
    epicKey: column.varchar(),
    storyPoint: nullable(column.float()),
    originalEstimateSeconds: { ...nullable(column.bigint()), source: '/fields/timeoriginalestimate' },
    timeSpentSeconds: { ...nullable(column.bigint()), source: '/fields/timespent' },
    remainingEstimateSeconds: { ...nullable(column.bigint()), source: '/fields/timeestimate' },
    components: column.text(),
    fixVersions: column.text(),
    issueCreatedAt: { ...nullable(column.datetime()), source: '/fields/created' },
    issueUpdatedAt: { ...nullable(column.datetime()), source: '/fields/updated' },
    resolutionDate: { ...nullable(column.datetime()), source: '/fields/resolutiondate' },
    dueDate: nullable(column.datetime()),
    /** Histories the search did not return with the issue (counted as skipped, never silently). */
    changelogMissing: column.bigint(),
    /** From the issue's `comment.total` and `worklog.total`: only issues with some are asked for them. */
    commentTotal: { ...column.bigint(), source: '/fields/comment/total' },
    worklogTotal: { ...column.bigint(), source: '/fields/worklog/total' },
  },
  produces: ['issues', 'board_issues'],
  *convert(row, context) {
    const id = context.ids.of('JiraIssue', row.issue_id!);
    const created = row.issue_created_at;
    const resolved = row.resolution_date;
    const minutes = (seconds: number | null) => (seconds === null ? null : Math.floor(seconds / 60));
    yield domainRecord('issues', {
      id,
      url: row.self,
      icon_url: row.type_icon_url,
      issue_key: row.issue_key,
      title: row.summary,
      description: row.description,
      epic_key: row.epic_key,
      type: standardType(row.type_name, context.scopeConfig),
      original_type: row.type_name,
      status: standardStatus(row.status_category),
      original_status: row.status_name,
      story_point: row.story_point,
      resolution_date: resolved,
      created_date: created,
      updated_date: row.issue_updated_at,
      lead_time_minutes: minutesBetween(created, resolved),
      original_estimate_minutes: minutes(row.original_estimate_seconds),
      time_spent_minutes: minutes(row.time_spent_seconds),
      time_remaining_minutes: minutes(row.remaining_estimate_seconds),
      creator_id: row.creator_id ? context.ids.of('JiraAccount', row.creator_id) : '',
      creator_name: row.creator_name,
      assignee_id: row.assignee_id ? context.ids.of('JiraAccount', row.assignee_id) : '',
      assignee_name: row.assignee_name,
      parent_issue_id: row.parent_id ? context.ids.of('JiraIssue', row.parent_id) : '',
      priority: row.priority_name,
      component: row.components,
      original_project: row.project_key,
      is_subtask: row.is_subtask,
      due_date: row.due_date,
      fix_versions: row.fix_versions,
    });
    yield domainRecord('board_issues', { board_id: context.ids.of('JiraBoard', row.board_id), issue_id: id });
  },
});

export const issueLabelsTable = defineToolTable<JiraTypes>()({
  entity: 'issue_labels',
  columns: { issueId: key(column.bigint()), labelName: key(column.varchar()) },
  produces: ['issue_labels'],
  *convert(row, context) {
    yield domainRecord('issue_labels', {
      issue_id: context.ids.of('JiraIssue', row.issue_id!),
      label_name: row.label_name!,
    });
  },
});

/** The sprints an issue is or was in (`sprint` and `closedSprints` of the agile API). */
export const sprintIssuesTable = defineToolTable<JiraTypes>()({
  entity: 'sprint_issues',
  columns: { sprintId: key(column.bigint()), issueId: key(column.bigint()) },
  produces: ['sprint_issues'],
  *convert(row, context) {
    yield domainRecord('sprint_issues', {
      sprint_id: context.ids.of('JiraSprint', row.sprint_id!),
      issue_id: context.ids.of('JiraIssue', row.issue_id!),
    });
  },
});

/**
 * Every item of every changelog history the search returned, one row each. An item that
 * cannot be converted keeps its `skipReason` here (and is logged), so that none is dropped
 * without a trace: converted + skipped = returned.
 */
export const changelogItemsTable = defineToolTable<JiraTypes>()({
  entity: 'changelog_items',
  columns: {
    issueId: key(column.bigint()),
    changelogId: key(column.bigint()),
    itemIndex: key(column.bigint()),
    /** How many earlier items of the same history change the same field (DevLake's id would collide). */
    fieldOccurrence: column.bigint(),
    field: column.varchar(),
    fieldId: column.varchar(),
    fieldType: column.varchar(40),
    authorId: column.varchar(),
    authorName: column.varchar(),
    fromValue: column.text(),
    fromString: column.text(),
    toValue: column.text(),
    toString: column.text(),
    changedAt: nullable(column.datetime()),
    skipReason: column.varchar(),
    /** For a status change: the categories of the statuses it is from and to (`_tool_jira_statuses`). */
    fromStatusCategory: nullable(column.varchar(40)),
    toStatusCategory: nullable(column.varchar(40)),
  },
  produces: ['issue_changelogs'],
  *convert(row, context) {
    if (row.skip_reason) return;
    // DevLake's id: jira:JiraIssueChangelogItems:<connection>:<changelog id>:<field>; a field
    // changed twice in one history gets its occurrence appended instead of overwriting the first.
    const id =
      row.field_occurrence > 0
        ? context.ids.of('JiraIssueChangelogItems', row.changelog_id!, row.field, row.field_occurrence)
        : context.ids.of('JiraIssueChangelogItems', row.changelog_id!, row.field);
    yield domainRecord('issue_changelogs', {
      id,
      issue_id: context.ids.of('JiraIssue', row.issue_id!),
      author_id: row.author_id ? context.ids.of('JiraAccount', row.author_id) : '',
      author_name: row.author_name,
      field_id: row.field_id,
      field_name: row.field,
      original_from_value: row.from_string || row.from_value,
      original_to_value: row.to_string || row.to_value,
      // A status change is from and to DevLake's standard statuses, by the statuses' categories, as DevLake writes it.
      from_value: row.from_status_category
        ? standardStatus(row.from_status_category)
        : row.from_string || row.from_value,
      to_value: row.to_status_category ? standardStatus(row.to_status_category) : row.to_string || row.to_value,
      created_date: row.changed_at,
    });
  },
});

/** People named by issues: reporters, creators and assignees. */
export const accountsTable = defineToolTable<JiraTypes>()({
  entity: 'accounts',
  columns: {
    accountId: key(column.varchar()),
    displayName: column.varchar(),
    emailAddress: column.varchar(),
    avatarUrl: { ...column.varchar(), source: '/avatarUrls/48x48' },
    active: column.bool(),
  },
  produces: ['accounts'],
  *convert(row, context) {
    yield domainRecord('accounts', {
      id: context.ids.of('JiraAccount', row.account_id!),
      full_name: row.display_name,
      user_name: row.display_name,
      email: row.email_address,
      avatar_url: row.avatar_url,
      status: row.active ? 0 : 1,
    });
  },
});
