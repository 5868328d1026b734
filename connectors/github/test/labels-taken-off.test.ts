import { createScratchDatabase, createTestLake, testDialects } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { githubFixture } from './fixture.js';

describe.each(testDialects())('labels and assignees taken off at the source (%s)', (dialect) => {
  it('an incremental sync removes them from the tool and domain tables, and keeps the rest', async () => {
    const fixture = await githubFixture({
      issues: 6,
      pullRequests: 3,
      commentsPerIssue: 0,
      workflowRuns: 1,
      deployments: 0,
    });
    const database = await createScratchDatabase(dialect);
    const lake = await createTestLake({ connector: githubConnector, url: database.url });
    const { dataset } = fixture;
    const issueId = (number: number) => `github:GithubIssue:1:${dataset.issue(number)!.id}`;
    const pullId = (number: number) => `github:GithubPullRequest:1:${dataset.issue(number)!.pull!.id}`;
    const labelsOf = async (table: 'issue_labels' | 'pull_request_labels', column: string, id: string) =>
      (await lake.rows(table, { [column]: id })).map((row) => String(row.label_name)).sort();
    const assigneesOf = async (id: string) =>
      (await lake.rows('issue_assignees', { issue_id: id })).map((row) => String(row.assignee_name)).sort();
    try {
      await lake.syncOrThrow(fixture.context);
      const [relabelled, unassigned, untouched] = dataset.issueNumbers().filter((number) => {
        const record = dataset.issue(number)!;
        return record.labels.length >= 2 && record.assignees.length >= 1;
      });
      const [pull] = dataset.pullRequestNumbers();
      const before = { untouched: await labelsOf('issue_labels', 'issue_id', issueId(untouched!)) };
      const kept = dataset.issue(relabelled!)!.labels[1]!;

      dataset.touchIssue(relabelled!, { labels: [kept, 'wontfix'] });
      dataset.touchIssue(unassigned!, { labels: [], assignees: [] });
      dataset.touchIssue(pull!, { labels: ['needs-rebase'] });
      await lake.syncOrThrow(fixture.context);

      expect(await labelsOf('issue_labels', 'issue_id', issueId(relabelled!))).toEqual([kept, 'wontfix'].sort());
      expect(await labelsOf('issue_labels', 'issue_id', issueId(unassigned!))).toEqual([]);
      expect(await assigneesOf(issueId(unassigned!))).toEqual([]);
      expect(await labelsOf('pull_request_labels', 'pull_request_id', pullId(pull!))).toEqual(['needs-rebase']);
      expect(await labelsOf('issue_labels', 'issue_id', issueId(untouched!))).toEqual(before.untouched);
      // The tool layer agrees with the domain layer: nothing left behind for a later convert to bring back.
      const toolLabels = await lake.rows('_tool_github_issue_labels', { issue_id: dataset.issue(relabelled!)!.id });
      expect(toolLabels.map((row) => String(row.label_name)).sort()).toEqual([kept, 'wontfix'].sort());
      expect(await lake.count('issue_labels')).toBe(dataset.domainCounts().issue_labels);
      expect(await lake.count('issue_assignees')).toBe(dataset.domainCounts().issue_assignees);
      expect(await lake.count('pull_request_labels')).toBe(dataset.domainCounts().pull_request_labels);
    } finally {
      await lake.close();
      await database.drop();
      await fixture.close();
    }
  });
});
