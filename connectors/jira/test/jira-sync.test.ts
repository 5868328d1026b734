import { runListRemoteScopes, runTestConnection } from '@lake/sdk';
import { createTestLake, type TestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { jiraConnector } from '../src/index.js';
import { expectedDomainCounts, jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, type Deployment, startFakeJira } from './fake-jira/fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const scopeConfig = {
  typeMappings: {
    Story: { standardType: 'REQUIREMENT' },
    Bug: { standardType: 'BUG' },
    Incident: { standardType: 'INCIDENT' },
  },
  storyPointField: 'customfield_10016',
};

async function setup(issues = 40, deployment: Deployment = 'Cloud', timeZone = 'Europe/Berlin') {
  const fake = await startFakeJira(jiraDataset({ issues }), { deployment, timeZone });
  const lake = await createTestLake({ connector: jiraConnector });
  closers.push(
    () => fake.api.close(),
    () => lake.close(),
  );
  const context = { connection: connectionFor(fake), scope: { boardId: 8 }, scopeConfig };
  return { fake, lake, context };
}

async function expectCounts(lake: TestLake, expected: Record<string, number>) {
  const actual: Record<string, number> = {};
  for (const table of Object.keys(expected)) actual[table] = await lake.count(table);
  expect(actual).toEqual(expected);
}

describe.each(['Cloud', 'DataCenter'] as const)('a sync from Jira %s', (deployment) => {
  it('writes every domain table, with DevLake ids, types, statuses and lead times', async () => {
    const { fake, lake, context } = await setup(40, deployment);
    await lake.syncOrThrow(context);
    await expectCounts(lake, expectedDomainCounts(fake.dataset));
    const [incident] = await lake.rows('issues', { issue_key: 'CORE-3' });
    expect(incident).toMatchObject({
      id: 'jira:JiraIssue:1:10003',
      type: 'INCIDENT',
      original_type: 'Incident',
      status: 'DONE',
      original_status: 'Done',
      story_point: 3,
      lead_time_minutes: 60,
      original_project: 'CORE',
      _raw_data_params: '{"ConnectionId":1,"BoardId":8}',
    });
    const [task] = await lake.rows('issues', { issue_key: 'CORE-4' });
    expect(task).toMatchObject({ type: 'TASK', status: 'TODO', lead_time_minutes: null });
    const [inProgress] = await lake.rows('issues', { issue_key: 'CORE-2' });
    expect(inProgress).toMatchObject({ type: 'BUG', status: 'IN_PROGRESS' });
    expect(await lake.rows('boards')).toMatchObject([{ id: 'jira:JiraBoard:1:8', name: 'CORE board', type: 'scrum' }]);
    expect(await lake.count('sprints', { id: 'jira:JiraSprint:1:3', status: 'ACTIVE' })).toBe(1);
    const [comment] = await lake.rows('issue_comments', { issue_id: 'jira:JiraIssue:1:10002' });
    // Cloud sends ADF (v3), Data Center a string (v2): both become the same text.
    expect(comment).toMatchObject({ body: 'Comment 1 on issue 2' });
    const accountIds = (await lake.rows('accounts')).map((row) => row.id);
    const user = fake.dataset.users[0]!;
    expect(accountIds).toContain(`jira:JiraAccount:1:${deployment === 'Cloud' ? user.accountId : user.key}`);
  });

  it('names the user, the deployment type and the version in test-connection, and fails cleanly on bad credentials', async () => {
    const { fake, context } = await setup(1, deployment);
    const result = await runTestConnection({ connector: jiraConnector, context });
    expect(result.ok).toBe(true);
    expect(result.message).toBe(
      deployment === 'Cloud'
        ? 'authenticated as Lake Bot on Jira Cloud 1001.0.0-SNAPSHOT'
        : 'authenticated as Lake Bot on Jira Server 9.12.4',
    );
    const auth =
      deployment === 'Cloud'
        ? { type: 'basic', email: 'lake-bot@example.com', apiToken: 'wrong-token-1' }
        : { type: 'bearer', token: 'wrong-token-1' };
    const failed = await runTestConnection({
      connector: jiraConnector,
      context: { connection: { ...connectionFor(fake), auth } },
    });
    expect(failed.ok).toBe(false);
    expect(failed.message).toContain('401');
    expect(JSON.stringify(failed)).not.toContain('wrong-token-1');
  });
});

it('says why test-connection could not ask, when nothing answers', async () => {
  const { fake, context } = await setup(1);
  await fake.api.close();
  const result = await runTestConnection({ connector: jiraConnector, context });
  expect(result.ok).toBe(false);
  expect(result.message).toMatch(/myself/);
  expect(result.message).not.toContain('ATATT3x');
});

describe('changelogs', () => {
  it('converts every item or keeps it as skipped with its reason: none is dropped silently', async () => {
    const { fake, lake, context } = await setup(60);
    await lake.syncOrThrow(context);
    const items = fake.dataset.issues.flatMap((issue) => issue.histories.flatMap((history) => history.items));
    const withoutField = items.filter((item) => !item.field).length;
    expect(withoutField).toBeGreaterThan(0);
    expect(await lake.count('_tool_jira_changelog_items')).toBe(items.length);
    const skipped = (await lake.rows('_tool_jira_changelog_items')).filter((row) => row.skip_reason !== '');
    expect(skipped).toHaveLength(withoutField);
    expect(new Set(skipped.map((row) => row.skip_reason))).toEqual(new Set(['the item names no field']));
    expect((await lake.count('issue_changelogs')) + skipped.length).toBe(items.length);
    // A field changed twice in one history (two links) keeps both items.
    expect(await lake.count('issue_changelogs', { field_name: 'Link' })).toBe(
      items.filter((item) => item.field === 'Link').length,
    );
  });
});

const searchPathOf = (deployment: Deployment) =>
  deployment === 'Cloud' ? '/rest/api/3/search/jql' : '/rest/api/2/search';

describe.each(['Cloud', 'DataCenter'] as const)(
  'incremental reading by JQL on Jira %s, in the user time zone, to the minute',
  (deployment) => {
    it('asks from a minute before the newest update read, written in the user zone', async () => {
      const { fake, lake, context } = await setup(30, deployment, 'America/New_York');
      await lake.syncOrThrow(context);
      const newest = Math.max(...fake.dataset.issues.map((issue) => issue.updated));
      const before = fake.api.log.length;
      await lake.syncOrThrow(context);
      const asked = fake.api.log.slice(before).find((request) => request.path === searchPathOf(deployment))!;
      const local = new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'America/New_York',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(Math.floor(newest / 60_000) * 60_000 - 60_000));
      expect(new URLSearchParams(asked.query).get('jql')).toBe(
        `filter = 10000 AND updated >= "${local.replaceAll('-', '/')}" ORDER BY updated ASC`,
      );
    });

    it('loses no issue updated in the same minute as the bound, and duplicates none', async () => {
      const { fake, lake, context } = await setup(30, deployment);
      await lake.syncOrThrow(context);
      const newest = Math.max(...fake.dataset.issues.map((issue) => issue.updated));
      const minute = Math.floor(newest / 60_000) * 60_000;
      // Committed late: in the same minute as the newest update read, before it, and at the minute's first instant.
      const late = fake.touch('CORE-5', Math.max(minute, newest - 1000));
      const atTheMinute = fake.touch('CORE-6', minute);
      await lake.syncOrThrow(context);
      for (const issue of [late, atTheMinute])
        expect(await lake.count('issues', { issue_key: issue.key, title: issue.summary })).toBe(1);
      await expectCounts(lake, expectedDomainCounts(fake.dataset));
    });

    it('reads again a listing whose issues change while it is paged', async () => {
      const { fake, lake, context } = await setup(250, deployment);
      await lake.syncOrThrow(context);
      fake.mutate(1);
      fake.api.setHostility({ whilePaging: () => fake.mutate(2) });
      await lake.syncOrThrow(context);
      await expectCounts(lake, expectedDomainCounts(fake.dataset));
    });
  },
);

describe('issues that leave the board', () => {
  it('removes an issue deleted or moved off the board on the next full sync', async () => {
    const { fake, lake, context } = await setup(30);
    await lake.syncOrThrow(context);
    fake.moveOffBoard('CORE-7');
    fake.remove();
    await lake.syncOrThrow(context, { full: true });
    expect(await lake.count('issues', { issue_key: 'CORE-7' })).toBe(0);
    expect(await lake.count('board_issues', { issue_id: 'jira:JiraIssue:1:10007' })).toBe(0);
    await expectCounts(lake, expectedDomainCounts(fake.dataset));
  });
});

describe('faults', () => {
  it('waits out a 429 with Retry-After and 502s, then finishes', async () => {
    const { fake, lake, context } = await setup(30);
    fake.api.fault({
      match: { path: /\/search\/jql$/ },
      kind: { type: 'rate-limit', status: 429, retryAfterSeconds: 1 },
    });
    fake.api.fault({ match: { path: /\/comment$/ }, after: 2, times: 2, kind: { type: 'status', status: 502 } });
    await lake.syncOrThrow(context);
    await expectCounts(lake, expectedDomainCounts(fake.dataset));
    expect(fake.api.log.filter((request) => request.status === 429)).toHaveLength(1);
  });

  it('reports a JQL error in the words of Jira', async () => {
    const { fake, lake, context } = await setup(3);
    fake.api.fault({
      match: { path: /\/search\/jql$/ },
      kind: {
        type: 'status',
        status: 400,
        body: { errorMessages: ["Field 'updated' is not searchable."], errors: {} },
      },
    });
    const result = await lake.sync(context);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain("Field 'updated' is not searchable.");
  });
});

describe('remote scopes', () => {
  it('lists projects, then the boards of one, page by page', async () => {
    const { context } = await setup(1);
    const projects = await runListRemoteScopes({ connector: jiraConnector, context });
    expect(projects.entries.map((entry) => entry.id)).toEqual(['CORE', 'OPS']);
    const boards = await runListRemoteScopes({ connector: jiraConnector, context, groupId: 'CORE' });
    expect(boards.entries).toHaveLength(3);
    expect(boards.entries[0]).toMatchObject({ kind: 'scope', id: '8', scope: { boardId: 8, name: 'CORE board' } });
    expect(boards.nextPageToken).toBeUndefined();
    // OPS has 60 boards: two pages of 50, the token is the next startAt.
    const first = await runListRemoteScopes({ connector: jiraConnector, context, groupId: 'OPS' });
    expect(first.entries).toHaveLength(50);
    expect(first.nextPageToken).toBe('50');
    const second = await runListRemoteScopes({ connector: jiraConnector, context, groupId: 'OPS', pageToken: '50' });
    expect(second.entries.map((entry) => entry.id)).toEqual(
      Array.from({ length: 10 }, (_, index) => String(151 + index)),
    );
    expect(second.nextPageToken).toBeUndefined();
    const none = await runListRemoteScopes({ connector: jiraConnector, context, groupId: 'DOCS' });
    expect(none.entries).toEqual([]);
  });
});
