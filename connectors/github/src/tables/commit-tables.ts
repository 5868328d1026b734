import { column, defineToolTable, domainRecord, key } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';

/** Commits of the default branch, as the commits API lists them (without line counts: the git connector has those). */
export const commitsTable = defineToolTable<GithubTypes>()({
  entity: 'commits',
  columns: {
    repoId: key(column.bigint()),
    sha: key(column.varchar(40)),
    message: { ...column.text(), source: '/commit/message' },
    authorName: { ...column.varchar(), source: '/commit/author/name' },
    authorEmail: { ...column.varchar(), source: '/commit/author/email' },
    authoredDate: { ...column.datetime(), source: '/commit/author/date' },
    authorLogin: { ...column.varchar(), source: '/author/login' },
    committerName: { ...column.varchar(), source: '/commit/committer/name' },
    committerEmail: { ...column.varchar(), source: '/commit/committer/email' },
    committedAt: { ...column.datetime(), source: '/commit/committer/date' },
  },
  produces: ['commits', 'repo_commits'],
  *convert(row, context) {
    const sha = String(row.sha);
    yield domainRecord('commits', {
      sha,
      message: row.message,
      author_name: row.author_name,
      author_email: row.author_email,
      authored_date: row.authored_date,
      // As DevLake's GitHub connector: the e-mail, not an accounts.id.
      author_id: row.author_email,
      committer_name: row.committer_name,
      committer_email: row.committer_email,
      committed_date: row.committed_at,
      committer_id: row.committer_email,
    });
    yield domainRecord('repo_commits', { repo_id: context.ids.of('GithubRepo', row.repo_id!), commit_sha: sha });
  },
});
