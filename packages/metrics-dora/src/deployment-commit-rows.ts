import type { LakeKysely } from '@lake/sdk';
import { chunks, dateOf, textOf } from './values.js';

/** The fields of a `cicd_deployment_commits` row the later steps use. */
export interface DeploymentCommit {
  id: string;
  commitSha: string;
  cicdScopeId: string;
  cicdDeploymentId: string;
  repoUrl: string;
  environment: string;
  result: string;
  startedDate: Date | null;
  finishedDate: Date | null;
  previousId: string;
  remark: string;
}

/** Every deployment-commit row of the project's cicd scopes, whoever wrote it, sorted by id and commit sha. */
export async function projectDeploymentCommits(
  db: LakeKysely,
  scopeIds: readonly string[],
): Promise<DeploymentCommit[]> {
  const commits: DeploymentCommit[] = [];
  for (const scopes of chunks(scopeIds)) {
    const rows = await db
      .selectFrom('cicd_deployment_commits')
      .select([
        'id',
        'commit_sha',
        'cicd_scope_id',
        'cicd_deployment_id',
        'repo_url',
        'environment',
        'result',
        'started_date',
        'finished_date',
        'prev_success_deployment_commit_id',
        '_raw_data_remark',
      ])
      .where('cicd_scope_id', 'in', scopes)
      .execute();
    for (const row of rows) commits.push(deploymentCommitOf(row));
  }
  return commits.sort((left, right) =>
    left.id === right.id ? (left.commitSha < right.commitSha ? -1 : 1) : left.id < right.id ? -1 : 1,
  );
}

function deploymentCommitOf(row: Record<string, unknown>): DeploymentCommit {
  return {
    id: String(row.id),
    commitSha: String(row.commit_sha),
    cicdScopeId: textOf(row.cicd_scope_id),
    cicdDeploymentId: textOf(row.cicd_deployment_id),
    repoUrl: textOf(row.repo_url),
    environment: textOf(row.environment),
    result: textOf(row.result),
    startedDate: dateOf(row.started_date),
    finishedDate: dateOf(row.finished_date),
    // NULL (another writer's row) stays distinguishable from '' only where DevLake distinguishes it: nowhere downstream.
    previousId: textOf(row.prev_success_deployment_commit_id),
    remark: textOf(row._raw_data_remark),
  };
}

/** The `commit_sha`s of the rows with each id (a pipeline listing two shas of one repo URL gives one id two rows). */
export function commitShasById(commits: readonly DeploymentCommit[]): Map<string, string[]> {
  const shas = new Map<string, string[]>();
  for (const commit of commits) {
    const list = shas.get(commit.id);
    if (list) list.push(commit.commitSha);
    else shas.set(commit.id, [commit.commitSha]);
  }
  return shas;
}

/**
 * The old sides of a deployment commit's range: the commit shas of the row(s) its previous id
 * names, or [''] when it names none (no previous deployment, or a row that no longer exists).
 */
export function previousCommitShas(commit: DeploymentCommit, shasById: ReadonlyMap<string, string[]>): string[] {
  if (commit.previousId === '') return [''];
  return shasById.get(commit.previousId) ?? [''];
}
