import { createHash } from 'node:crypto';
import { defineStream, type ExtractedRow } from '@lake/sdk';
import type { GitCommitRecord } from '../git/log-parser.js';
import type { GitTypes } from '../settings.js';
import { accountsTable, commitFilesTable, commitParentsTable, commitsTable } from '../tables.js';

/**
 * State of the commits stream: the ref tips already synced, and while a run is under way the
 * tips it is syncing up to (so a resumed run reads exactly the same history, even if refs
 * moved in between).
 */
export interface CommitsState {
  tips: string[];
  target?: string[];
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
    const repository = context.client.open(context.scopeId);
    await repository.assertRepository();
    const previous = context.state?.tips ?? [];
    let target = context.state?.target;
    if (!target) {
      target = await repository.commitTips();
      await context.checkpoint({ tips: previous, target });
    }
    const exclude = await repository.existingCommits(previous);
    if (target.length > 0) {
      const commits = repository.commits(target, exclude, {
        withFiles: !context.scopeConfig.skipCommitFiles,
        signal: context.signal,
      });
      for await (const commit of commits) yield { data: commit };
    }
    await context.checkpoint({ tips: target });
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
          authorName: commit.author.name,
          authorEmail: commit.author.email.toLowerCase(),
          authoredDate: commit.author.date,
          committerName: commit.committer.name,
          committerEmail: commit.committer.email.toLowerCase(),
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
        rows.push({ table: accountsTable, row: { email: person.email.toLowerCase(), name: person.name } });
    }
    return rows;
  },
});
