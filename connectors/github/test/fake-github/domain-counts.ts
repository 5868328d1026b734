import type { GithubDataset, IssueRecord } from './dataset.js';
import { reachableFrom } from './queries.js';

/** GitHub lists at most this many commits of a pull request (`GET /pulls/{number}/commits`). */
export const PULL_REQUEST_COMMITS_LISTED = 250;

/**
 * How many rows each DevLake domain table holds for this repository as it is now, worked out
 * from the dataset's records alone (what GitHub would serve), never from the connector: the
 * specification the conformance suite holds a sync to. The mapping is DevLake's GitHub plugin's:
 *
 * - one repository: one row each in `repos`, `boards`, `board_repos`, `cicd_scopes`;
 * - plain issues (pull requests are issues to GitHub, never to DevLake) in `issues` and
 *   `board_issues`, their distinct labels and assignees, and their conversation comments;
 * - pull requests, their distinct labels, the distinct commits among the first 250 GitHub lists;
 * - `pull_request_comments`: conversation comments on pull requests (NORMAL), submitted reviews
 *   (REVIEW; a PENDING review is a draft only its author sees) and comments on diff lines (DIFF);
 * - `pull_request_reviewers`: each (pull request, author of a submitted review) pair once;
 * - `commits` and `repo_commits`: every commit reachable from the default branch's head, the
 *   commits a merge brings in included;
 * - a pipeline and its commit per workflow run, a task per job, a deployment and its commit per
 *   deployment;
 * - `accounts`: everyone who opened or is assigned a plain issue, opened a pull request, wrote a
 *   conversation comment, a review or a review comment, and whom `GET /users/{login}` knows
 *   (a login GitHub answers 404 for has no account to describe).
 *
 * Transferred (deleted) issues are gone, with their comments.
 */
export function domainCounts(dataset: GithubDataset) {
  const present = dataset.issues.filter((record) => !record.deleted);
  const issues = present.filter((record) => record.pull === undefined);
  const pullRequests = present.filter((record) => record.pull !== undefined);
  const pullOf = (record: IssueRecord) => record.pull!;
  const comments = dataset.issueComments.filter((comment) => dataset.isVisible(comment));
  const onPullRequest = (number: number) => dataset.issue(number)?.pull !== undefined;
  const issueComments = comments.filter((comment) => !onPullRequest(comment.issueNumber));
  const conversationOnPullRequests = comments.filter((comment) => onPullRequest(comment.issueNumber));
  const reviews = pullRequests.flatMap((record) =>
    pullOf(record).reviews.filter((review) => review.state !== 'PENDING'),
  );
  const reviewComments = dataset.reviewComments.filter((comment) => dataset.isVisible(comment));
  const head = dataset.commits.at(-1);
  const commits = head ? reachableFrom(dataset, head).length : 0;
  const jobs = dataset.runs.reduce((sum, run) => sum + run.jobs.length, 0);

  const mentioned = new Set<string>();
  for (const record of issues) for (const login of [record.author, ...record.assignees]) mentioned.add(login);
  for (const record of pullRequests) mentioned.add(record.author);
  for (const item of [...comments, ...reviews, ...reviewComments]) mentioned.add(item.author);
  const accounts = new Set([...mentioned].flatMap((login) => dataset.user(login)?.id ?? []));

  return {
    repos: 1,
    boards: 1,
    board_repos: 1,
    cicd_scopes: 1,
    issues: issues.length,
    board_issues: issues.length,
    issue_labels: sum(issues, (record) => new Set(record.labels).size),
    issue_assignees: sum(issues, (record) => new Set(record.assignees).size),
    issue_comments: issueComments.length,
    pull_requests: pullRequests.length,
    pull_request_labels: sum(pullRequests, (record) => new Set(record.labels).size),
    pull_request_commits: sum(
      pullRequests,
      (record) =>
        new Set(
          pullOf(record)
            .commits.slice(0, PULL_REQUEST_COMMITS_LISTED)
            .map((commit) => commit.sha),
        ).size,
    ),
    pull_request_comments: conversationOnPullRequests.length + reviews.length + reviewComments.length,
    pull_request_reviewers: new Set(reviews.map((review) => `${review.pullNumber}:${review.author}`)).size,
    commits,
    repo_commits: commits,
    cicd_pipelines: dataset.runs.length,
    cicd_pipeline_commits: dataset.runs.length,
    cicd_tasks: jobs,
    cicd_deployments: dataset.deployments.length,
    cicd_deployment_commits: dataset.deployments.length,
    accounts: accounts.size,
  } satisfies Record<string, number>;
}

export type DomainCounts = ReturnType<typeof domainCounts>;

function sum<T>(items: readonly T[], count: (item: T) => number): number {
  return items.reduce((total, item) => total + count(item), 0);
}
