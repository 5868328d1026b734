import { afterEach, describe, expect, it } from 'vitest';
import { jiraDataset } from './dataset.js';
import { CLOUD_API_TOKEN, CLOUD_EMAIL, DATA_CENTER_TOKEN, type Deployment, startFakeJira } from './fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function fakeOf(deployment: Deployment) {
  const fake = await startFakeJira(jiraDataset({ issues: 120 }), { deployment });
  closers.push(() => fake.api.close());
  const authorization =
    deployment === 'Cloud'
      ? `Basic ${Buffer.from(`${CLOUD_EMAIL}:${CLOUD_API_TOKEN}`).toString('base64')}`
      : `Bearer ${DATA_CENTER_TOKEN}`;
  const ask = async (path: string, body?: unknown) => {
    const response = await fetch(`${fake.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { fake, ask };
}

// The fake's own endpoints, pinned down independently of the connector (which asks by GET only).
describe('the fake Jira search and changelog endpoints', () => {
  it('pages /search/jql by token, the same by POST as by GET, with only ids unless fields are asked', async () => {
    const { ask } = await fakeOf('Cloud');
    const jql = 'filter = 10000 ORDER BY updated ASC';
    const first = await ask(`/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&maxResults=100`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ isLast: false, nextPageToken: Buffer.from('100').toString('base64url') });
    expect(Object.keys((first.body.issues as object[])[0]!)).toEqual(['id']);
    const second = await ask('/rest/api/3/search/jql', {
      jql,
      maxResults: 100,
      fields: ['*all'],
      nextPageToken: first.body.nextPageToken,
    });
    expect(second.body.isLast).toBe(true);
    expect(second.body.nextPageToken).toBeUndefined();
    const issues = second.body.issues as Array<{ key: string; fields: { summary: string } }>;
    expect(issues).toHaveLength(20);
    expect(issues[0]!.fields.summary).toBeTypeOf('string');
    expect((await ask('/rest/api/3/search/jql')).status).toBe(400);
    expect((await ask(`/rest/api/3/search/jql?jql=${encodeURIComponent('filter = 7')}`)).status).toBe(400);
    // Cloud has removed the old search.
    expect((await ask('/rest/api/2/search?jql=')).status).toBe(410);
  });

  it('answers the bulk changelog within its limits, and not at all on Data Center', async () => {
    const { fake, ask } = await fakeOf('Cloud');
    const ids = fake.dataset.issues.slice(0, 3).map((issue) => String(issue.id));
    const histories = fake.dataset.issues.slice(0, 3).reduce((total, issue) => total + issue.histories.length, 0);
    const first = await ask('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ids, maxResults: 4 });
    expect(first.status).toBe(200);
    const second = await ask('/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: ids,
      maxResults: 4,
      nextPageToken: first.body.nextPageToken,
    });
    const count = (page: { body: Record<string, unknown> }) =>
      (page.body.issueChangeLogs as Array<{ changeHistories: unknown[] }>).reduce(
        (total, log) => total + log.changeHistories.length,
        0,
      );
    expect(count(first) + count(second)).toBe(histories);
    expect(second.body.nextPageToken).toBeUndefined();
    const tooMany = Array.from({ length: 1001 }, (_, index) => String(index));
    expect((await ask('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: tooMany })).status).toBe(400);
    expect((await ask('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: [] })).status).toBe(400);
    expect((await ask('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ids, maxResults: 0 })).status).toBe(400);

    const dataCenter = await fakeOf('DataCenter');
    expect((await dataCenter.ask('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ids })).status).toBe(404);
    expect((await dataCenter.ask('/rest/api/3/search/jql?jql=x')).status).toBe(404);
    const page = await dataCenter.ask(`/rest/api/2/issue/${ids[0]}/changelog?startAt=0&maxResults=1`);
    expect(page.body).toMatchObject({ startAt: 0, maxResults: 1, total: 2, isLast: false });
    expect((await dataCenter.ask('/rest/api/2/issue/CORE-9999/changelog')).status).toBe(404);
  });
});
