import { defineRestStream, type ExtractContext, type ExtractResult, extractRow, replaceRows } from '@lake/sdk';
import { richText } from '../adf-text.js';
import { accountIdOf, keyOf, numberOrNull } from '../mappings.js';
import type { JiraTypes } from '../settings.js';
import {
  accountsTable,
  changelogItemsTable,
  issueLabelsTable,
  issuesTable,
  sprintIssuesTable,
} from '../tables/issue-tables.js';
import { boardFilterOf } from './board-filter.js';
import { completeChangelog } from './changelog-completion.js';
import { changelogRows } from './changelog-items.js';
import type { JiraIssue, JiraUser } from './jira-payloads.js';
import { searchPages, searchPath } from './search-pages.js';
import { type StatusCategories, statusCategories } from './status-categories.js';
import { isUnchangedIssue } from './unchanged-issue.js';

/** Issues per page of the board's listing. */
export const ISSUE_PAGE_SIZE = 100;

interface Myself {
  timeZone?: string;
}

/**
 * The board's issues, through the issue search with the board's saved filter
 * (`filter = <id> AND …`): the token-paged `/rest/api/3/search/jql` on Cloud, `/rest/api/2/search`
 * (`startAt`) on Data Center; with their changelogs (`expand=changelog`), incremental by JQL
 * `updated >= "yyyy/MM/dd HH:mm"`.
 * Jira reads that bound in the user's time zone, to the minute: the SDK writes it floored to
 * the minute in the zone `/myself` names, a minute before the newest update the last run
 * read, so an issue updated in the same minute as the bound is read again rather than lost
 * (its rows are keyed, never duplicated). A reading that sees an issue updated after it
 * began is read again from the same bound (see `defineRestStream`).
 */
export const issuesStream = defineRestStream<JiraTypes, JiraIssue>({
  name: 'issues',
  description:
    'Issues of the board with labels, sprints, people and changelogs (issues, board_issues, issue_labels, sprint_issues, issue_changelogs, accounts)',
  dependsOn: ['boards', 'statuses'],
  tables: [issuesTable, issueLabelsTable, sprintIssuesTable, changelogItemsTable, accountsTable],
  path: (context) => searchPath(context.client.restVersion),
  searchParams: async (context) => ({
    jql: `filter = ${await boardFilterOf(context)} ORDER BY updated ASC`,
    fields: '*all',
    expand: 'changelog',
    maxResults: ISSUE_PAGE_SIZE,
  }),
  paginator: searchPages({ size: ISSUE_PAGE_SIZE }),
  records: '/issues',
  cursor: {
    field: '/fields/updated',
    lookback: '1m',
    format: 'yyyy/MM/dd HH:mm',
    precision: 'minute',
    timeZone: async (context) => (await context.client.api.get<Myself>('/rest/api/2/myself')).body.timeZone ?? 'UTC',
    param: async (bound, context) => ({
      jql: `filter = ${await boardFilterOf(context)} AND updated >= "${bound}" ORDER BY updated ASC`,
    }),
    start: (context) => context.scopeConfig.timeAfter,
  },
  // The bound's minute is listed again by the next run: what did not change since is not collected twice.
  // What is collected carries its whole changelog: histories beyond the 100 the search returns are fetched.
  transform: async (issue, context) =>
    (await isUnchangedIssue(issue, context)) ? undefined : completeChangelog(issue, context),
  extract: (issue, context) => {
    const categories = statusCategories(context);
    return categories instanceof Map
      ? extractIssue(issue, context, categories)
      : Promise.resolve(categories).then((known) => extractIssue(issue, context, known));
  },
});

/** Names of components or fix versions, comma-separated. */
const namesOf = (values: Array<{ name: string }> | undefined) => (values ?? []).map((value) => value.name).join(',');

function extractIssue(
  issue: JiraIssue,
  context: ExtractContext<JiraTypes>,
  categories: StatusCategories,
): ExtractResult {
  const fields = issue.fields ?? {};
  const config = context.scopeConfig;
  const issueId = Number(issue.id);
  const people = [fields.reporter, fields.creator, fields.assignee].filter(
    (user): user is JiraUser => accountIdOf(user) !== undefined,
  );
  const sprints = [...(fields.sprint ? [fields.sprint] : []), ...(fields.closedSprints ?? [])];
  const creator = fields.creator ?? fields.reporter;
  const changelog = changelogRows(issue, categories);
  if (changelog.skipped.length > 0 || changelog.missing > 0) {
    context.logger.warn('changelog items not converted', {
      issue: issue.key,
      skipped: changelog.skipped.length,
      reasons: [...new Set(changelog.skipped)].join('; '),
      missingHistories: changelog.missing,
    });
  }
  return [
    // Most columns are read by the table's JSON pointers; these are computed.
    extractRow(issuesTable, issue, {
      issueId,
      boardId: context.scope.boardId,
      description: richText(fields.description),
      creatorId: accountIdOf(creator) ?? '',
      creatorName: creator?.displayName ?? '',
      assigneeId: accountIdOf(fields.assignee) ?? '',
      parentId: Number(fields.parent?.id ?? 0),
      epicKey: keyOf(fields[config.epicKeyField]),
      storyPoint: numberOrNull(fields[config.storyPointField]),
      components: namesOf(fields.components),
      fixVersions: namesOf(fields.fixVersions),
      dueDate: fields[config.dueDateField] ?? null,
      changelogMissing: changelog.missing,
    }),
    // What the issue lists now is all of it: labels, sprints and changelog items it no longer has go.
    replaceRows(issueLabelsTable, { issueId }),
    ...(fields.labels ?? []).map((labelName) => extractRow(issueLabelsTable, {}, { issueId, labelName })),
    replaceRows(sprintIssuesTable, { issueId }),
    ...sprints.map((sprint) => extractRow(sprintIssuesTable, {}, { sprintId: sprint.id, issueId })),
    replaceRows(changelogItemsTable, { issueId }),
    ...changelog.rows.map((row) => extractRow(changelogItemsTable, {}, row)),
    ...people.map((user) =>
      extractRow(
        accountsTable,
        user,
        // Jira leaves `active` out for some accounts: they count as active.
        { accountId: accountIdOf(user), active: user.active !== false },
      ),
    ),
  ];
}
