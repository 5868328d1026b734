import { createTestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { jiraConnector } from '../src/index.js';
import { FAKE_ISSUE_TYPES, FAKE_STATUSES } from './fake-jira/catalog-routes.js';
import { expectedDomainCounts, jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, startFakeJira } from './fake-jira/fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

describe.each(['Cloud', 'DataCenter'] as const)('issue types and statuses of Jira %s', (deployment) => {
  it('are collected, and status changes become DevLake standard statuses by their category', async () => {
    const dataset = jiraDataset({ issues: 30 });
    // A status the site no longer lists: its change keeps the names.
    dataset.issues[0]!.histories.push({
      id: dataset.sequence.history++,
      authorId: dataset.issues[0]!.reporterId,
      at: dataset.issues[0]!.created + 70_000,
      items: [
        { field: 'status', fieldId: 'status', from: '99999', fromString: 'Retired', to: '3', toString: 'In Progress' },
      ],
    });
    const fake = await startFakeJira(dataset, { deployment });
    const lake = await createTestLake({ connector: jiraConnector });
    closers.push(
      () => fake.api.close(),
      () => lake.close(),
    );
    const context = { connection: connectionFor(fake), scope: { boardId: 8 } };
    await lake.syncOrThrow(context);

    const version = deployment === 'Cloud' ? 3 : 2;
    expect(fake.api.requestsTo(`/rest/api/${version}/issuetype`)).toHaveLength(1);
    expect(fake.api.requestsTo(`/rest/api/${version}/status`)).toHaveLength(1);
    const types = await lake.rows('_tool_jira_issue_types');
    expect(types.map((row) => [row.issue_type_id, row.name]).sort()).toEqual(
      FAKE_ISSUE_TYPES.map((type) => [type.id, type.name]).sort(),
    );
    const statuses = await lake.rows('_tool_jira_statuses');
    expect(statuses.map((row) => [row.status_id, row.name, row.category_key]).sort()).toEqual(
      FAKE_STATUSES.map((status) => [status.id, status.name, status.category.key]).sort(),
    );

    const statusItems = dataset.issues.flatMap((issue) =>
      issue.histories.flatMap((history) => history.items.filter((item) => item.field === 'status')),
    );
    expect(await lake.count('issue_changelogs', { field_name: 'status' })).toBe(statusItems.length);
    expect(
      await lake.count('issue_changelogs', {
        field_name: 'status',
        from_value: 'TODO',
        to_value: 'IN_PROGRESS',
        original_from_value: 'To Do',
        original_to_value: 'In Progress',
      }),
    ).toBe(statusItems.length - 1);
    expect(
      await lake.count('issue_changelogs', { field_name: 'status', from_value: 'Retired', to_value: 'IN_PROGRESS' }),
    ).toBe(1);

    // Issues resolved between two syncs: their changes end in DONE.
    fake.mutate(1);
    await lake.syncOrThrow(context);
    const resolved = dataset.issues.flatMap((issue) =>
      issue.histories.flatMap((history) => history.items.filter((item) => item.to === '10001')),
    );
    expect(resolved.length).toBeGreaterThan(0);
    expect(await lake.count('issue_changelogs', { field_name: 'status', to_value: 'DONE' })).toBe(resolved.length);
    const { issue_changelogs } = expectedDomainCounts(dataset);
    expect(await lake.count('issue_changelogs')).toBe(issue_changelogs);
  });
});
