import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import {
  asDate,
  cicdResult,
  cicdStatus,
  deploymentOutcome,
  environmentOf,
  isFinished,
  secondsBetween,
} from '../mappings.js';
import type { GitlabTypes } from '../settings.js';

/**
 * Pipelines as the listing gives them. The listing has no start or end: a finished pipeline ends
 * at its last update, and its jobs (cicd_tasks) carry the exact times. Not asking each
 * pipeline's detail halves the requests to the pipelines API, which GitLab limits on its own.
 */
export const pipelinesTable = defineToolTable<GitlabTypes>()({
  entity: 'pipelines',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    projectId: { ...column.bigint(), source: '/project_id' },
    iid: column.bigint(),
    ref: column.varchar(),
    sha: column.varchar(40),
    status: column.varchar(40),
    source: column.varchar(40),
    webUrl: { ...column.varchar(), source: '/web_url' },
    projectWebUrl: column.varchar(),
    pipelineCreatedAt: { ...column.datetime(), source: '/created_at' },
    pipelineUpdatedAt: { ...column.datetime(), source: '/updated_at' },
  },
  produces: ['cicd_pipelines', 'cicd_pipeline_commits'],
  *convert(row, context) {
    const config = context.scopeConfig;
    const id = context.ids.of('GitlabPipeline', row.gitlab_id!);
    const projectId = context.ids.of('GitlabProject', row.project_id!);
    const ref = row.ref ?? '';
    const created = asDate(row.pipeline_created_at);
    const finished = isFinished(row.status) ? asDate(row.pipeline_updated_at) : null;
    const deployment = new RegExp(config.deploymentPattern, 'i').test(ref);
    yield domainRecord('cicd_pipelines', {
      id,
      name: ref,
      display_title: `${ref} #${row.iid ?? row.gitlab_id}`,
      url: row.web_url,
      result: cicdResult(row.status),
      status: cicdStatus(row.status),
      original_status: row.status,
      original_result: row.status,
      type: deployment ? 'DEPLOYMENT' : '',
      duration_sec: secondsBetween(created, finished) ?? 0,
      environment: deployment && new RegExp(config.productionPattern, 'i').test(ref) ? 'PRODUCTION' : '',
      created_date: created ?? undefined,
      queued_date: created,
      started_date: created,
      finished_date: finished,
      cicd_scope_id: projectId,
    });
    yield domainRecord('cicd_pipeline_commits', {
      pipeline_id: id,
      commit_sha: row.sha ?? '',
      display_title: `${ref} #${row.iid ?? row.gitlab_id}`,
      url: row.web_url,
      branch: ref,
      repo_id: projectId,
      repo_url: row.project_web_url,
    });
  },
});

export const jobsTable = defineToolTable<GitlabTypes>()({
  entity: 'jobs',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    projectId: column.bigint(),
    pipelineId: { ...column.bigint(), source: '/pipeline/id' },
    name: column.varchar(),
    stage: column.varchar(),
    status: column.varchar(40),
    ref: column.varchar(),
    webUrl: { ...column.varchar(), source: '/web_url' },
    jobCreatedAt: { ...nullable(column.datetime()), source: '/created_at' },
    startedAt: { ...nullable(column.datetime()), source: '/started_at' },
    finishedAt: { ...nullable(column.datetime()), source: '/finished_at' },
  },
  produces: ['cicd_tasks'],
  *convert(row, context) {
    const config = context.scopeConfig;
    const name = row.name ?? '';
    const deployment = new RegExp(config.deploymentPattern, 'i').test(name);
    const created = row.job_created_at ?? row.started_at;
    yield domainRecord('cicd_tasks', {
      id: context.ids.of('GitlabJob', row.gitlab_id!),
      name,
      pipeline_id: context.ids.of('GitlabPipeline', row.pipeline_id!),
      result: cicdResult(row.status),
      status: cicdStatus(row.status),
      original_status: row.status,
      original_result: row.status,
      type: deployment ? 'DEPLOYMENT' : '',
      environment: deployment && new RegExp(config.productionPattern, 'i').test(name) ? 'PRODUCTION' : '',
      duration_sec: secondsBetween(row.started_at, row.finished_at) ?? 0,
      queued_duration_sec: secondsBetween(created, row.started_at),
      created_date: created ?? undefined,
      queued_date: created,
      started_date: row.started_at,
      finished_date: row.finished_at,
      cicd_scope_id: context.ids.of('GitlabProject', row.project_id!),
    });
  },
});

/** Deployments of the project's environments, with the job that ran each. */
export const deploymentsTable = defineToolTable<GitlabTypes>()({
  entity: 'deployments',
  columns: {
    projectId: key(column.bigint()),
    deploymentId: { ...key(column.bigint()), source: '/id' },
    iid: column.bigint(),
    ref: column.varchar(),
    sha: column.varchar(40),
    status: column.varchar(40),
    // Added by a later migration: nullable, as a column added to rows already stored must be.
    environmentId: { ...nullable(column.bigint()), source: '/environment/id' },
    environmentName: { ...column.varchar(), source: '/environment/name' },
    // Joined from the environments listing (a deployment's environment has no tier).
    environmentTier: { ...column.varchar(40), source: '/environment/tier' },
    deployableName: { ...column.varchar(), source: '/deployable/name' },
    deployableUrl: { ...column.varchar(), source: '/deployable/web_url' },
    commitTitle: { ...column.text(), source: '/deployable/commit/title' },
    projectWebUrl: column.varchar(),
    deploymentCreatedAt: { ...column.datetime(), source: '/created_at' },
    deploymentUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    startedAt: { ...nullable(column.datetime()), source: '/deployable/started_at' },
    finishedAt: { ...nullable(column.datetime()), source: '/deployable/finished_at' },
  },
  produces: ['cicd_deployments', 'cicd_deployment_commits'],
  *convert(row, context) {
    const id = context.ids.of('GitlabDeployment', row.project_id!, row.deployment_id!);
    const projectId = context.ids.of('GitlabProject', row.project_id!);
    const outcome = deploymentOutcome(row.status);
    const environment = row.environment_name ?? '';
    const created = asDate(row.deployment_created_at);
    const started = asDate(row.started_at) ?? created;
    const finished = outcome.status === 'DONE' ? (asDate(row.finished_at) ?? asDate(row.deployment_updated_at)) : null;
    const common = {
      id,
      cicd_scope_id: projectId,
      name: `${environment}:${row.deployment_id}`,
      display_title: row.commit_title,
      url: row.deployable_url,
      result: outcome.result,
      status: outcome.status,
      original_status: row.status,
      original_result: row.status,
      environment: environmentOf(environment, row.environment_tier ?? '', context.scopeConfig.envNamePattern),
      original_environment: environment,
      created_date: created ?? undefined,
      queued_date: created,
      started_date: started,
      finished_date: finished,
      duration_sec: secondsBetween(started, finished),
      queued_duration_sec: secondsBetween(created, started),
      subtask_name: 'gitlab.convertDeployments',
    };
    yield domainRecord('cicd_deployments', common);
    yield domainRecord('cicd_deployment_commits', {
      ...common,
      cicd_deployment_id: id,
      commit_sha: row.sha ?? '',
      commit_msg: row.commit_title,
      ref_name: row.ref,
      repo_id: projectId,
      repo_url: row.project_web_url ?? '',
    });
  },
});

/**
 * The project's environments (`/environments`): what a deployment's own `environment` lacks, its
 * tier. No domain table of their own; deployments are joined to them by the environment's id.
 */
export const environmentsTable = defineToolTable<GitlabTypes>()({
  entity: 'environments',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    name: column.varchar(),
    slug: column.varchar(),
    externalUrl: { ...column.varchar(), source: '/external_url' },
    state: column.varchar(40),
    tier: column.varchar(40),
    environmentCreatedAt: { ...nullable(column.datetime()), source: '/created_at' },
    environmentUpdatedAt: { ...nullable(column.datetime()), source: '/updated_at' },
  },
});
