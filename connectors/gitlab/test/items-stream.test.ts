import { createDomainIds } from '@lake/sdk';
import { createTestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { gitlabConnector } from '../src/index.js';
import { fixtureItems, startFakeGitlab, TOKEN } from './fake-gitlab.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function setup(extra = 0) {
  const fake = await startFakeGitlab(fixtureItems(extra));
  const lake = await createTestLake({ connector: gitlabConnector });
  closers.push(
    () => fake.api.close(),
    () => lake.close(),
  );
  const context = { connection: { id: 1, endpoint: fake.url, token: TOKEN }, scope: { project: 'CORE' } };
  return { fake, lake, context };
}

describe('the items stream', () => {
  it('writes every item to the raw, tool and domain layers, page by page', async () => {
    const { fake, lake, context } = await setup(120);
    await lake.syncOrThrow(context);
    expect(await lake.count('_raw_gitlab_items')).toBe(123);
    expect(await lake.count('_tool_gitlab_items')).toBe(123);
    expect(await lake.count('issues')).toBe(123);
    expect(await lake.count('board_issues')).toBe(123);
    // 123 items at 50 a page: three pages.
    expect(fake.api.requestsTo(/\/items$/)).toHaveLength(3);
    const [first] = await lake.rows('issues', { issue_key: 'CORE-1' });
    expect(first).toMatchObject({ title: 'Login fails on Safari', type: 'BUG', status: 'DONE', creator_name: 'Ada' });
    // Every issue sits on the board that is the scope's domain scope.
    const [board] = await gitlabConnector.domainScopes({ ids: createDomainIds('gitlab', 1), scopeId: 'CORE' } as never);
    expect(new Set((await lake.rows('board_issues')).map((row) => row.board_id))).toEqual(new Set([board?.id]));
    const [open] = await lake.rows('issues', { issue_key: 'CORE-2' });
    expect(open).toMatchObject({ type: 'REQUIREMENT', status: 'TODO' });
  });

  it('collects only what changed since the last sync', async () => {
    const { fake, lake, context } = await setup();
    await lake.syncOrThrow(context);
    fake.items.push({ ...fake.items[0]!, id: 'CORE-4', title: 'New', updated_at: '2026-03-01T00:00:00Z' });
    const before = fake.api.log.length;
    await lake.syncOrThrow(context);
    const asked = fake.api.log.slice(before).find((request) => request.path.endsWith('/items'))!;
    expect(asked.query).toContain('updated_since=2026-01-07T12%3A00%3A00Z');
    expect(await lake.count('issues')).toBe(4);
  });

  it('names the bad field of a bad connection, and fails clearly on a bad token', async () => {
    const { lake, context } = await setup();
    await expect(lake.sync({ ...context, connection: { id: 1, endpoint: 'not a url', token: TOKEN } })).rejects.toThrow(
      /connection\.endpoint/,
    );
    const result = await lake.sync({ ...context, connection: { ...context.connection, token: 'token-wrong-1111' } });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('401');
    expect(result.error?.message).not.toContain('token-wrong-1111');
  });
});
