import type { LogEntry } from '@lake/sdk';
import { createTestLake, type TestLake } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { listsNewestFirst, listsOldestFirst } from '../src/streams/listing-order.js';
import type { GithubDataset } from './fake-github/dataset.js';
import { githubFixture } from './fixture.js';

const at = (...times: string[]) => times.map((time) => ({ updated_at: time }));

/** The issue numbers in the lake, and the ones the API serves, both ascending. */
async function issueNumbers(lake: TestLake, dataset: GithubDataset) {
  const stored = (await lake.rows('issues')).map((row) => Number(row.issue_key)).sort((left, right) => left - right);
  return { stored, served: dataset.issueNumbers() };
}

describe('the order a page proves', () => {
  it('holds only when every time is readable and none goes the wrong way, from where the page before ended', () => {
    expect(listsOldestFirst(at('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), 0)).toBe(true);
    expect(listsOldestFirst(at('2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z'), 0)).toBe(false);
    expect(listsOldestFirst(at('2024-01-01T00:00:00Z'), Date.parse('2024-01-01T00:00:01Z'))).toBe(false);
    expect(listsOldestFirst(at('yesterday'), Number.NEGATIVE_INFINITY)).toBe(false);
    expect(listsOldestFirst([], 0)).toBe(true);
    expect(listsNewestFirst(at('2024-01-02T00:00:00Z', '2024-01-01T00:00:00+01:00'), Number.POSITIVE_INFINITY)).toBe(
      true,
    );
    expect(listsNewestFirst(at('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), Number.POSITIVE_INFINITY)).toBe(false);
    expect(listsNewestFirst(at('2024-01-03T00:00:00Z'), Date.parse('2024-01-02T00:00:00Z'))).toBe(false);
  });
});

describe('incremental listings against a GitHub that does not keep its promises', () => {
  it('items sharing one updated_at over several pages, one of them changed while the run pages through them: none is missed', async () => {
    const fixture = await githubFixture({
      issues: 800,
      pullRequests: 5,
      commentsPerIssue: 0,
      bulkEditedIssues: 350,
      workflowRuns: 1,
      deployments: 0,
    });
    const { dataset, github } = fixture;
    const tied = dataset.issues.filter((record) => record.labels.includes('needs-triage'));
    expect(tied).toHaveLength(350);
    // Inside the run of ties: the first of them, already read on page 1, changes; the pages after shift by one.
    let changed = false;
    github.onRequest = (request) => {
      if (changed || !request.path.endsWith('/issues') || request.query.get('page') !== '2') return;
      changed = true;
      dataset.touchIssue(tied[0]!.number, { title: 'Changed while paging' });
    };
    const lake = await createTestLake({ connector: githubConnector });
    try {
      await lake.syncOrThrow(fixture.context);
      expect(changed).toBe(true);
      const { stored, served } = await issueNumbers(lake, dataset);
      expect(stored).toEqual(served);
      const [row] = await lake.rows('issues', { issue_key: String(tied[0]!.number) });
      expect(row?.title).toBe('Changed while paging');
      // The next sync starts past all of it: nothing is collected again.
      const again = await lake.syncOrThrow(fixture.context);
      expect(again.streams.find((stream) => stream.name === 'issues')?.records).toBe(0);
    } finally {
      await lake.close();
      await fixture.close();
    }
  });

  it('issues listed in another order than asked: every page is read from the starting bookmark, and a warning names the listing', async () => {
    const fixture = await githubFixture({ issues: 450, pullRequests: 10, commentsPerIssue: 1, workflowRuns: 1 });
    const { dataset, github } = fixture;
    const warnings: LogEntry[] = [];
    const logSink = (entry: LogEntry) => {
      if (entry.level === 'warn') warnings.push(entry);
    };
    const lake = await createTestLake({ connector: githubConnector });
    try {
      await lake.syncOrThrow(fixture.context);
      github.api.setHostility({ order: 'shuffled' });
      for (const number of dataset.issueNumbers().slice(0, 150))
        dataset.touchIssue(number, { title: `Renamed ${number}` });
      dataset.addIssueComment(dataset.issueNumbers()[200]!, 'late comment');
      const result = await lake.syncOrThrow(fixture.context, { logSink });
      expect(result.streams.find((stream) => stream.name === 'issues')?.records).toBeGreaterThanOrEqual(150);
      const { stored, served } = await issueNumbers(lake, dataset);
      expect(stored).toEqual(served);
      const titles = (await lake.rows('issues')).filter((row) => String(row.title).startsWith('Renamed '));
      expect(titles).toHaveLength(150);
      expect(await lake.count('issue_comments')).toBe(dataset.counts().issueComments);
      const listings = warnings.map((entry) => entry.fields.listing);
      expect(listings).toContain(`/repos/${dataset.fullName}/issues`);
    } finally {
      await lake.close();
      await fixture.close();
    }
  });

  it('pull requests listed oldest first when asked newest first: the run reads to the end instead of stopping at the bookmark', async () => {
    const fixture = await githubFixture({ issues: 10, pullRequests: 150, commentsPerIssue: 0, workflowRuns: 1 });
    const { dataset, github } = fixture;
    const warnings: LogEntry[] = [];
    const lake = await createTestLake({ connector: githubConnector });
    try {
      await lake.syncOrThrow(fixture.context);
      const [first, second] = dataset.pullRequestNumbers();
      dataset.touchPullRequest(first!, { title: 'Renamed first' });
      dataset.touchPullRequest(second!, { title: 'Renamed second' });
      github.api.setHostility({ order: 'reversed' });
      const result = await lake.syncOrThrow(fixture.context, {
        logSink: (entry) => {
          if (entry.level === 'warn') warnings.push(entry);
        },
      });
      expect(result.streams.find((stream) => stream.name === 'pull_requests')?.records).toBe(2);
      const titles = (await lake.rows('pull_requests')).map((row) => row.title);
      expect(titles).toEqual(expect.arrayContaining(['Renamed first', 'Renamed second']));
      expect(warnings.map((entry) => entry.fields.listing)).toContain(`/repos/${dataset.fullName}/pulls`);
      // Back to a server that keeps its promise: the bookmark holds, nothing is read twice.
      github.api.setHostility(undefined);
      const again = await lake.syncOrThrow(fixture.context);
      expect(again.streams.find((stream) => stream.name === 'pull_requests')?.records).toBe(0);
    } finally {
      await lake.close();
      await fixture.close();
    }
  });
});
