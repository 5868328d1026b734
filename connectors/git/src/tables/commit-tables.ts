import { column, commitFileId, commitRecord, defineToolTable, domainRecord, key } from '@lake/sdk';
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
    // As DevLake's git extractor: author_id is the e-mail, not an accounts.id.
    yield commitRecord({ ...row, sha });
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
