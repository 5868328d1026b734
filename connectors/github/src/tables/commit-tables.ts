import { column, commitRecord, defineToolTable, domainRecord, key } from '@lake/sdk';
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
    // As DevLake's GitHub connector: author_id is the e-mail, not an accounts.id.
    yield commitRecord({ ...row, sha, committed_date: row.committed_at });
    yield domainRecord('repo_commits', { repo_id: context.ids.of('GithubRepo', row.repo_id!), commit_sha: sha });
  },
});
