import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { asDate, labelValue } from '../mappings.js';
import type { GithubTypes } from '../settings.js';

export const pullRequestsTable = defineToolTable<GithubTypes>()({
  entity: 'pull_requests',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    repoId: column.bigint(),
    number: column.bigint(),
    title: column.text(),
    body: column.text(),
    state: column.varchar(20),
    draft: column.bool(),
    htmlUrl: { ...column.varchar(), source: '/html_url' },
    authorId: { ...column.bigint(), source: '/user/id' },
    authorLogin: { ...column.varchar(), source: '/user/login' },
    labels: column.json(),
    headRef: { ...column.varchar(), source: '/head/ref' },
    headSha: { ...column.varchar(40), source: '/head/sha' },
    headRepoId: { ...column.bigint(), source: '/head/repo/id' },
    baseRef: { ...column.varchar(), source: '/base/ref' },
    baseSha: { ...column.varchar(40), source: '/base/sha' },
    baseRepoId: { ...column.bigint(), source: '/base/repo/id' },
    mergeCommitSha: { ...column.varchar(40), source: '/merge_commit_sha' },
    prCreatedAt: { ...column.datetime(), source: '/created_at' },
    prUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    closedAt: { ...nullable(column.datetime()), source: '/closed_at' },
    mergedAt: { ...nullable(column.datetime()), source: '/merged_at' },
  },
  produces: ['pull_requests'],
  *convert(row, context) {
    const labels = Array.isArray(row.labels) ? (row.labels as string[]) : [];
    const merged = asDate(row.merged_at) !== null;
    yield domainRecord('pull_requests', {
      id: context.ids.of('GithubPullRequest', row.github_id!),
      base_repo_id: context.ids.of('GithubRepo', row.base_repo_id ?? row.repo_id!),
      head_repo_id: row.head_repo_id ? context.ids.of('GithubRepo', row.head_repo_id) : '',
      // DevLake: merged beats closed.
      status: merged ? 'MERGED' : row.state === 'closed' ? 'CLOSED' : 'OPEN',
      original_status: String(row.state),
      title: row.title,
      description: row.body,
      url: String(row.html_url),
      author_name: row.author_login,
      author_id: row.author_id ? context.ids.of('GithubAccount', row.author_id) : '',
      pull_request_key: row.number,
      created_date: row.pr_created_at,
      merged_date: row.merged_at,
      closed_date: row.closed_at,
      type: labelValue(labels, context.scopeConfig.prType),
      component: labelValue(labels, context.scopeConfig.prComponent),
      merge_commit_sha: row.merge_commit_sha,
      head_ref: row.head_ref,
      base_ref: row.base_ref,
      base_commit_sha: row.base_sha,
      head_commit_sha: row.head_sha,
      is_draft: Boolean(row.draft),
    });
  },
});

export const pullRequestLabelsTable = defineToolTable<GithubTypes>()({
  entity: 'pull_request_labels',
  columns: { pullRequestId: key(column.bigint()), labelName: { ...key(column.varchar()), source: '/name' } },
  produces: ['pull_request_labels'],
  *convert(row, context) {
    yield domainRecord('pull_request_labels', {
      pull_request_id: context.ids.of('GithubPullRequest', row.pull_request_id!),
      label_name: String(row.label_name),
    });
  },
});

export const pullRequestCommitsTable = defineToolTable<GithubTypes>()({
  entity: 'pull_request_commits',
  columns: {
    pullRequestId: key(column.bigint()),
    sha: key(column.varchar(40)),
    message: { ...column.text(), source: '/commit/message' },
    authorName: { ...column.varchar(), source: '/commit/author/name' },
    authorEmail: { ...column.varchar(), source: '/commit/author/email' },
    authoredDate: { ...column.datetime(), source: '/commit/author/date' },
  },
  produces: ['pull_request_commits'],
  *convert(row, context) {
    yield domainRecord('pull_request_commits', {
      pull_request_id: context.ids.of('GithubPullRequest', row.pull_request_id!),
      commit_sha: String(row.sha),
      commit_author_name: row.author_name,
      commit_author_email: row.author_email,
      commit_authored_date: row.authored_date,
    });
  },
});

export const reviewsTable = defineToolTable<GithubTypes>()({
  entity: 'reviews',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    pullRequestId: column.bigint(),
    body: column.text(),
    state: column.varchar(40),
    commitSha: { ...column.varchar(40), source: '/commit_id' },
    authorId: { ...column.bigint(), source: '/user/id' },
    authorLogin: { ...column.varchar(), source: '/user/login' },
    submittedAt: { ...nullable(column.datetime()), source: '/submitted_at' },
  },
  produces: ['pull_request_comments', 'pull_request_reviewers'],
  *convert(row, context) {
    const pullRequestId = context.ids.of('GithubPullRequest', row.pull_request_id!);
    const account = row.author_id ? context.ids.of('GithubAccount', row.author_id) : '';
    yield domainRecord('pull_request_comments', {
      id: context.ids.of('GithubPrReview', row.github_id!),
      pull_request_id: pullRequestId,
      body: row.body,
      account_id: account,
      created_date: row.submitted_at,
      commit_sha: row.commit_sha,
      type: 'REVIEW',
      review_id: String(row.github_id),
      status: row.state,
    });
    if (account) {
      yield domainRecord('pull_request_reviewers', {
        pull_request_id: pullRequestId,
        reviewer_id: account,
        name: row.author_login,
        user_name: row.author_login,
      });
    }
  },
});

/** Comments on lines of a diff. */
export const reviewCommentsTable = defineToolTable<GithubTypes>()({
  entity: 'review_comments',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    pullRequestId: column.bigint(),
    reviewId: { ...column.bigint(), source: '/pull_request_review_id' },
    body: column.text(),
    path: column.text(),
    commitSha: { ...column.varchar(40), source: '/commit_id' },
    authorId: { ...column.bigint(), source: '/user/id' },
    authorLogin: { ...column.varchar(), source: '/user/login' },
    commentCreatedAt: { ...column.datetime(), source: '/created_at' },
    commentUpdatedAt: { ...nullable(column.datetime()), source: '/updated_at' },
  },
  produces: ['pull_request_comments'],
  *convert(row, context) {
    yield domainRecord('pull_request_comments', {
      id: context.ids.of('GithubPrComment', row.github_id!),
      pull_request_id: context.ids.of('GithubPullRequest', row.pull_request_id!),
      body: row.body,
      account_id: row.author_id ? context.ids.of('GithubAccount', row.author_id) : '',
      created_date: row.comment_created_at,
      commit_sha: row.commit_sha,
      type: 'DIFF',
      review_id: row.review_id ? String(row.review_id) : '',
    });
  },
});
