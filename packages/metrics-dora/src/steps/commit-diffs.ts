import type { LakeKysely, Store } from '@lake/sdk';
import type { StoreWriter } from '@lake/sdk/store';
import { CommitGraph } from '../commit-graph.js';
import { commitShasById, previousCommitShas, projectDeploymentCommits } from '../deployment-commit-rows.js';
import { projectScopeIds } from '../project-scopes.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { domainTableShape, FINISHED_PAIRS_SHAPE, FINISHED_PAIRS_TABLE } from '../tables.js';
import { chunks } from '../values.js';

/** A deployment's commit range: from its commit (new) back to its previous deployment's (old, '' if none). */
export interface CommitPair {
  newSha: string;
  oldSha: string;
}

/**
 * Step `commit-diffs`: for every deployment commit of the project (any result or environment),
 * the commits reachable from its commit but not from its previous successful deployment's,
 * written to `commits_diffs` with their 1-based `sorting_index`. A pair already in the
 * finished-pairs table is skipped. A pair is only recorded as finished when both of its ends
 * were in the project's commit graph, so that a range computed on incomplete history is
 * computed again once the history is there (DevLake records it anyway and never corrects it).
 */
export async function commitDiffsStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const pending = await pendingPairs(writer.db, projectName);
    if (pending.length === 0) return { written: { commits_diffs: 0, [FINISHED_PAIRS_TABLE]: 0 }, deleted: {} };
    const graph = await projectCommitGraph(writer.db, projectName);
    let diffRows = 0;
    const finished: Record<string, unknown>[] = [];
    for (const pair of pending) {
      diffRows += await writePair(writer, graph, pair);
      if (graph.has(pair.newSha) && (pair.oldSha === '' || graph.has(pair.oldSha)))
        finished.push({ new_commit_sha: pair.newSha, old_commit_sha: pair.oldSha });
    }
    await writer.upsert(FINISHED_PAIRS_SHAPE, finished);
    return { written: { commits_diffs: diffRows, [FINISHED_PAIRS_TABLE]: finished.length }, deleted: {} };
  });
}

/** Replaces the pair's rows (an unfinished pair may hold rows computed on a smaller graph). */
async function writePair(writer: StoreWriter, graph: CommitGraph, pair: CommitPair): Promise<number> {
  await writer.db
    .deleteFrom('commits_diffs')
    .where('new_commit_sha', '=', pair.newSha)
    .where('old_commit_sha', '=', pair.oldSha)
    .execute();
  const rows = graph.commitsBetween(pair.newSha, pair.oldSha).map((commitSha, position) => ({
    new_commit_sha: pair.newSha,
    old_commit_sha: pair.oldSha,
    commit_sha: commitSha,
    sorting_index: position + 1,
  }));
  await writer.upsert(domainTableShape('commits_diffs'), rows);
  return rows.length;
}

/** The project's distinct (new, old) pairs not yet in the finished-pairs table, sorted. */
export async function pendingPairs(db: LakeKysely, projectName: string): Promise<CommitPair[]> {
  const commits = await projectDeploymentCommits(db, await projectScopeIds(db, projectName, 'cicd_scopes'));
  const shasById = commitShasById(commits);
  const pairs = new Map<string, CommitPair>();
  for (const commit of commits) {
    for (const oldSha of previousCommitShas(commit, shasById))
      pairs.set(`${commit.commitSha}\u0000${oldSha}`, { newSha: commit.commitSha, oldSha });
  }
  for (const news of chunks([...new Set(commits.map((commit) => commit.commitSha))])) {
    const done = await db
      .selectFrom(FINISHED_PAIRS_TABLE)
      .select(['new_commit_sha', 'old_commit_sha'])
      .where('new_commit_sha', 'in', news)
      .execute();
    for (const row of done) pairs.delete(`${row.new_commit_sha}\u0000${row.old_commit_sha}`);
  }
  return [...pairs.entries()].sort(([left], [right]) => (left < right ? -1 : 1)).map(([, pair]) => pair);
}

/**
 * Every `commit_parents` edge whose child is a commit of a repo of the project. Parents are
 * kept in sha order (the table records no parent order), which fixes `sorting_index`.
 */
export async function projectCommitGraph(db: LakeKysely, projectName: string): Promise<CommitGraph> {
  const graph = new CommitGraph();
  const repoIds = await projectScopeIds(db, projectName, 'repos');
  for (const repos of chunks(repoIds)) {
    const edges = await db
      .selectFrom('commit_parents')
      .select(['commit_sha', 'parent_commit_sha'])
      .where('commit_sha', 'in', db.selectFrom('repo_commits').select('commit_sha').where('repo_id', 'in', repos))
      .orderBy('commit_sha')
      .orderBy('parent_commit_sha')
      .execute();
    for (const edge of edges) graph.addEdge(String(edge.commit_sha), String(edge.parent_commit_sha));
  }
  return graph;
}
