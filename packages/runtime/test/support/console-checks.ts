import { expect, it } from 'vitest';
import type { ConsoleLake } from './console-lake.ts';

/** A GET of the console's JSON API: its status and parsed body. */
export type ConsoleApi = <T>(path: string, init?: RequestInit) => Promise<{ status: number; body: T }>;

/**
 * The console's data checked against the lake's own tables and commands: runs as `_lake_runs`
 * holds them, the DORA page as `lake metrics` reports it and the tables behind it, explain.
 * The same checks for a lake on SQLite, PostgreSQL and MySQL/MariaDB.
 */
export function describeConsoleData(context: () => { api: ConsoleApi; lake: ConsoleLake }): void {
  it('answers the runs of _lake_runs, newest first, with the failed run and its error', async () => {
    const { api, lake } = context();
    const { body } =
      await api<
        Array<{ syncId: string; stream: string; records: number; status: string; connection: string; error: string }>
      >('api/runs?limit=1000');
    const store = await lake.openStore();
    const rows = await store.db.selectFrom('_lake_runs').select(['sync_id', 'stream', 'records', 'status']).execute();
    await store.close();
    expect(body).toHaveLength(rows.length);
    const key = (run: { sync: string; stream: string; records: number; status: string }) =>
      `${run.sync}/${run.stream}/${run.records}/${run.status}`;
    expect(body.map((run) => key({ sync: run.syncId, ...run })).sort()).toEqual(
      rows
        .map((row) =>
          key({
            sync: String(row.sync_id),
            stream: String(row.stream),
            records: Number(row.records),
            status: String(row.status),
          }),
        )
        .sort(),
    );
    const failed = body.filter((run) => run.status === 'failed');
    expect(failed.map((run) => run.connection)).toEqual(['flaky']);
    expect(failed[0]!.error).toContain('the fixture API failed on item 3');
    // With its stable code in front, which the page shows as a badge.
    expect(failed[0]!.error).toMatch(/^STREAM_FAILED: /);
    expect(body.find((run) => run.connection === 'api')!.records).toBe(5);
  });

  it('answers the DORA report of lake metrics and the rows behind it, as the tables hold them', async () => {
    const { api, lake } = context();
    const { body } = await api<{
      report: { metrics: Record<string, { value: number | null }> };
      pullRequests: Array<{ id: string; cycleMinutes: number | null }>;
      pullRequestCount: number;
      deployments: Array<{ id: string }>;
      weeks: Array<{ deployments: number }>;
    }>('api/dora/shop');
    const reported = JSON.parse((await lake.project.lake('metrics', 'shop', '--json')).stdout) as typeof body.report;
    expect(body.report.metrics).toEqual(reported.metrics);
    const store = await lake.openStore();
    const metrics = await store.db.selectFrom('project_pr_metrics').select(['id', 'pr_cycle_time']).execute();
    const deployments = await store.db.selectFrom('cicd_deployments').select('id').execute();
    await store.close();
    expect(body.pullRequests.map((pull) => [pull.id, pull.cycleMinutes])).toEqual(
      metrics.map((row) => [row.id, row.pr_cycle_time === null ? null : Number(row.pr_cycle_time)]),
    );
    expect(body.pullRequests.map((pull) => pull.id)).toEqual(['review:PullRequest:1']);
    const paged = await api<{ total: number; pullRequests: Array<{ id: string }> }>(
      'api/dora/shop/pull-requests?offset=0&limit=10',
    );
    expect([paged.body.total, paged.body.pullRequests.map((pull) => pull.id)]).toEqual([1, ['review:PullRequest:1']]);
    expect((await api<{ pullRequests: unknown[] }>('api/dora/shop/pull-requests?offset=1')).body.pullRequests).toEqual(
      [],
    );
    // The PR was deployed by the second deployment: lead time and frequency have figures.
    expect(body.pullRequests[0]!.cycleMinutes).toBeGreaterThan(0);
    expect(body.report.metrics.leadTime!.value).toBe(body.pullRequests[0]!.cycleMinutes);
    expect(body.deployments.map((deployment) => deployment.id).sort()).toEqual(deployments.map((row) => row.id).sort());
    expect(body.deployments).toHaveLength(2);
    expect(body.pullRequestCount).toBe(metrics.length);
    expect(body.weeks.reduce((sum, week) => sum + week.deployments, 0)).toBe(2);
    const unknown = await api<{ error: { code: string } }>('api/dora/nowhere');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it("answers explain's answer for a pull request", async () => {
    const { api } = context();
    const { body } = await api<{ report: { pullRequest: { id: string }; spans: Record<string, unknown> } }>(
      'api/dora/shop/explain?pullRequest=review%3APullRequest%3A1',
    );
    expect(body.report.pullRequest.id).toBe('review:PullRequest:1');
    expect(Object.keys(body.report.spans).sort()).toEqual(['coding', 'cycle', 'deploy', 'pickup', 'review']);
  });
}
