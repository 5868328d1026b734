import { column, key, type Migration, type MigrationContext, nullable } from '@lake/sdk';

const { varchar, text, bigint, bool, datetime, json } = column;
const when = () => nullable(datetime());

/** The GitHub connector's tool tables as first released. Released: never edited (a change is a new migration). */
export const createToolTables: Migration = {
  async up(context) {
    await createRepoAndIssueTables(context);
    await createPullRequestTables(context);
    await createCommitAndCicdTables(context);
  },
};

async function createRepoAndIssueTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('repos', {
    github_id: key(bigint()),
    name: varchar(),
    full_name: varchar(),
    html_url: varchar(),
    description: text(),
    owner_id: bigint(),
    owner_login: varchar(),
    language: varchar(),
    parent_full_name: varchar(),
    default_branch: varchar(),
    is_fork: bool(),
    repo_created_at: when(),
    repo_updated_at: when(),
  });
  await context.createToolTable('issues', {
    github_id: key(bigint()),
    repo_id: bigint(),
    number: bigint(),
    title: text(),
    body: text(),
    state: varchar(20),
    state_reason: varchar(40),
    html_url: varchar(),
    author_id: bigint(),
    author_login: varchar(),
    assignee_id: bigint(),
    assignee_login: varchar(),
    milestone_id: bigint(),
    labels: json(),
    comment_count: bigint(),
    issue_created_at: datetime(),
    issue_updated_at: datetime(),
    closed_at: when(),
  });
  await context.createIndex(context.toolTableName('issues'), ['connection_id', 'repo_id', 'number']);
  await context.createToolTable('issue_labels', { issue_id: key(bigint()), label_name: key(varchar()) });
  await context.createToolTable('issue_assignees', {
    issue_id: key(bigint()),
    assignee_id: key(bigint()),
    login: varchar(),
  });
  await context.createToolTable('issue_comments', {
    github_id: key(bigint()),
    repo_id: bigint(),
    issue_number: bigint(),
    parent_id: bigint(),
    on_pull_request: bool(),
    body: text(),
    author_id: bigint(),
    author_login: varchar(),
    comment_created_at: datetime(),
    comment_updated_at: when(),
  });
}

async function createPullRequestTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('pull_requests', {
    github_id: key(bigint()),
    repo_id: bigint(),
    number: bigint(),
    title: text(),
    body: text(),
    state: varchar(20),
    draft: bool(),
    html_url: varchar(),
    author_id: bigint(),
    author_login: varchar(),
    labels: json(),
    head_ref: varchar(),
    head_sha: varchar(40),
    head_repo_id: bigint(),
    base_ref: varchar(),
    base_sha: varchar(40),
    base_repo_id: bigint(),
    merge_commit_sha: varchar(40),
    pr_created_at: datetime(),
    pr_updated_at: datetime(),
    closed_at: when(),
    merged_at: when(),
  });
  await context.createIndex(context.toolTableName('pull_requests'), ['connection_id', 'repo_id', 'number']);
  await context.createToolTable('pull_request_labels', {
    pull_request_id: key(bigint()),
    label_name: key(varchar()),
  });
  await context.createToolTable('pull_request_commits', {
    pull_request_id: key(bigint()),
    sha: key(varchar(40)),
    message: text(),
    author_name: varchar(),
    author_email: varchar(),
    authored_at: datetime(),
  });
  await context.createToolTable('reviews', {
    github_id: key(bigint()),
    pull_request_id: bigint(),
    body: text(),
    state: varchar(40),
    commit_sha: varchar(40),
    author_id: bigint(),
    author_login: varchar(),
    submitted_at: when(),
  });
  await context.createToolTable('review_comments', {
    github_id: key(bigint()),
    pull_request_id: bigint(),
    review_id: bigint(),
    body: text(),
    path: text(),
    commit_sha: varchar(40),
    author_id: bigint(),
    author_login: varchar(),
    comment_created_at: datetime(),
    comment_updated_at: when(),
  });
}

async function createCommitAndCicdTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('commits', {
    repo_id: key(bigint()),
    sha: key(varchar(40)),
    message: text(),
    author_name: varchar(),
    author_email: varchar(),
    authored_at: datetime(),
    author_login: varchar(),
    committer_name: varchar(),
    committer_email: varchar(),
    committed_at: datetime(),
  });
  await context.createToolTable('runs', {
    repo_id: key(bigint()),
    github_id: key(bigint()),
    name: varchar(),
    display_title: text(),
    workflow_id: bigint(),
    run_number: bigint(),
    run_attempt: bigint(),
    event: varchar(40),
    status: varchar(40),
    conclusion: varchar(40),
    head_branch: varchar(),
    head_sha: varchar(40),
    head_commit_message: text(),
    html_url: varchar(),
    repo_html_url: varchar(),
    run_created_at: datetime(),
    run_updated_at: datetime(),
    run_started_at: when(),
  });
  await context.createToolTable('jobs', {
    repo_id: key(bigint()),
    github_id: key(bigint()),
    run_id: bigint(),
    name: varchar(),
    status: varchar(40),
    conclusion: varchar(40),
    head_sha: varchar(40),
    html_url: varchar(),
    runner_name: varchar(),
    job_created_at: when(),
    job_started_at: when(),
    job_completed_at: when(),
  });
  await context.createToolTable('deployments', {
    repo_id: key(bigint()),
    github_id: key(bigint()),
    node_id: varchar(),
    sha: varchar(40),
    ref: varchar(),
    task: varchar(),
    environment: varchar(),
    description: text(),
    repo_html_url: varchar(),
    deployment_created_at: datetime(),
    latest_state: varchar(40),
    latest_status_url: varchar(),
    latest_status_at: when(),
  });
  await context.createToolTable('accounts', {
    github_id: key(bigint()),
    login: varchar(),
    name: varchar(),
    email: varchar(),
    company: varchar(),
    avatar_url: varchar(),
    html_url: varchar(),
    kind: varchar(40),
    account_created_at: when(),
  });
}
