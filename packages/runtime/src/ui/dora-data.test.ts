import { openStore, runMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '@lake/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowerMedian, mondayOf, readDoraRows, weeklyTrends } from './dora-data.js';

describe('weekly trends', () => {
  it('takes the Monday of a week in UTC, Sunday belonging to the week before', () => {
    expect(mondayOf('2026-11-30T00:00:00.000Z')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06T23:59:59.000Z')).toBe('2026-11-30');
    expect(mondayOf('2026-12-07T00:00:00.000Z')).toBe('2026-12-07');
  });

  it('takes the lower median, as the DORA dashboard does', () => {
    expect(lowerMedian([])).toBeNull();
    expect(lowerMedian([5])).toBe(5);
    expect(lowerMedian([9, 1, 5, 3])).toBe(3);
    expect(lowerMedian([9, 1, 5])).toBe(5);
  });

  it('counts successful production deployments, the median cycle of PRs deployed, and incidents per week', () => {
    const pull = (cycleMinutes: number | null, deployedAt: string | null) => ({
      id: String(cycleMinutes),
      title: '',
      url: '',
      codingMinutes: null,
      pickupMinutes: null,
      reviewMinutes: null,
      deployMinutes: null,
      cycleMinutes,
      mergedAt: null,
      deployedAt,
    });
    const deployment = (finishedAt: string, result = 'SUCCESS', environment = 'PRODUCTION') => ({
      id: finishedAt + result + environment,
      name: '',
      result,
      environment,
      finishedAt,
    });
    const weeks = weeklyTrends(
      [
        pull(10, '2026-12-01T00:00:00Z'),
        pull(30, '2026-12-02T00:00:00Z'),
        pull(20, '2026-12-03T00:00:00Z'),
        pull(null, '2026-12-01T00:00:00Z'),
        pull(99, null),
      ],
      [
        deployment('2026-11-24T10:00:00Z'),
        deployment('2026-12-01T10:00:00Z'),
        deployment('2026-12-02T10:00:00Z', 'FAILURE'),
        deployment('2026-12-02T11:00:00Z', 'SUCCESS', 'STAGING'),
      ],
      [{ id: 'i', title: '', status: 'DONE', createdAt: '2026-12-04T00:00:00Z', resolvedAt: null }],
    );
    expect(weeks).toEqual([
      { week: '2026-11-23', deployments: 1, medianCycleMinutes: null, incidents: 0 },
      { week: '2026-11-30', deployments: 1, medianCycleMinutes: 20, incidents: 1 },
    ]);
  });
});

describe.each(testDialects())('readDoraRows on %s', (dialect) => {
  let scratch: ScratchDatabase;
  let store: Store;

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    store = await openStore(scratch.url);
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
    const writer = store.writer();
    await writer.upsert(domainShape('project_mapping'), [
      { project_name: 'shop', table: 'cicd_scopes', row_id: 'ci:1' },
      { project_name: 'shop', table: 'boards', row_id: 'board:1' },
      { project_name: 'other', table: 'cicd_scopes', row_id: 'ci:2' },
    ]);
    const finished = (day: number) => new Date(Date.UTC(2026, 10, day, 12));
    await writer.upsert(domainShape('cicd_deployment_commits'), [
      // One deployment of two repositories: one deployment, finished at its latest row.
      {
        id: 'p1:a',
        commit_sha: 'a',
        cicd_scope_id: 'ci:1',
        cicd_deployment_id: 'p1',
        name: 'one',
        result: 'SUCCESS',
        environment: 'PRODUCTION',
        finished_date: finished(2),
      },
      {
        id: 'p1:b',
        commit_sha: 'b',
        cicd_scope_id: 'ci:1',
        cicd_deployment_id: 'p1',
        name: 'one',
        result: 'SUCCESS',
        environment: 'PRODUCTION',
        finished_date: finished(3),
      },
      {
        id: 'p2:a',
        commit_sha: 'c',
        cicd_scope_id: 'ci:1',
        cicd_deployment_id: 'p2',
        name: 'two',
        result: 'FAILURE',
        environment: 'PRODUCTION',
        finished_date: finished(9),
      },
      {
        id: 'p3:a',
        commit_sha: 'd',
        cicd_scope_id: 'ci:2',
        cicd_deployment_id: 'p3',
        name: 'other',
        result: 'SUCCESS',
        environment: 'PRODUCTION',
        finished_date: finished(9),
      },
    ]);
    await writer.upsert(domainShape('pull_requests'), [
      { id: 'pr:1', title: 'First', url: 'https://review.invalid/1', status: 'MERGED' },
    ]);
    await writer.upsert(domainShape('project_pr_metrics'), [
      {
        id: 'pr:1',
        project_name: 'shop',
        pr_cycle_time: 120,
        pr_coding_time: null,
        pr_merged_date: finished(4),
        pr_deployed_date: finished(5),
      },
      { id: 'pr:2', project_name: 'shop', pr_cycle_time: null, pr_merged_date: finished(6) },
      { id: 'pr:3', project_name: 'other', pr_cycle_time: 5, pr_merged_date: finished(6) },
    ]);
    await writer.upsert(domainShape('incidents'), [
      { id: 'inc:1', title: 'Down', status: 'DONE', table: 'boards', scope_id: 'board:1', created_date: finished(10) },
      {
        id: 'inc:2',
        title: 'Elsewhere',
        status: 'DONE',
        table: 'boards',
        scope_id: 'board:9',
        created_date: finished(10),
      },
    ]);
  });

  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
  });

  it("reads the project's PRs, deployments and incidents, and nothing of another project's", async () => {
    const rows = await readDoraRows(store, 'shop');
    expect(rows.pullRequests.map((pull) => [pull.id, pull.title, pull.cycleMinutes, pull.deployedAt])).toEqual([
      ['pr:2', '', null, null],
      ['pr:1', 'First', 120, '2026-11-05T12:00:00.000Z'],
    ]);
    expect(rows.deployments.map((deployment) => [deployment.id, deployment.result, deployment.finishedAt])).toEqual([
      ['p2', 'FAILURE', '2026-11-09T12:00:00.000Z'],
      ['p1', 'SUCCESS', '2026-11-03T12:00:00.000Z'],
    ]);
    expect(rows.incidents.map((incident) => incident.id)).toEqual(['inc:1']);
    expect(rows.weeks.map((week) => [week.week, week.deployments, week.medianCycleMinutes, week.incidents])).toEqual([
      ['2026-11-02', 1, 120, 0],
      ['2026-11-09', 0, null, 1],
    ]);
  });

  it('answers nothing for a project without rows', async () => {
    expect(await readDoraRows(store, 'nowhere')).toEqual({
      pullRequests: [],
      deployments: [],
      incidents: [],
      weeks: [],
    });
  });
});
