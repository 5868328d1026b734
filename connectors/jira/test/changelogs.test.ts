import { createTestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { jiraConnector } from '../src/index.js';
import { SKIP_REASONS } from '../src/streams/changelog-items.js';
import { type JiraDataset, jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, type Deployment, startFakeJira } from './fake-jira/fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** 150 issues, every 25th with 230 histories: more than the 100 the search returns inline. */
async function setup(deployment: Deployment, bulkChangelog?: boolean) {
  const dataset = jiraDataset({ issues: 150, longChangelogs: { every: 25, histories: 230 } });
  const fake = await startFakeJira(dataset, { deployment, ...(bulkChangelog === undefined ? {} : { bulkChangelog }) });
  const lake = await createTestLake({ connector: jiraConnector });
  closers.push(
    () => fake.api.close(),
    () => lake.close(),
  );
  return { fake, lake, context: { connection: connectionFor(fake), scope: { boardId: 8 } } };
}

/** The domain ids of every changelog item that names a field, from the fake's own records (DevLake's form). */
function expectedChangelogIds(dataset: JiraDataset): string[] {
  return dataset.issues.flatMap((issue) =>
    issue.histories.flatMap((history) => {
      const seen = new Map<string, number>();
      return history.items.flatMap((item) => {
        if (!item.field) return [];
        const occurrence = seen.get(item.field) ?? 0;
        seen.set(item.field, occurrence + 1);
        const id = `jira:JiraIssueChangelogItems:1:${history.id}:${item.field}`;
        return [occurrence > 0 ? `${id}:${occurrence}` : id];
      });
    }),
  );
}

const longIssues = (dataset: JiraDataset) => dataset.issues.filter((issue) => issue.histories.length > 100);

describe.each([
  ['Jira Cloud, through the bulk endpoint', 'Cloud', undefined],
  ['Jira Data Center, issue by issue', 'DataCenter', undefined],
  ['a Cloud site without the bulk endpoint, issue by issue', 'Cloud', false],
] as const)('changelogs longer than the search returns, on %s', (_, deployment, bulk) => {
  it('drops none: every item converts or is kept as skipped with its reason', async () => {
    const { fake, lake, context } = await setup(deployment, bulk);
    const long = longIssues(fake.dataset);
    expect(long).toHaveLength(6);
    await lake.syncOrThrow(context);

    const items = fake.dataset.issues.flatMap((issue) => issue.histories.flatMap((history) => history.items));
    expect(await lake.count('_tool_jira_changelog_items')).toBe(items.length);
    const expectedIds = expectedChangelogIds(fake.dataset);
    const ids = (await lake.rows('issue_changelogs')).map((row) => String(row.id));
    expect(ids).toHaveLength(expectedIds.length);
    expect(new Set(ids)).toEqual(new Set(expectedIds));
    const skipped = await lake.rows('_tool_jira_changelog_items', { skip_reason: SKIP_REASONS.noField });
    expect(skipped).toHaveLength(items.filter((item) => !item.field).length);
    expect(ids.length + skipped.length).toBe(items.length);
    // Nothing is left unread.
    expect(await lake.count('_tool_jira_issues', { changelog_missing: 0 })).toBe(fake.dataset.issues.length);
    for (const issue of long) {
      const named = issue.histories.flatMap((history) => history.items.filter((item) => item.field));
      expect(await lake.count('issue_changelogs', { issue_id: `jira:JiraIssue:1:${issue.id}` })).toBe(named.length);
    }

    const bulkRequests = fake.api.requestsTo('/rest/api/3/changelog/bulkfetch');
    const perIssue = fake.api.requestsTo(/\/issue\/[^/]+\/changelog$/);
    if (deployment === 'Cloud' && bulk === undefined) {
      // Two pages of 100 issues hold long ones (3 each: 690 histories, one bulk page of 1,000).
      expect(bulkRequests.map((request) => request.status)).toEqual([200, 200]);
      expect(perIssue).toHaveLength(0);
    } else {
      // 230 or 231 histories: three pages of 100 per long issue; the bulk endpoint asked once at most.
      expect(perIssue).toHaveLength(long.length * 3);
      expect(perIssue.every((request) => request.path.startsWith(`/rest/api/${deployment === 'Cloud' ? 3 : 2}/`))).toBe(
        true,
      );
      expect(bulkRequests.map((request) => request.status)).toEqual(deployment === 'Cloud' ? [404] : []);
    }
  });
});

it('reads a changelog that grows past 100 histories between two syncs, and keeps the earlier items', async () => {
  const { fake, lake, context } = await setup('Cloud');
  await lake.syncOrThrow(context);
  const issue = fake.dataset.issues[3]!;
  const at = Date.now();
  for (let index = 0; index < 120; index += 1) {
    issue.histories.push({
      id: fake.dataset.sequence.history++,
      authorId: issue.reporterId,
      at: at + index,
      items: [{ field: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' }],
    });
  }
  issue.updated = at + 120;
  await lake.syncOrThrow(context);
  expect(await lake.count('issue_changelogs', { issue_id: `jira:JiraIssue:1:${issue.id}` })).toBe(
    issue.histories.length,
  );
  expect(await lake.count('issue_changelogs')).toBe(expectedChangelogIds(fake.dataset).length);
});
