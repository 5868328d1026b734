import { column, key, type Migration, type MigrationContext, nullable } from '@lake/sdk';

const { varchar, text, bigint, bool, datetime, json } = column;
const when = () => nullable(datetime());

/** Projects, merge requests and what hangs off them. */
async function createMergeRequestTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('projects', {
    gitlab_id: key(bigint()),
    name: varchar(),
    path_with_namespace: varchar(),
    web_url: varchar(),
    description: text(),
    default_branch: varchar(),
    forked_from: varchar(),
    project_created_at: when(),
    last_activity_at: when(),
  });
  await context.createToolTable('merge_requests', {
    gitlab_id: key(bigint()),
    project_id: bigint(),
    iid: bigint(),
    title: text(),
    description: text(),
    state: varchar(20),
    draft: bool(),
    web_url: varchar(),
    author_id: bigint(),
    author_username: varchar(),
    merged_by_id: bigint(),
    merged_by_username: varchar(),
    labels: json(),
    source_branch: varchar(),
    target_branch: varchar(),
    source_project_id: bigint(),
    target_project_id: bigint(),
    sha: varchar(40),
    merge_commit_sha: varchar(40),
    squash_commit_sha: varchar(40),
    mr_created_at: datetime(),
    mr_updated_at: datetime(),
    merged_at: when(),
    closed_at: when(),
  });
  await context.createToolTable('mr_labels', {
    merge_request_id: key(bigint()),
    label_name: key(varchar()),
  });
  await context.createToolTable('mr_commits', {
    merge_request_id: key(bigint()),
    sha: key(varchar(40)),
    message: text(),
    author_name: varchar(),
    author_email: varchar(),
    authored_date: datetime(),
  });
  await context.createToolTable('mr_notes', {
    gitlab_id: key(bigint()),
    merge_request_id: bigint(),
    body: text(),
    note_type: varchar(40),
    is_system: bool(),
    author_id: bigint(),
    author_username: varchar(),
    note_created_at: datetime(),
  });
}

/** Commits, pipelines, jobs and deployments. */
async function createCicdTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('commits', {
    project_id: key(bigint()),
    sha: key(varchar(40)),
    message: text(),
    author_name: varchar(),
    author_email: varchar(),
    authored_date: datetime(),
    committer_name: varchar(),
    committer_email: varchar(),
    committed_date: datetime(),
  });
  await context.createToolTable('pipelines', {
    gitlab_id: key(bigint()),
    project_id: bigint(),
    iid: bigint(),
    ref: varchar(),
    sha: varchar(40),
    status: varchar(40),
    source: varchar(40),
    web_url: varchar(),
    project_web_url: varchar(),
    pipeline_created_at: datetime(),
    pipeline_updated_at: datetime(),
  });
  await context.createToolTable('jobs', {
    gitlab_id: key(bigint()),
    project_id: bigint(),
    pipeline_id: bigint(),
    name: varchar(),
    stage: varchar(),
    status: varchar(40),
    ref: varchar(),
    web_url: varchar(),
    job_created_at: when(),
    started_at: when(),
    finished_at: when(),
  });
  await context.createToolTable('deployments', {
    project_id: key(bigint()),
    deployment_id: key(bigint()),
    iid: bigint(),
    ref: varchar(),
    sha: varchar(40),
    status: varchar(40),
    environment_name: varchar(),
    environment_tier: varchar(40),
    deployable_name: varchar(),
    deployable_url: varchar(),
    commit_title: text(),
    project_web_url: varchar(),
    deployment_created_at: datetime(),
    deployment_updated_at: datetime(),
    started_at: when(),
    finished_at: when(),
  });
}

/** Issues, their labels and assignees, and accounts. */
async function createIssueTables(context: MigrationContext): Promise<void> {
  await context.createToolTable('issues', {
    gitlab_id: key(bigint()),
    project_id: bigint(),
    iid: bigint(),
    title: text(),
    description: text(),
    state: varchar(20),
    issue_type: varchar(40),
    web_url: varchar(),
    author_id: bigint(),
    author_username: varchar(),
    assignee_id: bigint(),
    assignee_username: varchar(),
    labels: json(),
    time_estimate: bigint(),
    total_time_spent: bigint(),
    weight: nullable(bigint()),
    issue_created_at: datetime(),
    issue_updated_at: datetime(),
    closed_at: when(),
    due_date: when(),
  });
  await context.createToolTable('issue_labels', {
    issue_id: key(bigint()),
    label_name: key(varchar()),
  });
  await context.createToolTable('issue_assignees', {
    issue_id: key(bigint()),
    assignee_id: key(bigint()),
    username: varchar(),
  });
  await context.createToolTable('accounts', {
    gitlab_id: key(bigint()),
    username: varchar(),
    name: varchar(),
    state: varchar(40),
    email: varchar(),
    avatar_url: varchar(),
    web_url: varchar(),
  });
}

/** The GitLab connector's tool tables as first released. Released: never edited (a change is a new migration). */
export const createToolTables: Migration = {
  async up(context) {
    await createMergeRequestTables(context);
    await createCicdTables(context);
    await createIssueTables(context);
  },
};
