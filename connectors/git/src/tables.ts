import { column, commitFileId, defineToolTable, domainRecord, key, nullable, refId } from '@lake/sdk';
import { fitToLength } from './fit-length.js';
import type { GitTypes } from './settings.js';

const repoKey = key(column.varchar(255));
/** Length of DevLake's `varchar(255)` columns, and of `refs.id` (`varchar(500)`). */
export const VARCHAR_LENGTH = 255;
const REF_ID_LENGTH = 500;

/** The repository itself. */
export const reposTable = defineToolTable<GitTypes>()({
  entity: 'repos',
  columns: {
    repoId: repoKey,
    name: column.varchar(),
    remoteUrl: column.text(),
    defaultBranch: column.varchar(),
    headSha: column.varchar(40),
    firstCommitDate: nullable(column.datetime()),
    lastCommitDate: nullable(column.datetime()),
  },
  produces: ['repos'],
  *convert(row, context) {
    yield domainRecord('repos', {
      id: context.ids.of('GitRepo', String(row.repo_id)),
      name: String(row.name),
      url: row.remote_url,
      created_date: row.first_commit_date,
      updated_date: row.last_commit_date,
    });
  },
});

/**
 * Refs, keyed by the SHA-256 of their full name: git puts no limit on a ref name's length,
 * so the names themselves are text (migration 0002).
 */
export const refsTable = defineToolTable<GitTypes>()({
  entity: 'refs',
  columns: {
    repoId: repoKey,
    fullNameHash: key(column.varchar(64)),
    fullName: column.text(),
    name: column.text(),
    kind: column.varchar(20),
    commitSha: column.varchar(40),
    isDefault: column.bool(),
    refDate: nullable(column.datetime()),
  },
  produces: ['refs'],
  *convert(row, context) {
    const repoDomainId = context.ids.of('GitRepo', String(row.repo_id));
    // DevLake's refs.name is varchar(255) and refs.id (`<repos.id>:<name>`) varchar(500).
    const name = fitToLength(String(row.name), Math.min(VARCHAR_LENGTH, REF_ID_LENGTH - repoDomainId.length - 1));
    yield domainRecord('refs', {
      id: refId(repoDomainId, name),
      repo_id: repoDomainId,
      name,
      commit_sha: String(row.commit_sha),
      is_default: Boolean(row.is_default),
      ref_type: row.kind === 'tag' ? 'TAG' : 'BRANCH',
      created_date: row.ref_date,
    });
  },
});

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
    yield domainRecord('repo_commits', { repo_id: context.ids.of('GitRepo', String(row.repo_id)), commit_sha: sha });
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

/** Authors and committers, one row per e-mail address (lower-cased). */
export const accountsTable = defineToolTable<GitTypes>()({
  entity: 'accounts',
  columns: {
    email: key(column.varchar(255)),
    name: column.varchar(),
  },
  produces: ['accounts'],
  *convert(row, context) {
    // The id (`git:GitAccount:<connection>:<email>`) is varchar(255) too.
    const idLength = VARCHAR_LENGTH - context.ids.prefix('GitAccount').length;
    yield domainRecord('accounts', {
      id: context.ids.of('GitAccount', fitToLength(String(row.email), idLength)),
      email: String(row.email),
      full_name: row.name,
      user_name: row.name,
      status: 0,
    });
  },
});
