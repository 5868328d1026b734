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
