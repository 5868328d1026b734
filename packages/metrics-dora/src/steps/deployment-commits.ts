import type { Store } from '@lake/sdk';
import { type DeploymentPipeline, deploymentPipelines } from '../deployment-pipelines.js';
import { deleteGeneratedRows } from '../generated-rows.js';
import { projectScopeIds } from '../project-scopes.js';
import { rawOriginOf } from '../provenance.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { domainTableShape } from '../tables.js';
import { chunks, dateOf, textOf } from '../values.js';

export const DEPLOYMENT_COMMITS_SUBTASK = 'dora.generateDeploymentCommits';

/**
 * Step `deployment-commits`: one `cicd_deployment_commits` row per `cicd_pipeline_commits` row
 * of a deployment pipeline, id `<pipeline id>:<repo url>`. A missing `started_date` is the
 * finish minus the duration in whole seconds. Rebuilds the rows this step wrote for the
 * project's cicd scopes.
 */
export async function deploymentCommitsStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const scopeIds = await projectScopeIds(writer.db, projectName, 'cicd_scopes');
    const deleted = await deleteGeneratedRows(
      writer.db,
      'cicd_deployment_commits',
      DEPLOYMENT_COMMITS_SUBTASK,
      scopeIds,
    );
    const pipelines = new Map((await deploymentPipelines(writer.db, scopeIds)).map((entry) => [entry.id, entry]));
    const now = new Date();
    const rows: Record<string, unknown>[] = [];
    for (const ids of chunks([...pipelines.keys()])) {
      const commits = await writer.db
        .selectFrom('cicd_pipeline_commits')
        .selectAll()
        .where('pipeline_id', 'in', ids)
        .orderBy('pipeline_id')
        .orderBy('commit_sha')
        .execute();
      for (const commit of commits) {
        rows.push({
          ...deploymentCommitRow(pipelines.get(String(commit.pipeline_id))!, commit),
          created_at: now,
          updated_at: now,
        });
      }
    }
    await writer.upsert(domainTableShape('cicd_deployment_commits'), rows);
    return { written: { cicd_deployment_commits: rows.length }, deleted: { cicd_deployment_commits: deleted } };
  });
}

function deploymentCommitRow(pipeline: DeploymentPipeline, commit: Record<string, unknown>): Record<string, unknown> {
  const { row } = pipeline;
  return {
    id: `${pipeline.id}:${textOf(commit.repo_url)}`,
    commit_sha: commit.commit_sha,
    ...rawOriginOf(commit),
    cicd_scope_id: row.cicd_scope_id,
    cicd_deployment_id: pipeline.id,
    name: row.name,
    display_title: commit.display_title,
    url: commit.url,
    result: row.result,
    status: row.status,
    original_status: row.original_status,
    original_result: row.original_result,
    environment: pipeline.environment,
    original_environment: '',
    created_date: row.created_date,
    queued_date: null,
    started_date: startedDate(row),
    finished_date: row.finished_date,
    duration_sec: row.duration_sec,
    queued_duration_sec: row.queued_duration_sec,
    commit_msg: '',
    ref_name: commit.branch,
    repo_id: commit.repo_id,
    repo_url: commit.repo_url,
    prev_success_deployment_commit_id: '',
    subtask_name: DEPLOYMENT_COMMITS_SUBTASK,
  };
}

/** The pipeline's start, or its finish minus its duration (whole seconds, truncated) when the start is missing. */
function startedDate(pipeline: Record<string, unknown>): Date | null {
  const started = dateOf(pipeline.started_date);
  if (started) return started;
  const finished = dateOf(pipeline.finished_date);
  const duration =
    pipeline.duration_sec === null || pipeline.duration_sec === undefined ? Number.NaN : Number(pipeline.duration_sec);
  if (!finished || !Number.isFinite(duration)) return null;
  return new Date(finished.getTime() - Math.trunc(duration) * 1000);
}
