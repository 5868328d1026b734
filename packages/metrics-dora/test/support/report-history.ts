import type { Store } from '@lake/sdk';
import { putRows } from './lake-rows.js';

/** An instant in February/March 2026, UTC: `day(4, 9)` is 2026-02-04T09:00Z; `day(-1)` is 31 January. */
export function day(date: number, hours = 0, minutes = 0, seconds = 0): Date {
  return new Date(Date.UTC(2026, 1, date, hours, minutes, seconds));
}

/**
 * Derived tables written by hand for the report window 2026-02-02 (a Monday) … 2026-03-01 (a
 * Sunday), project `shop` (repo:1, scope:1, board:1) beside project `other`:
 *
 * deployments (successful PRODUCTION unless said): d0 a second before the window; d1 at its first
 * instant (first of its chain); d2 two repos, rows finishing 3 Feb 10:00 and 4 Feb 09:00; d3 on 4
 * Feb too; d4 10 Feb; d5 at the window's last second; d6 a second after it; f1 failed; s1 staging;
 * u1 never finished; pipeline n1 a deployment without commits (invisible).
 */
export async function writeReportHistory(store: Store): Promise<void> {
  await putRows(store, 'projects', [{ name: 'shop' }, { name: 'other' }]);
  await putRows(store, 'project_mapping', [
    { project_name: 'shop', table: 'repos', row_id: 'repo:1' },
    { project_name: 'shop', table: 'cicd_scopes', row_id: 'scope:1' },
    { project_name: 'shop', table: 'boards', row_id: 'board:1' },
    { project_name: 'other', table: 'repos', row_id: 'repo:2' },
  ]);
  const deployment = (id: string, sha: string, finished: Date | null, previous: string, fields = {}) => ({
    id,
    commit_sha: sha,
    cicd_scope_id: 'scope:1',
    cicd_deployment_id: id.split(':')[0],
    result: 'SUCCESS',
    environment: 'PRODUCTION',
    repo_url: id.split(':')[1],
    started_date: finished,
    finished_date: finished,
    prev_success_deployment_commit_id: previous,
    ...fields,
  });
  await putRows(store, 'cicd_deployment_commits', [
    deployment('d0:url', 'a0', day(1, 23, 59, 59), ''),
    deployment('d1:url', 'a1', day(2), ''),
    deployment('d2:url', 'a2', day(3, 10), 'd1:url'),
    deployment('d2:url2', 'b2', day(4, 9), ''),
    deployment('d3:url', 'a3', day(4, 15), 'd2:url'),
    deployment('d4:url', 'a4', day(10, 12), 'd3:url'),
    deployment('d5:url', 'a5', day(29, 23, 59, 59), 'd4:url'),
    deployment('d6:url', 'a6', day(30), 'd5:url'),
    deployment('f1:url', 'a7', day(5), '', { result: 'FAILURE' }),
    deployment('s1:url', 's1', day(6), '', { environment: 'STAGING' }),
    deployment('u1:url', 'u1', null, 'd1:url'),
  ]);
  await putRows(store, 'cicd_deployments', [
    { id: 'd1', cicd_scope_id: 'scope:1', result: 'SUCCESS', environment: 'PRODUCTION', finished_date: day(2) },
    { id: 'n1', cicd_scope_id: 'scope:1', result: 'SUCCESS', environment: 'PRODUCTION', finished_date: day(20) },
    { id: 'n2', cicd_scope_id: 'scope:1', result: 'SUCCESS', environment: 'PRODUCTION', finished_date: day(30) },
  ]);
  await putRows(store, 'commits_diffs', [
    { new_commit_sha: 'a1', old_commit_sha: '', commit_sha: 'm7', sorting_index: 1 },
    { new_commit_sha: 's1', old_commit_sha: '', commit_sha: 'm8', sorting_index: 1 },
    { new_commit_sha: 'u1', old_commit_sha: 'a1', commit_sha: 'm10', sorting_index: 1 },
  ]);
  await writeReportPullRequests(store);
  await writeReportIncidents(store);
}

/**
 * Deployed in the window with a deploy time: pr1 (cycle 100), pr2 (1,440), pr3 (10,080, merged
 * before the window). Merged in the window: pr1, pr2, pr4 (deployed after the window), and six
 * without a deploy time, one per reason: pr5 deployed before its merge, pr6 no merge commit, pr7
 * only in the first deployment d1's range, pr8 only in a staging range, pr9 never computed, pr10
 * deployed by u1 which never finished. pr11 is open; pr12 is the other project's.
 */
async function writeReportPullRequests(store: Store): Promise<void> {
  const pr = (id: string, merged: Date | null, sha: string, fields = {}) => ({
    id,
    base_repo_id: 'repo:1',
    merged_date: merged,
    created_date: day(1),
    merge_commit_sha: sha,
    ...fields,
  });
  await putRows(store, 'pull_requests', [
    pr('pr1', day(3, 8), 'm1'),
    pr('pr2', day(3), 'm2'),
    pr('pr3', day(-1), 'm3'),
    pr('pr4', day(25), 'm4'),
    pr('pr5', day(12), 'm5'),
    pr('pr6', day(13), ''),
    pr('pr7', day(14), 'm7'),
    pr('pr8', day(15), 'm8'),
    pr('pr9', day(16), 'm9'),
    pr('pr10', day(17), 'm10'),
    pr('pr11', null, ''),
    pr('pr12', day(5), 'm12', { base_repo_id: 'repo:2' }),
  ]);
  const metrics = (id: string, deployment: string, deploy: number | null, cycle: number, project = 'shop') => ({
    id,
    project_name: project,
    deployment_commit_id: deployment,
    pr_deploy_time: deploy,
    pr_cycle_time: cycle,
  });
  await putRows(store, 'project_pr_metrics', [
    metrics('pr1', 'd2:url', 60, 100),
    metrics('pr2', 'd3:url', 900, 1_440),
    metrics('pr3', 'd4:url', 10, 10_080),
    metrics('pr4', 'd6:url', 5, 50),
    metrics('pr5', 'd4:url', null, 30),
    metrics('pr6', '', null, 10),
    metrics('pr7', '', null, 10),
    metrics('pr8', '', null, 10),
    metrics('pr10', '', null, 10),
    metrics('pr12', 'd4:url', 1, 1, 'other'),
  ]);
}

/**
 * i1 (d2, resolved 60 min after d2's finish), i2 (d2, exactly a week after), i7 (d2, 59 min 59 s
 * after): d2 is the one failed deployment of five. i3 linked to d6 after the window; i4 linked
 * to d0 before it but resolved in it; i5 unresolved; i6 unlinked and without a lead time. The
 * other project's link of d4 is not this project's.
 */
async function writeReportIncidents(store: Store): Promise<void> {
  const incident = (id: string, created: Date, resolved: Date | null, leadTime: number | null) => ({
    id,
    table: 'boards',
    scope_id: 'board:1',
    created_date: created,
    resolution_date: resolved,
    lead_time_minutes: leadTime,
  });
  await putRows(store, 'incidents', [
    incident('i1', day(3, 11), day(4, 10), 59),
    incident('i2', day(4, 9, 30), day(11, 9), 1_440),
    incident('i3', day(30, 1), day(30, 2), 5),
    incident('i4', day(-1), day(2, 0, 30), 10_079),
    incident('i5', day(20), null, null),
    incident('i6', day(21), day(21, 2), null),
    incident('i7', day(4, 9, 10), day(4, 9, 59, 59), 1_440),
  ]);
  const link = (id: string, deployment: string, project = 'shop') => ({
    id,
    project_name: project,
    deployment_id: deployment,
  });
  await putRows(store, 'project_incident_deployment_relationships', [
    link('i1', 'd2'),
    link('i2', 'd2'),
    link('i7', 'd2'),
    link('i3', 'd6'),
    link('i4', 'd0'),
    link('i5', 'd4', 'other'),
  ]);
}
