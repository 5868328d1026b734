import { createTestLake } from '@lake/testkit';
import { afterEach, expect, it } from 'vitest';
import { jiraConnector } from '../src/index.js';
import { expectedDomainCounts, jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, startFakeJira } from './fake-jira/fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

// More than 10,001 issues on one board: offsets past 10,000 are read like the first ones.
it('syncs a board of 10,050 issues, every one of them', { timeout: 600_000 }, async () => {
  const fake = await startFakeJira(
    jiraDataset({ issues: 10_050, historiesPerIssue: 1, quirks: false, activity: false }),
  );
  const lake = await createTestLake({ connector: jiraConnector });
  closers.push(
    () => fake.api.close(),
    () => lake.close(),
  );
  await lake.syncOrThrow({ connection: connectionFor(fake), scope: { boardId: 8 }, options: { batchSize: 2_000 } });
  const expected = expectedDomainCounts(fake.dataset);
  expect(expected.issues).toBe(10_050);
  expect(await lake.count('issues')).toBe(expected.issues);
  expect(await lake.count('board_issues')).toBe(expected.board_issues);
  expect(await lake.count('issue_changelogs')).toBe(expected.issue_changelogs);
  expect(await lake.count('issues', { issue_key: 'CORE-10050' })).toBe(1);
  // 101 pages of 100 issues, each asked once, by token.
  const pages = fake.api.requestsTo('/rest/api/3/search/jql');
  expect(pages).toHaveLength(101);
  expect(pages.filter((request) => request.query.includes('nextPageToken='))).toHaveLength(100);
});
