import type { Store } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { provenanceOf, type WebhookIds } from '../domain-ids.js';
import { commitsOf, type DeploymentPayload, environmentOf } from './deployment-payload.js';

/** `subtask_name` of the rows the receiver writes: the DORA metric rebuilds only rows it wrote itself. */
export const DEPLOYMENT_SUBTASK = 'webhook.receiveDeployment';

export interface WriteOutcome {
  id: string;
  /** False when a row with this id already existed: the POST replaced it (a retry, or a correction). */
  created: boolean;
}

/** The deployment's row and one commit row per repository, as the domain tables take them. */
function deploymentRows(ids: WebhookIds, deployment: DeploymentPayload, received: Date) {
  const id = ids.deployment(deployment.id);
  const status = deployment.finishedDate ? 'DONE' : 'IN_PROGRESS';
  const durationSec = deployment.finishedDate
    ? (deployment.finishedDate.getTime() - deployment.startedDate.getTime()) / 1000
    : null;
  const provenance = provenanceOf(ids.connectionId, received);
  const common = {
    cicd_scope_id: ids.scope,
    result: deployment.result,
    status,
    original_status: status,
    original_result: deployment.result,
    environment: environmentOf(deployment.environment),
    original_environment: deployment.environment,
    created_date: deployment.createdDate ?? deployment.startedDate,
    queued_date: null,
    started_date: deployment.startedDate,
    finished_date: deployment.finishedDate ?? null,
    duration_sec: durationSec,
    queued_duration_sec: null,
    subtask_name: DEPLOYMENT_SUBTASK,
  };
  const name = deployment.name ?? `deployment ${deployment.id}`;
  const commitRows = commitsOf(deployment).map((commit) => ({
    ...provenance,
    ...common,
    id: ids.deploymentCommit(deployment.id, commit.repoUrl),
    cicd_deployment_id: id,
    name: commit.name ?? name,
    display_title: commit.displayTitle ?? deployment.displayTitle ?? '',
    url: commit.url ?? deployment.url ?? '',
    commit_sha: commit.commitSha,
    commit_msg: commit.commitMsg ?? '',
    ref_name: commit.refName ?? '',
    repo_id: '',
    repo_url: commit.repoUrl,
    prev_success_deployment_commit_id: '',
  }));
  const deploymentRow = {
    ...provenance,
    ...common,
    id,
    name,
    display_title: deployment.displayTitle ?? '',
    url: deployment.url ?? '',
  };
  return { id, deploymentRow, commitRows };
}

/**
 * Writes one deployment and its commits in one transaction: a `cicd_deployments` row and one
 * `cicd_deployment_commits` row per repository, all keyed by the caller's id. Posting the same id
 * again replaces them, and drops commit rows (repository, sha) the new body no longer lists.
 */
export async function writeDeployment(
  store: Store,
  ids: WebhookIds,
  deployment: DeploymentPayload,
  received: Date,
): Promise<WriteOutcome> {
  const { id, deploymentRow, commitRows } = deploymentRows(ids, deployment, received);
  return store.transaction(async (writer) => {
    // As DevLake's webhook: a repository the lake knows by this URL lends its id to the row.
    const repos = await writer.db
      .selectFrom('repos')
      .select(['id', 'url'])
      .where(
        'url',
        'in',
        commitRows.map((row) => row.repo_url),
      )
      .execute();
    const repoIds = new Map(repos.map((repo) => [String(repo.url), String(repo.id)]));
    for (const row of commitRows) row.repo_id = repoIds.get(row.repo_url) ?? '';
    const existing = await writer.db
      .selectFrom('cicd_deployments')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    await writer.upsert(domainShape('cicd_deployments'), [deploymentRow]);
    // The table's key is (id, commit_sha): a corrected sha is a new row, so the rows this body no
    // longer lists are deleted by their full key (row locks only, no range locks to deadlock on).
    const previous = await writer.db
      .selectFrom('cicd_deployment_commits')
      .select(['id', 'commit_sha'])
      .where('cicd_deployment_id', '=', id)
      .execute();
    const kept = new Set(commitRows.map((row) => `${row.id}\n${row.commit_sha}`));
    for (const row of previous) {
      if (kept.has(`${row.id}\n${row.commit_sha}`)) continue;
      await writer.db
        .deleteFrom('cicd_deployment_commits')
        .where('id', '=', row.id)
        .where('commit_sha', '=', row.commit_sha)
        .execute();
    }
    await writer.upsert(domainShape('cicd_deployment_commits'), commitRows);
    return { id, created: existing === undefined };
  });
}
