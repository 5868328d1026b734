import { column, commitRecord, defineToolTable, domainRecord, key } from '@lake/sdk';
import type { GitlabTypes } from '../settings.js';

/** Commits of the default branch, as the repository API lists them. */
export const commitsTable = defineToolTable<GitlabTypes>()({
  entity: 'commits',
  columns: {
    projectId: key(column.bigint()),
    sha: { ...key(column.varchar(40)), source: '/id' },
    message: column.text(),
    authorName: { ...column.varchar(), source: '/author_name' },
    authorEmail: { ...column.varchar(), source: '/author_email' },
    authoredDate: { ...column.datetime(), source: '/authored_date' },
    committerName: { ...column.varchar(), source: '/committer_name' },
    committerEmail: { ...column.varchar(), source: '/committer_email' },
    committedDate: { ...column.datetime(), source: '/committed_date' },
  },
  produces: ['commits', 'repo_commits'],
  *convert(row, context) {
    const sha = String(row.sha);
    // As DevLake's GitLab connector: author_id is the e-mail, not an accounts.id.
    yield commitRecord({ ...row, sha });
    yield domainRecord('repo_commits', { repo_id: context.ids.of('GitlabProject', row.project_id!), commit_sha: sha });
  },
});

/**
 * Each commit's parents (`parent_ids`, in order): the history the metrics walk to find which
 * commits, and so which merge requests, a deployment shipped (a merge request whose merge commit
 * was deployed together with later ones, not on its own, is found through them).
 */
export const commitParentsTable = defineToolTable<GitlabTypes>()({
  entity: 'commit_parents',
  columns: {
    projectId: key(column.bigint()),
    sha: key(column.varchar(40)),
    parentSha: key(column.varchar(40)),
    position: column.bigint(),
  },
  produces: ['commit_parents'],
  *convert(row) {
    yield domainRecord('commit_parents', { commit_sha: String(row.sha), parent_commit_sha: String(row.parent_sha) });
  },
});
