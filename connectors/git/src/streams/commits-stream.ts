import { createHash } from 'node:crypto';
import { type CollectContext, defineStream, type ExtractedRow, LakeError } from '@lake/sdk';
import { fitToLength } from '../fit-length.js';
import type { GitRepository } from '../git/git-repository.js';
import type { GitCommitRecord } from '../git/log-parser.js';
import { type GitTypes, repoDomainIdOf } from '../settings.js';
import { accountsTable } from '../tables/account-table.js';
import { commitFilesTable, commitParentsTable, commitsTable } from '../tables/commit-tables.js';
import { VARCHAR_LENGTH } from '../tables/table-columns.js';

/**
 * State of the commits stream: the ref tips already synced, and while a run is under way the
 * tips it is syncing up to (so a resumed run reads exactly the same history, even if refs
 * moved in between).
 */
export interface CommitsState {
  tips: string[];
  target?: string[];
  /** The domain id the synced commits went under (absent in states written before `repoId` existed: the default id). */
  repoDomainId?: string;
}

/**
 * Every commit reachable from any ref (what `git rev-list --all` counts), parents before
 * children. Incremental: a re-sync reads only commits not reachable from the tips synced last time.
 */
export const commitsStream = defineStream<GitTypes, CommitsState>({
  name: 'commits',
  description: 'Commits with line counts, their parents, changed files and authors',
  incremental: true,
  tables: [commitsTable, commitParentsTable, commitFilesTable, accountsTable],
  async *collect(context) {
    const repository = await context.client.repositoryOf(context.scope, context.scopeId);
    await repository.assertRepository();
    const repoDomainId = repoDomainIdOf(context);
    assertSameDomainId(context, repoDomainId);
    const previous = context.state?.tips ?? [];
    const resumed = await resumableTarget(repository, context);
    const target = resumed ?? (await repository.commitTips());
    if (!resumed) await context.checkpoint({ tips: previous, target, repoDomainId });
    yield* readCommits(repository, target, previous, context);
    await context.checkpoint({ tips: target, repoDomainId });
    if (!resumed) return;
    // A resumed run read the history as it was when the interrupted run started. The refs
    // may have moved since, and this sync's change marker already describes them as they
    // are now: read what they added as well, or the next sync would be skipped without it.
    const current = await repository.commitTips();
    if (sameTips(current, target)) return;
    await context.checkpoint({ tips: target, target: current, repoDomainId });
    yield* readCommits(repository, current, target, context);
    await context.checkpoint({ tips: current, repoDomainId });
  },
  extract(data, context) {
    const commit = data as GitCommitRecord;
    const repoId = context.scopeId;
    const rows: ExtractedRow[] = [
      {
        table: commitsTable,
        row: {
          repoId,
          sha: commit.sha,
          message: commit.message,
          authorName: fitToLength(commit.author.name, VARCHAR_LENGTH),
          authorEmail: emailKey(commit.author.email),
          authoredDate: commit.author.date,
          committerName: fitToLength(commit.committer.name, VARCHAR_LENGTH),
          committerEmail: emailKey(commit.committer.email),
          committedDate: commit.committer.date,
          additions: commit.files.reduce((sum, file) => sum + file.additions, 0),
          deletions: commit.files.reduce((sum, file) => sum + file.deletions, 0),
          fileCount: commit.files.length,
        },
      },
    ];
    commit.parents.forEach((parentSha, position) => {
      rows.push({ table: commitParentsTable, row: { repoId, sha: commit.sha, parentSha, position } });
    });
    for (const file of commit.files) {
      rows.push({
        table: commitFilesTable,
        row: {
          repoId,
          sha: commit.sha,
          pathHash: createHash('sha256').update(file.path).digest('hex'),
          path: file.path,
          oldPath: file.oldPath ?? '',
          additions: file.additions,
          deletions: file.deletions,
          binary: file.binary,
        },
      });
    }
    for (const person of [commit.author, commit.committer]) {
      if (person.email)
        rows.push({
          table: accountsTable,
          row: { email: emailKey(person.email), name: fitToLength(person.name, VARCHAR_LENGTH) },
        });
    }
    return rows;
  },
});

/**
 * An incremental run after the scope's `repoId` changed would add only the new commits under
 * the new id and leave the others, and repo_commits rows, under the old one. A full run
 * rewrites every commit under the new id, and its sweep removes the rows under the old one:
 * the sync says so and stops before writing anything.
 */
function assertSameDomainId(context: CollectContext<GitTypes, CommitsState>, repoDomainId: string): void {
  if (!context.state) return;
  const synced = context.state.repoDomainId ?? context.ids.of('GitRepo', context.scopeId);
  if (synced === repoDomainId) return;
  throw new LakeError(
    'CONFIG_INVALID',
    `the scope's repoId changed from ${synced} to ${repoDomainId}: run a full sync (lake sync --full) to move its rows to the new id and remove those under the old one`,
    { source: 'git', details: { previousRepoId: synced, repoId: repoDomainId } },
  );
}

/**
 * The target of an interrupted run, if it can still be read: after a history rewrite and
 * `git gc --prune=now` its tips may be gone, and `git log` would fail with "bad object" on
 * every later sync. Then the run is planned again from the current refs; what the
 * interrupted run committed stays (commits no ref reaches any more go at the next `--full`).
 */
async function resumableTarget(
  repository: GitRepository,
  context: CollectContext<GitTypes, CommitsState>,
): Promise<string[] | undefined> {
  const target = context.state?.target;
  if (!target) return undefined;
  const existing = new Set(await repository.existingCommits(target));
  const missing = target.filter((sha) => !existing.has(sha));
  if (missing.length === 0) return target;
  context.logger.warn(
    `the interrupted sync was reading up to ${missing.length} commit${missing.length === 1 ? '' : 's'} that no longer exist (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); reading from the current refs instead`,
  );
  return undefined;
}

/**
 * Yields the commits reachable from `target` and not from `synced`, then checks that their
 * number is what git counts: a commit the parser could not account for fails the sync (and
 * the state stays where it was) instead of going missing.
 */
async function* readCommits(
  repository: GitRepository,
  target: readonly string[],
  synced: readonly string[],
  context: CollectContext<GitTypes, CommitsState>,
): AsyncGenerator<{ data: GitCommitRecord }> {
  if (target.length === 0) return;
  // Tips synced before that git no longer has (garbage-collected) cannot be excluded.
  const exclude = await repository.existingCommits(synced);
  let read = 0;
  const commits = repository.commits(target, exclude, {
    withFiles: !context.scopeConfig.skipCommitFiles,
    signal: context.signal,
  });
  for await (const commit of commits) {
    read += 1;
    yield { data: commit };
  }
  const expected = await repository.countCommits(target, exclude, context.signal);
  if (read !== expected) {
    throw new LakeError(
      'STREAM_FAILED',
      `git log gave ${read} commits where git rev-list counts ${expected}; the sync stops before saving its progress`,
      { source: 'git', details: { read, expected } },
    );
  }
}

function sameTips(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((sha, index) => sha === right[index]);
}

/** Accounts are one per lower-cased e-mail address, kept to DevLake's varchar(255). */
function emailKey(email: string): string {
  return fitToLength(email.toLowerCase(), VARCHAR_LENGTH);
}
