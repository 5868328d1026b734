import type { Store } from '@lake/sdk';
import { testDialects } from '@lake/sdk/testing';
import { describe, expect, it } from 'vitest';
import { runMetrics } from '../src/index.js';
import { int, iso, rowsOf } from './support/lake-rows.js';
import { useScratchLake } from './support/scratch-lake.js';
import { at, dc, SHOP_REPO_URL, writeShopHistory } from './support/shop-history.js';

const isoAt = (...parts: Parameters<typeof at>) => at(...parts).toISOString();

describe.each(testDialects())('the DORA steps on %s', (dialect) => {
  const lake = useScratchLake(dialect);

  it('turns deployment pipelines into deployments, with inferred environments', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const rows = await lake.store.db.selectFrom('cicd_deployments').selectAll().orderBy('id').execute();
    expect(
      rows.map((row) => ({
        id: row.id,
        scope: row.cicd_scope_id,
        name: row.name,
        result: row.result,
        environment: row.environment,
        original_environment: row.original_environment,
        started: iso(row.started_date),
        finished: iso(row.finished_date),
        subtask: row.subtask_name,
        raw: [row._raw_data_table, row._raw_data_params, int(row._raw_data_id)],
      })),
    ).toEqual([
      deployment('p1', 'SUCCESS', 'PRODUCTION', isoAt(1, 9, 50), isoAt(1, 10)),
      // Its start is not derived here (only deployment commits derive it).
      deployment('p2', 'SUCCESS', 'PRODUCTION', null, isoAt(3, 12)),
      deployment('p3', 'FAILURE', 'PRODUCTION', isoAt(4, 0), isoAt(4, 0, 5)),
      deployment('p4', 'SUCCESS', 'PRODUCTION', isoAt(5, 7, 30), isoAt(5, 8)),
      deployment('p5', 'SUCCESS', 'STAGING', isoAt(4, 11), isoAt(4, 12)),
      deployment('p8', 'FAILURE', '', null, null),
    ]);
  });

  it('writes one deployment commit per pipeline commit and chains successful ones per environment', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const rows = await lake.store.db.selectFrom('cicd_deployment_commits').selectAll().orderBy('id').execute();
    expect(
      rows.map((row) => ({
        id: row.id,
        sha: row.commit_sha,
        deployment: row.cicd_deployment_id,
        environment: row.environment,
        started: iso(row.started_date),
        queued: iso(row.queued_date),
        previous: row.prev_success_deployment_commit_id,
        title: row.display_title,
        commit_msg: row.commit_msg,
        ref: row.ref_name,
        repo: [row.repo_id, row.repo_url],
        remark: row._raw_data_remark,
        raw_id: int(row._raw_data_id),
      })),
    ).toEqual([
      deploymentCommit('p1', 'c2', 'PRODUCTION', isoAt(1, 9, 50), '', true),
      // Finished 12:00 after 600 s: started 11:50.
      deploymentCommit('p2', 'c5', 'PRODUCTION', isoAt(3, 11, 50), dc('p1'), true),
      // Failed: never chained, never anyone's previous.
      deploymentCommit('p3', 'c6', 'PRODUCTION', isoAt(4, 0), '', false),
      deploymentCommit('p4', 'c7', 'PRODUCTION', isoAt(5, 7, 30), dc('p2'), true),
      // The first of the staging chain.
      deploymentCommit('p5', 'c6', 'STAGING', isoAt(4, 11), '', true),
    ]);
  });

  it('writes each deployment range through the merge, in depth-first order', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const rows = await lake.store.db
      .selectFrom('commits_diffs')
      .select(['new_commit_sha', 'old_commit_sha', 'commit_sha', 'sorting_index'])
      .orderBy('new_commit_sha')
      .orderBy('old_commit_sha')
      .orderBy('sorting_index')
      .execute();
    const ranges: Record<string, string[]> = {};
    for (const row of rows) {
      const key = `${row.new_commit_sha}..${row.old_commit_sha}`;
      ranges[key] = [...(ranges[key] ?? []), `${int(row.sorting_index)}:${row.commit_sha}`];
    }
    expect(ranges).toEqual({
      // p1, first of its chain: all of c2's history.
      'c2..': ['1:c2', '2:c1'],
      // p2 (after p1): the merge, both of its sides, nothing from c2 down.
      'c5..c2': ['1:c5', '2:c3', '3:c4'],
      // p3 (failed) and p5 (first staging): the whole history, the side branch last.
      'c6..': ['1:c6', '2:c5', '3:c3', '4:c2', '5:c1', '6:c4'],
      // p4 (after p2; p3 failed).
      'c7..c5': ['1:c7', '2:c6'],
    });
    const finished = await lake.store.db
      .selectFrom('_tool_refdiff_finished_commits_diffs')
      .selectAll()
      .orderBy('new_commit_sha')
      .execute();
    expect(finished.map((row) => `${row.new_commit_sha}..${row.old_commit_sha}`)).toEqual([
      'c2..',
      'c5..c2',
      'c6..',
      'c7..c5',
    ]);
  });

  it('measures every pull-request span of project_pr_metrics', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const rows = await lake.store.db.selectFrom('project_pr_metrics').selectAll().orderBy('id').execute();
    expect(rows.map(metricsOf)).toEqual(SHOP_PR_METRICS);
  });

  it('turns the project board incidents into incidents and links each to the deployment before it', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const incidents = await lake.store.db.selectFrom('incidents').selectAll().orderBy('id').execute();
    expect(incidents.map((row) => row.id)).toEqual(['i1', 'i2', 'i3', 'i5', 'i7']);
    const i3 = incidents.find((row) => row.id === 'i3')!;
    expect({
      ...i3,
      created_at: undefined,
      updated_at: undefined,
      created_date: iso(i3.created_date),
      resolution_date: iso(i3.resolution_date),
      updated_date: iso(i3.updated_date),
      lead_time_minutes: int(i3.lead_time_minutes),
      original_estimate_minutes: int(i3.original_estimate_minutes),
      time_spent_minutes: int(i3.time_spent_minutes),
      time_remaining_minutes: int(i3.time_remaining_minutes),
      _raw_data_id: int(i3._raw_data_id),
    }).toEqual(SHOP_INCIDENT_I3);
    const assignees = await lake.store.db
      .selectFrom('incident_assignees')
      .select(['incident_id', 'assignee_id', 'assignee_name'])
      .orderBy('incident_id')
      .orderBy('assignee_id')
      .execute();
    expect(assignees.map((row) => `${row.incident_id}/${row.assignee_id}/${row.assignee_name}`)).toEqual([
      'i1//',
      'i2//',
      'i3/u:dan/Dan',
      'i3/u:erin/Erin',
      'i5//',
      'i7//',
    ]);
    const links = await lake.store.db
      .selectFrom('project_incident_deployment_relationships')
      .select(['id', 'project_name', 'deployment_id', '_raw_data_table'])
      .orderBy('id')
      .execute();
    expect(links).toEqual([
      // Created an hour after p2 finished; p3 failed later, p5 is staging.
      { id: 'i1', project_name: 'shop', deployment_id: 'p2', _raw_data_table: '_raw_tracker_issues' },
      // i2 came before any production deployment finished; i5 has no created date.
      { id: 'i3', project_name: 'shop', deployment_id: 'p4', _raw_data_table: '_raw_tracker_issues' },
      // Created the instant p4 finished: only deployments finished strictly before count.
      { id: 'i7', project_name: 'shop', deployment_id: 'p2', _raw_data_table: '_raw_tracker_issues' },
    ]);
  });

  it('gives the same rows when run again, and leaves the other project alone', async () => {
    await writeShopHistory(lake.store);
    const first = await runMetrics(lake.store, { projectName: 'shop' });
    const before = await snapshot(lake.store);
    const second = await runMetrics(lake.store, { projectName: 'shop' });
    expect(await snapshot(lake.store)).toEqual(before);
    expect(second.find((report) => report.step === 'commit-diffs')!.written).toEqual({
      commits_diffs: 0,
      _tool_refdiff_finished_commits_diffs: 0,
    });
    expect(first.find((report) => report.step === 'change-lead-time')!.written.project_pr_metrics).toBe(5);
    expect(second.find((report) => report.step === 'change-lead-time')!.deleted.project_pr_metrics).toBe(5);
    expect(before.deployments.map((row) => row.id)).not.toContain('p9');
  });
});

const EMPTY_ORIGIN = { _raw_data_params: '', _raw_data_table: '', _raw_data_id: 0, _raw_data_remark: '' };

/** Incident i3 as the incidents step must copy it from its issue. */
const SHOP_INCIDENT_I3 = {
  id: 'i3',
  url: 'https://tracker.example.org/i3',
  incident_key: 'KEY-i3',
  title: 'issue i3',
  description: 'what broke in i3',
  status: 'DONE',
  original_status: 'Closed',
  resolution_date: isoAt(6, 1),
  created_date: isoAt(6),
  updated_date: null,
  lead_time_minutes: 120,
  original_estimate_minutes: null,
  time_spent_minutes: null,
  time_remaining_minutes: null,
  creator_id: 'u:ops',
  creator_name: 'Ops',
  parent_incident_id: 'parent-1',
  priority: 'P1',
  severity: 'high',
  urgency: 'now',
  component: 'checkout',
  original_project: 'SHOP',
  // On board:1 and on board:9, which belongs to no project.
  table: 'boards',
  scope_id: 'board:1',
  assignee_id: 'u:dan',
  assignee_name: 'Dan',
  created_at: undefined,
  updated_at: undefined,
  _raw_data_table: '_raw_tracker_issues',
  _raw_data_params: '{"board":1}',
  _raw_data_id: 3,
  _raw_data_remark: 'from tracker',
};

/** The shop's project_pr_metrics rows, worked out by hand from test/support/shop-history.ts. */
const SHOP_PR_METRICS = [
  {
    id: 'pr1',
    project_name: 'shop',
    first_commit_sha: 'x1',
    // 1 day 2 h minus 30 s → 1,559.5 minutes, rounded up.
    pr_coding_time: 1560,
    // cm1 is the author's own; cm2 came 2 h 20 s after creation.
    first_review_id: 'cm2',
    pr_pickup_time: 121,
    // 46 h minus 20 s.
    pr_review_time: 2760,
    deployment_commit_id: dc('p2'),
    // merged day 2 10:00, deployed day 3 12:00.
    pr_deploy_time: 1560,
    // coding + created→merged (48 h) + deploy.
    pr_cycle_time: 1560 + 2880 + 1560,
    first_commit_authored_date: isoAt(-1, 8, 0, 30),
    first_comment_date: isoAt(0, 12, 0, 20),
    pr_created_date: isoAt(0, 10),
    pr_merged_date: isoAt(2, 10),
    pr_deployed_date: isoAt(3, 12),
    ...EMPTY_ORIGIN,
  },
  {
    id: 'pr2',
    project_name: 'shop',
    first_commit_sha: '',
    pr_coding_time: null,
    first_review_id: '',
    pr_pickup_time: null,
    pr_review_time: null,
    deployment_commit_id: dc('p4'),
    pr_deploy_time: 23 * 60,
    pr_cycle_time: 20 * 60 + 23 * 60,
    first_commit_authored_date: null,
    first_comment_date: null,
    pr_created_date: isoAt(3, 13),
    pr_merged_date: isoAt(4, 9),
    pr_deployed_date: isoAt(5, 8),
    ...EMPTY_ORIGIN,
  },
  {
    id: 'pr3',
    project_name: 'shop',
    first_commit_sha: 'y1',
    // The commit was authored half an hour after the PR was opened: negative, so NULL.
    pr_coding_time: null,
    // No author: any comment counts, and one 30 s before creation rounds up to 0.
    first_review_id: 'cm5',
    pr_pickup_time: 0,
    pr_review_time: 25 * 60 + 1,
    // c2 was only ever shipped by p1, the first of its chain.
    deployment_commit_id: '',
    pr_deploy_time: null,
    pr_cycle_time: 25 * 60,
    first_commit_authored_date: isoAt(0, 8, 30),
    first_comment_date: isoAt(0, 7, 59, 30),
    pr_created_date: isoAt(0, 8),
    pr_merged_date: isoAt(1, 9),
    pr_deployed_date: null,
    ...EMPTY_ORIGIN,
  },
  {
    id: 'pr4',
    project_name: 'shop',
    first_commit_sha: 'w1',
    pr_coding_time: null,
    first_review_id: 'cm6',
    pr_pickup_time: null,
    pr_review_time: 12 * 60,
    deployment_commit_id: '',
    pr_deploy_time: null,
    pr_cycle_time: 0,
    first_commit_authored_date: isoAt(3),
    first_comment_date: isoAt(3, 12),
    pr_created_date: null,
    pr_merged_date: isoAt(4),
    pr_deployed_date: null,
    ...EMPTY_ORIGIN,
  },
  {
    id: 'pr7',
    project_name: 'shop',
    first_commit_sha: '',
    pr_coding_time: null,
    first_review_id: '',
    pr_pickup_time: null,
    pr_review_time: null,
    // p4 shipped c7 but finished an hour before the merge: the span is NULL, the ids stay.
    deployment_commit_id: dc('p4'),
    pr_deploy_time: null,
    pr_cycle_time: 30,
    first_commit_authored_date: null,
    first_comment_date: null,
    pr_created_date: isoAt(5, 8, 30),
    pr_merged_date: isoAt(5, 9),
    pr_deployed_date: isoAt(5, 8),
    ...EMPTY_ORIGIN,
  },
];

function metricsOf(row: Record<string, unknown>): Record<string, unknown> {
  const times = [
    'pr_coding_time',
    'pr_pickup_time',
    'pr_review_time',
    'pr_deploy_time',
    'pr_cycle_time',
    '_raw_data_id',
  ];
  const dates = [
    'first_commit_authored_date',
    'first_comment_date',
    'pr_created_date',
    'pr_merged_date',
    'pr_deployed_date',
  ];
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === 'created_at' || name === 'updated_at') continue;
    result[name] = times.includes(name) ? int(value) : dates.includes(name) ? iso(value) : value;
  }
  return result;
}

function deployment(id: string, result: string, environment: string, started: string | null, finished: string | null) {
  return {
    id,
    scope: 'scope:1',
    name: `deploy ${id}`,
    result,
    environment,
    original_environment: '',
    started,
    finished,
    subtask: 'dora.generateDeployments',
    raw: ['_raw_ci_runs', '{"scope":1}', Number(id.slice(1))],
  };
}

function deploymentCommit(
  pipeline: string,
  sha: string,
  environment: string,
  started: string,
  previous: string,
  chained: boolean,
) {
  return {
    id: dc(pipeline),
    sha,
    deployment: pipeline,
    environment,
    started,
    queued: null,
    previous,
    title: `build of ${sha}`,
    commit_msg: '',
    ref: 'main',
    repo: ['repo:1', SHOP_REPO_URL],
    remark: chained ? 'prev_deployment_commit_id_enricher,' : '',
    raw_id: 100 + Number(pipeline.slice(1)),
  };
}

async function snapshot(store: Store) {
  return {
    deployments: await rowsOf(store, 'cicd_deployments', ['id']),
    deploymentCommits: await rowsOf(store, 'cicd_deployment_commits', ['id', 'commit_sha']),
    diffs: await rowsOf(store, 'commits_diffs', ['new_commit_sha', 'old_commit_sha', 'commit_sha']),
    finished: await rowsOf(store, '_tool_refdiff_finished_commits_diffs', ['new_commit_sha', 'old_commit_sha']),
    metrics: await rowsOf(store, 'project_pr_metrics', ['id', 'project_name']),
    incidents: await rowsOf(store, 'incidents', ['id']),
    assignees: await rowsOf(store, 'incident_assignees', ['incident_id', 'assignee_id']),
    links: await rowsOf(store, 'project_incident_deployment_relationships', ['id', 'project_name']),
  };
}
