import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { buildFullName } from '../job-path.js';
import { buildResult, deploymentOf, finishOf, stageOutcome } from '../mappings.js';
import type { JenkinsTypes } from '../settings.js';

/**
 * Builds, keyed by their job and number. `scope_job` is the scope they were synced for (a
 * multibranch pipeline's builds belong to its branch jobs). A build without Pipeline stages is
 * its own cicd_task, as in DevLake.
 */
export const buildsTable = defineToolTable<JenkinsTypes>()({
  entity: 'builds',
  columns: {
    jobFullName: key(column.varchar()),
    number: key(column.bigint()),
    scopeJob: column.varchar(),
    buildClass: column.varchar(),
    url: column.varchar(),
    result: column.varchar(40),
    building: column.bool(),
    startedAt: nullable(column.datetime()),
    startedMs: column.bigint(),
    durationMs: column.bigint(),
    displayName: column.varchar(),
    hasStages: column.bool(),
  },
  produces: ['cicd_pipelines', 'cicd_tasks'],
  *convert(row, context) {
    const name = buildFullName(row.job_full_name!, Number(row.number));
    const id = context.ids.of('JenkinsBuild', name);
    const result = buildResult(row.building, row.result);
    const status = row.building ? 'IN_PROGRESS' : 'DONE';
    const finished = finishOf(row.started_at, Number(row.duration_ms), !row.building);
    const run = {
      id,
      name,
      result,
      status,
      original_status: row.building ? 'BUILDING' : 'DONE',
      original_result: row.result,
      ...deploymentOf(name, context.scopeConfig),
      duration_sec: Math.floor(Number(row.duration_ms) / 1000),
      created_date: row.started_at ?? undefined,
      started_date: row.started_at,
      finished_date: finished,
      cicd_scope_id: context.ids.of('JenkinsJob', row.scope_job!),
    };
    yield domainRecord('cicd_pipelines', { ...run, display_title: row.display_name, url: row.url });
    if (!row.has_stages) yield domainRecord('cicd_tasks', { ...run, name: row.job_full_name, pipeline_id: id });
  },
});

/** Pipeline stages of a build, from `/wfapi/describe`. */
export const stagesTable = defineToolTable<JenkinsTypes>()({
  entity: 'build_stages',
  columns: {
    jobFullName: key(column.varchar()),
    buildNumber: key(column.bigint()),
    stageId: key(column.varchar(100)),
    scopeJob: column.varchar(),
    name: column.varchar(),
    status: column.varchar(40),
    startedAt: nullable(column.datetime()),
    durationMs: column.bigint(),
  },
  produces: ['cicd_tasks'],
  *convert(row, context) {
    const build = buildFullName(row.job_full_name!, Number(row.build_number));
    const outcome = stageOutcome(row.status);
    yield domainRecord('cicd_tasks', {
      id: context.ids.of('JenkinsStage', build, row.stage_id!),
      name: row.name,
      pipeline_id: context.ids.of('JenkinsBuild', build),
      ...outcome,
      original_status: row.status,
      original_result: row.status,
      ...deploymentOf(row.name ?? '', context.scopeConfig),
      duration_sec: Math.floor(Number(row.duration_ms) / 1000),
      created_date: row.started_at ?? undefined,
      started_date: row.started_at,
      finished_date: finishOf(row.started_at, Number(row.duration_ms), outcome.status === 'DONE'),
      cicd_scope_id: context.ids.of('JenkinsJob', row.scope_job!),
    });
  },
});

/** The revision a build built of each repository it checked out (Git plugin's BuildData). */
export const buildCommitsTable = defineToolTable<JenkinsTypes>()({
  entity: 'build_commits',
  columns: {
    jobFullName: key(column.varchar()),
    buildNumber: key(column.bigint()),
    commitSha: key(column.varchar(40)),
    scopeJob: column.varchar(),
    repoUrl: column.varchar(500),
    branch: column.varchar(),
    commitMsg: column.text(),
    buildUrl: column.varchar(),
  },
  produces: ['cicd_pipeline_commits'],
  *convert(row, context) {
    const build = buildFullName(row.job_full_name!, Number(row.build_number));
    yield domainRecord('cicd_pipeline_commits', {
      pipeline_id: context.ids.of('JenkinsBuild', build),
      commit_sha: row.commit_sha!,
      commit_msg: row.commit_msg,
      display_title: build,
      url: row.build_url,
      branch: row.branch,
      repo_url: row.repo_url,
    });
  },
});
