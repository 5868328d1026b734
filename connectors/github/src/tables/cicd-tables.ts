import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { asDate, cicdResult, cicdStatus, deploymentOutcome, environmentOf, secondsBetween } from '../mappings.js';
import type { GithubTypes } from '../settings.js';

export const runsTable = defineToolTable<GithubTypes>()({
  entity: 'runs',
  columns: {
    repoId: key(column.bigint()),
    githubId: { ...key(column.bigint()), source: '/id' },
    name: column.varchar(),
    displayTitle: { ...column.text(), source: '/display_title' },
    workflowId: { ...column.bigint(), source: '/workflow_id' },
    runNumber: { ...column.bigint(), source: '/run_number' },
    runAttempt: { ...column.bigint(), source: '/run_attempt' },
    event: column.varchar(40),
    status: column.varchar(40),
    conclusion: column.varchar(40),
    headBranch: { ...column.varchar(), source: '/head_branch' },
    headSha: { ...column.varchar(40), source: '/head_sha' },
    headCommitMessage: { ...column.text(), source: '/head_commit/message' },
    htmlUrl: { ...column.varchar(), source: '/html_url' },
    repoHtmlUrl: { ...column.varchar(), source: '/repository/html_url' },
    runCreatedAt: { ...column.datetime(), source: '/created_at' },
    runUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    runStartedAt: { ...nullable(column.datetime()), source: '/run_started_at' },
  },
  produces: ['cicd_pipelines', 'cicd_pipeline_commits'],
  *convert(row, context) {
    const config = context.scopeConfig;
    const name = row.name ?? '';
    const id = context.ids.of('GithubRun', row.repo_id!, row.github_id!);
    const repoId = context.ids.of('GithubRepo', row.repo_id!);
    const done = row.status === 'completed';
    const created = asDate(row.run_created_at);
    const started = asDate(row.run_started_at) ?? created;
    const finished = done ? asDate(row.run_updated_at) : null;
    const deployment = new RegExp(config.deploymentPattern, 'i').test(name);
    yield domainRecord('cicd_pipelines', {
      id,
      name,
      display_title: row.display_title,
      url: row.html_url,
      result: cicdResult(row.conclusion),
      status: cicdStatus(row.status),
      original_status: row.status,
      original_result: row.conclusion,
      type: deployment ? 'DEPLOYMENT' : '',
      duration_sec: secondsBetween(started, finished) ?? 0,
      queued_duration_sec: secondsBetween(created, started),
      environment: deployment && new RegExp(config.productionPattern, 'i').test(name) ? 'PRODUCTION' : '',
      created_date: created ?? undefined,
      queued_date: created,
      started_date: started,
      finished_date: finished,
      cicd_scope_id: repoId,
    });
    yield domainRecord('cicd_pipeline_commits', {
      pipeline_id: id,
      commit_sha: row.head_sha ?? '',
      commit_msg: row.head_commit_message,
      display_title: row.display_title,
      url: row.html_url,
      branch: row.head_branch,
      repo_id: repoId,
      repo_url: row.repo_html_url,
    });
  },
});

export const jobsTable = defineToolTable<GithubTypes>()({
  entity: 'jobs',
  columns: {
    repoId: key(column.bigint()),
    githubId: { ...key(column.bigint()), source: '/id' },
    runId: { ...column.bigint(), source: '/run_id' },
    name: column.varchar(),
    status: column.varchar(40),
    conclusion: column.varchar(40),
    headSha: { ...column.varchar(40), source: '/head_sha' },
    htmlUrl: { ...column.varchar(), source: '/html_url' },
    runnerName: { ...column.varchar(), source: '/runner_name' },
    jobCreatedAt: { ...nullable(column.datetime()), source: '/created_at' },
    jobStartedAt: { ...nullable(column.datetime()), source: '/started_at' },
    jobCompletedAt: { ...nullable(column.datetime()), source: '/completed_at' },
  },
  produces: ['cicd_tasks'],
  *convert(row, context) {
    const config = context.scopeConfig;
    const name = row.name ?? '';
    const deployment = new RegExp(config.deploymentPattern, 'i').test(name);
    const created = row.job_created_at ?? row.job_started_at;
    yield domainRecord('cicd_tasks', {
      id: context.ids.of('GithubJob', row.repo_id!, row.github_id!),
      name,
      pipeline_id: context.ids.of('GithubRun', row.repo_id!, row.run_id!),
      result: cicdResult(row.conclusion),
      status: cicdStatus(row.status),
      original_status: row.status,
      original_result: row.conclusion,
      type: deployment ? 'DEPLOYMENT' : '',
      environment: deployment && new RegExp(config.productionPattern, 'i').test(name) ? 'PRODUCTION' : '',
      duration_sec: secondsBetween(row.job_started_at, row.job_completed_at) ?? 0,
      queued_duration_sec: secondsBetween(created, row.job_started_at),
      created_date: created ?? undefined,
      queued_date: created,
      started_date: row.job_started_at,
      finished_date: row.job_completed_at,
      cicd_scope_id: context.ids.of('GithubRepo', row.repo_id!),
    });
  },
});

/** A deployment and its latest status, collected together. */
export const deploymentsTable = defineToolTable<GithubTypes>()({
  entity: 'deployments',
  columns: {
    repoId: key(column.bigint()),
    githubId: { ...key(column.bigint()), source: '/deployment/id' },
    nodeId: { ...column.varchar(), source: '/deployment/node_id' },
    sha: { ...column.varchar(40), source: '/deployment/sha' },
    ref: { ...column.varchar(), source: '/deployment/ref' },
    task: { ...column.varchar(), source: '/deployment/task' },
    environment: { ...column.varchar(), source: '/deployment/environment' },
    description: { ...column.text(), source: '/deployment/description' },
    repoHtmlUrl: column.varchar(),
    deploymentCreatedAt: { ...column.datetime(), source: '/deployment/created_at' },
    latestState: { ...column.varchar(40), source: '/status/state' },
    latestStatusUrl: { ...column.varchar(), source: '/status/target_url' },
    latestStatusAt: { ...nullable(column.datetime()), source: '/status/created_at' },
  },
  produces: ['cicd_deployments', 'cicd_deployment_commits'],
  *convert(row, context) {
    // From the numeric id, which every answer carries: deployments without `node_id` would all share one id.
    const id = context.ids.of('GithubDeployment', row.github_id!);
    const repoId = context.ids.of('GithubRepo', row.repo_id!);
    const outcome = deploymentOutcome(row.latest_state);
    const environment = row.environment ?? '';
    const created = asDate(row.deployment_created_at);
    const finished = outcome.status === 'DONE' ? asDate(row.latest_status_at) : null;
    const common = {
      id,
      cicd_scope_id: repoId,
      name: `${environment}:${(row.sha ?? '').slice(0, 7)}`,
      display_title: row.description,
      url: row.latest_status_url,
      result: outcome.result,
      status: outcome.status,
      original_status: row.latest_state,
      original_result: row.latest_state,
      environment: environmentOf(environment, context.scopeConfig.productionPattern),
      original_environment: environment,
      created_date: created ?? undefined,
      queued_date: created,
      started_date: created,
      finished_date: finished,
      duration_sec: secondsBetween(created, finished),
      subtask_name: 'github.convertDeployments',
    };
    yield domainRecord('cicd_deployments', common);
    yield domainRecord('cicd_deployment_commits', {
      ...common,
      cicd_deployment_id: id,
      commit_sha: row.sha ?? '',
      ref_name: row.ref,
      repo_id: repoId,
      repo_url: row.repo_html_url,
    });
  },
});
