import type { Store } from '@lake/sdk';
import { putRows } from './lake-rows.js';

/** Midnight UTC, Monday 5 January 2026, plus days, hours, minutes and seconds. */
export function at(days: number, hours = 0, minutes = 0, seconds = 0): Date {
  return new Date(Date.UTC(2026, 0, 5 + days, hours, minutes, seconds));
}

export const SHOP_REPO_URL = 'https://git.example.org/shop.git';
export const dc = (pipeline: string) => `${pipeline}:${SHOP_REPO_URL}`;

/**
 * Project `shop`: repo `repo:1`, cicd scope `scope:1`, board `board:1`. Project `other`:
 * `repo:2`, `scope:2`, `board:2`.
 *
 * Commit graph of repo:1 (child ← parent):
 *
 *   c1 ← c2 ← c3 ← c5 ← c6 ← c7
 *         ↖ c4 ↙            (c5 merges c3 and c4; c4 branches from c2)
 */
export async function writeProjects(store: Store): Promise<void> {
  await putRows(store, 'projects', [{ name: 'shop' }, { name: 'other' }]);
  await putRows(store, 'project_mapping', [
    { project_name: 'shop', table: 'repos', row_id: 'repo:1' },
    { project_name: 'shop', table: 'cicd_scopes', row_id: 'scope:1' },
    { project_name: 'shop', table: 'boards', row_id: 'board:1' },
    { project_name: 'other', table: 'repos', row_id: 'repo:2' },
    { project_name: 'other', table: 'cicd_scopes', row_id: 'scope:2' },
    { project_name: 'other', table: 'boards', row_id: 'board:2' },
  ]);
}

export const EDGES: [string, string][] = [
  ['c2', 'c1'],
  ['c3', 'c2'],
  ['c4', 'c2'],
  ['c5', 'c3'],
  ['c5', 'c4'],
  ['c6', 'c5'],
  ['c7', 'c6'],
];

export async function writeCommitGraph(store: Store, edges = EDGES): Promise<void> {
  const shas = [...new Set(edges.flat())];
  await putRows(
    store,
    'commits',
    shas.map((sha) => ({ sha, message: `commit ${sha}` })),
  );
  await putRows(
    store,
    'repo_commits',
    shas.map((sha) => ({ repo_id: 'repo:1', commit_sha: sha })),
  );
  await putRows(
    store,
    'commit_parents',
    edges.map(([commit_sha, parent_commit_sha]) => ({ commit_sha, parent_commit_sha })),
  );
}

const pipeline = (id: string, fields: Record<string, unknown>) => ({
  id,
  cicd_scope_id: 'scope:1',
  name: `deploy ${id}`,
  display_title: `title ${id}`,
  url: `https://ci.example.org/${id}`,
  status: 'DONE',
  original_status: 'completed',
  original_result: 'ok',
  duration_sec: 600,
  created_date: at(0),
  _raw_data_table: '_raw_ci_runs',
  _raw_data_params: '{"scope":1}',
  _raw_data_id: Number(id.slice(1)),
  _raw_data_remark: '',
  ...fields,
});

/**
 * p1 first production deployment of c2; p2 a build pipeline whose DEPLOYMENT task makes it a
 * production deployment of the merge c5 (no start date: derived from the duration); p3 a
 * failed production deployment of c6; p4 production deployment of c7; p5 a staging deployment
 * of c6 (environment from its task); p6 not a deployment (no deployment task); p7 skipped;
 * p8 a deployment without commits whose only PRODUCTION task was skipped; p9 another project's.
 */
export async function writePipelines(store: Store): Promise<void> {
  await putRows(store, 'cicd_pipelines', [
    pipeline('p1', {
      type: 'DEPLOYMENT',
      result: 'SUCCESS',
      environment: 'PRODUCTION',
      started_date: at(1, 9, 50),
      finished_date: at(1, 10),
    }),
    pipeline('p2', { type: 'BUILD', result: 'SUCCESS', environment: '', finished_date: at(3, 12) }),
    pipeline('p3', {
      type: 'DEPLOYMENT',
      result: 'FAILURE',
      environment: 'PRODUCTION',
      started_date: at(4, 0),
      finished_date: at(4, 0, 5),
    }),
    pipeline('p4', {
      type: 'DEPLOYMENT',
      result: 'SUCCESS',
      environment: 'PRODUCTION',
      started_date: at(5, 7, 30),
      finished_date: at(5, 8),
    }),
    pipeline('p5', {
      type: 'BUILD',
      result: 'SUCCESS',
      environment: '',
      started_date: at(4, 11),
      finished_date: at(4, 12),
    }),
    pipeline('p6', { type: 'BUILD', result: 'SUCCESS', environment: '', finished_date: at(4, 13) }),
    pipeline('p7', { type: 'DEPLOYMENT', result: 'SKIPPED', environment: 'PRODUCTION', finished_date: at(4, 14) }),
    pipeline('p8', { type: 'BUILD', result: 'FAILURE', environment: '', finished_date: null, duration_sec: 0 }),
    pipeline('p9', {
      type: 'DEPLOYMENT',
      result: 'SUCCESS',
      environment: 'PRODUCTION',
      cicd_scope_id: 'scope:2',
      finished_date: at(2),
    }),
  ]);
  const task = (id: string, pipeline_id: string, type: string, result: string, environment: string) => ({
    id,
    pipeline_id,
    type,
    result,
    environment,
    cicd_scope_id: 'scope:1',
  });
  await putRows(store, 'cicd_tasks', [
    task('t2a', 'p2', 'DEPLOYMENT', 'SUCCESS', ''),
    task('t2b', 'p2', 'TEST', 'SUCCESS', 'STAGING'),
    task('t2c', 'p2', 'BUILD', 'FAILURE', 'PRODUCTION'),
    task('t5a', 'p5', 'DEPLOYMENT', 'SUCCESS', 'STAGING'),
    task('t5b', 'p5', 'TEST', 'SUCCESS', 'TESTING'),
    task('t6a', 'p6', 'TEST', 'SUCCESS', 'PRODUCTION'),
    task('t8a', 'p8', 'DEPLOYMENT', 'FAILURE', ''),
    task('t8b', 'p8', 'TEST', 'SKIPPED', 'PRODUCTION'),
  ]);
  const commit = (pipeline_id: string, commit_sha: string) => ({
    pipeline_id,
    commit_sha,
    commit_msg: 'message not copied',
    display_title: `build of ${commit_sha}`,
    url: `https://ci.example.org/${pipeline_id}/${commit_sha}`,
    branch: 'main',
    repo_id: 'repo:1',
    repo_url: SHOP_REPO_URL,
    _raw_data_table: '_raw_ci_commits',
    _raw_data_params: '{"scope":1}',
    _raw_data_id: 100 + Number(pipeline_id.slice(1)),
    _raw_data_remark: '',
  });
  await putRows(store, 'cicd_pipeline_commits', [
    commit('p1', 'c2'),
    commit('p2', 'c5'),
    commit('p3', 'c6'),
    commit('p4', 'c7'),
    commit('p5', 'c6'),
    commit('p6', 'c7'),
    commit('p9', 'c7'),
  ]);
}

/**
 * pr1 merges c3 (deployed by p2, which has a previous deployment); pr2 merges c6 after p2
 * (deployed by p4); pr3 merges c2, which only the first deployment p1 shipped; pr4 lacks its
 * created date and its merge commit is not in the graph; pr5 is not merged; pr6 belongs to
 * the other project; pr7 merges c7 after p4, which deployed it, had already finished.
 */
export async function writePullRequests(store: Store): Promise<void> {
  const pr = (id: string, fields: Record<string, unknown>) => ({
    id,
    base_repo_id: 'repo:1',
    status: 'MERGED',
    title: `pull request ${id}`,
    author_id: 'u:alice',
    ...fields,
  });
  await putRows(store, 'pull_requests', [
    pr('pr1', { merge_commit_sha: 'c3', created_date: at(0, 10), merged_date: at(2, 10) }),
    pr('pr2', { merge_commit_sha: 'c6', created_date: at(3, 13), merged_date: at(4, 9) }),
    pr('pr3', { merge_commit_sha: 'c2', author_id: '', created_date: at(0, 8), merged_date: at(1, 9) }),
    pr('pr4', { merge_commit_sha: 'zz', created_date: null, merged_date: at(4) }),
    pr('pr5', { merge_commit_sha: '', status: 'OPEN', created_date: at(1), merged_date: null }),
    pr('pr6', { merge_commit_sha: 'c7', base_repo_id: 'repo:2', created_date: at(1), merged_date: at(2) }),
    pr('pr7', { merge_commit_sha: 'c7', created_date: at(5, 8, 30), merged_date: at(5, 9) }),
  ]);
  const commit = (pull_request_id: string, commit_sha: string, commit_authored_date: Date) => ({
    pull_request_id,
    commit_sha,
    commit_authored_date,
  });
  await putRows(store, 'pull_request_commits', [
    commit('pr1', 'x2', at(-1, 9)),
    commit('pr1', 'x1', at(-1, 8, 0, 30)),
    commit('pr3', 'y1', at(0, 8, 30)),
    commit('pr4', 'w1', at(3)),
    commit('pr6', 'v1', at(0)),
  ]);
  const comment = (id: string, pull_request_id: string, account_id: string, created_date: Date) => ({
    id,
    pull_request_id,
    account_id,
    created_date,
    type: 'NORMAL',
    body: `comment ${id}`,
  });
  await putRows(store, 'pull_request_comments', [
    comment('cm1', 'pr1', 'u:alice', at(0, 11)),
    comment('cm2', 'pr1', 'u:bob', at(0, 12, 0, 20)),
    comment('cm3', 'pr1', 'u:carol', at(1)),
    comment('cm4', 'pr2', 'u:alice', at(3, 14)),
    comment('cm5', 'pr3', 'u:carol', at(0, 7, 59, 30)),
    comment('cm6', 'pr4', 'u:bob', at(3, 12)),
  ]);
}

/**
 * On board:1: i1 after p2, before p4; i2 before any production deployment; i3 after p4 (also
 * on a board of no project, with assignees); i4 a bug; i5 without a created date; i7 at the
 * very instant p4 finished. i6 is on the other project's board.
 */
export async function writeIssues(store: Store): Promise<void> {
  const issue = (id: string, fields: Record<string, unknown>) => ({
    id,
    url: `https://tracker.example.org/${id}`,
    issue_key: `KEY-${id}`,
    title: `issue ${id}`,
    description: `what broke in ${id}`,
    type: 'INCIDENT',
    original_type: 'Incident',
    status: 'DONE',
    original_status: 'Closed',
    lead_time_minutes: 120,
    creator_id: 'u:ops',
    creator_name: 'Ops',
    assignee_id: '',
    assignee_name: '',
    parent_issue_id: 'parent-1',
    priority: 'P1',
    severity: 'high',
    urgency: 'now',
    component: 'checkout',
    original_project: 'SHOP',
    _raw_data_table: '_raw_tracker_issues',
    _raw_data_params: '{"board":1}',
    _raw_data_id: Number(id.slice(1)),
    _raw_data_remark: 'from tracker',
    ...fields,
  });
  await putRows(store, 'issues', [
    issue('i1', { created_date: at(3, 13), resolution_date: at(3, 15), updated_date: at(3, 15) }),
    issue('i2', { created_date: at(1, 9), resolution_date: null, status: 'TODO' }),
    issue('i3', { created_date: at(6), resolution_date: at(6, 1), assignee_id: 'u:dan', assignee_name: 'Dan' }),
    issue('i4', { type: 'BUG', created_date: at(6) }),
    issue('i5', { created_date: null }),
    issue('i6', { created_date: at(6) }),
    issue('i7', { created_date: at(5, 8), resolution_date: at(5, 9) }),
  ]);
  await putRows(store, 'board_issues', [
    { board_id: 'board:1', issue_id: 'i1' },
    { board_id: 'board:1', issue_id: 'i2' },
    { board_id: 'board:1', issue_id: 'i3' },
    { board_id: 'board:9', issue_id: 'i3' },
    { board_id: 'board:1', issue_id: 'i4' },
    { board_id: 'board:1', issue_id: 'i5' },
    { board_id: 'board:2', issue_id: 'i6' },
    { board_id: 'board:1', issue_id: 'i7' },
  ]);
  await putRows(store, 'issue_assignees', [
    { issue_id: 'i3', assignee_id: 'u:erin', assignee_name: 'Erin' },
    { issue_id: 'i3', assignee_id: 'u:dan', assignee_name: 'Dan' },
  ]);
}

export async function writeShopHistory(store: Store): Promise<void> {
  await writeProjects(store);
  await writeCommitGraph(store);
  await writePipelines(store);
  await writePullRequests(store);
  await writeIssues(store);
}
