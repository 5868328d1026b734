import { column, commitFileId, defineToolTable, domainRecord, key } from '@lake/sdk';
import { type GitTypes, repoDomainIdOf } from '../settings.js';
import { repoKey } from './table-columns.js';

export const commitsTable = defineToolTable<GitTypes>()({
  entity: 'commits',
  columns: {
    repoId: repoKey,
    sha: key(column.varchar(40)),
    message: column.text(),
    authorName: column.varchar(),
    authorEmail: column.varchar(),
    authoredDate: column.datetime(),
    committerName: column.varchar(),
    committerEmail: column.varchar(),
    committedDate: column.datetime(),
    additions: column.bigint(),
    deletions: column.bigint(),
    fileCount: column.bigint(),
  },
  produces: ['commits', 'repo_commits'],
  *convert(row, context) {
    const sha = String(row.sha);
    yield domainRecord('commits', {
      sha,
      additions: row.additions,
      deletions: row.deletions,
      message: row.message,
      author_name: row.author_name,
      author_email: row.author_email,
      authored_date: row.authored_date,
      // DevLake's git extractor puts the e-mail here, not an accounts.id.
      author_id: row.author_email,
      committer_name: row.committer_name,
      committer_email: row.committer_email,
      committed_date: row.committed_date,
      committer_id: row.committer_email,
    });
    yield domainRecord('repo_commits', { repo_id: repoDomainIdOf(context), commit_sha: sha });
  },
});

export const commitParentsTable = defineToolTable<GitTypes>()({
  entity: 'commit_parents',
  columns: {
    repoId: repoKey,
    sha: key(column.varchar(40)),
    parentSha: key(column.varchar(40)),
    position: column.bigint(),
  },
  produces: ['commit_parents'],
  *convert(row) {
    yield domainRecord('commit_parents', { commit_sha: String(row.sha), parent_commit_sha: String(row.parent_sha) });
  },
});

export const commitFilesTable = defineToolTable<GitTypes>()({
  entity: 'commit_files',
  columns: {
    repoId: repoKey,
    sha: key(column.varchar(40)),
    pathHash: key(column.varchar(64)),
    path: column.text(),
    oldPath: column.text(),
    additions: column.bigint(),
    deletions: column.bigint(),
    binary: column.bool(),
  },
  produces: ['commit_files'],
  *convert(row) {
    yield domainRecord('commit_files', {
      id: commitFileId(String(row.sha), String(row.path)),
      commit_sha: String(row.sha),
      file_path: String(row.path),
      additions: row.additions,
      deletions: row.deletions,
    });
  },
});
