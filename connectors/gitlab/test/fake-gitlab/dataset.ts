import { createHash } from 'node:crypto';

/**
 * A GitLab project as the fake serves it, built from GitLab's REST reference
 * (docs.gitlab.com/ee/api): merge requests with their commits and notes, the default branch's
 * history, pipelines and their jobs, deployments, issues and members. Records are kept in the
 * API's own JSON shape; times are epoch milliseconds until served.
 */

export interface DatasetSizes {
  mergeRequests: number;
  issues: number;
  commits: number;
  pipelines: number;
  jobsPerPipeline?: number;
  deployments: number;
  notesPerMergeRequest?: number;
  /** Notes of each issue: the second of each is a system note ("changed the description"). Default 2. */
  notesPerIssue?: number;
  commitsPerMergeRequest?: number;
  members?: number;
}

export interface GitlabUser {
  id: number;
  username: string;
  name: string;
  state: 'active' | 'blocked';
}

export interface CommitRecord {
  id: string;
  short_id: string;
  title: string;
  message: string;
  author_name: string;
  author_email: string;
  authored_date: number;
  committer_name: string;
  committer_email: string;
  committed_date: number;
  /** The commits it was made on: the branch's previous head; a merge commit also the merged branch's last commit. */
  parent_ids: string[];
}

export interface NoteRecord {
  id: number;
  body: string;
  type: 'DiffNote' | 'DiscussionNote' | null;
  system: boolean;
  author: GitlabUser;
  created_at: number;
  updated_at: number;
}

export interface MergeRequestRecord {
  id: number;
  iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  draft: boolean;
  labels: string[];
  author: GitlabUser;
  merged_by: GitlabUser | null;
  source_branch: string;
  target_branch: string;
  sha: string;
  merge_commit_sha: string | null;
  squash_commit_sha: string | null;
  created_at: number;
  updated_at: number;
  merged_at: number | null;
  closed_at: number | null;
  commits: CommitRecord[];
  notes: NoteRecord[];
  /** Who approves it now (`/approvals`' `approved_by`). */
  approved_by: GitlabUser[];
}

export interface IssueRecord {
  id: number;
  iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  issue_type: 'issue' | 'incident';
  labels: string[];
  author: GitlabUser;
  assignees: GitlabUser[];
  weight: number | null;
  time_estimate: number;
  total_time_spent: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  notes: NoteRecord[];
}

export interface JobRecord {
  id: number;
  name: string;
  stage: string;
  status: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface PipelineRecord {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  status: string;
  source: string;
  created_at: number;
  updated_at: number;
  jobs: JobRecord[];
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  tier: 'production' | 'staging' | 'testing' | 'development' | 'other';
  state: 'available' | 'stopping' | 'stopped';
  created_at: number;
  updated_at: number;
}

export interface DeploymentRecord {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  status: 'created' | 'running' | 'success' | 'failed' | 'canceled' | 'blocked';
  environment: EnvironmentRecord;
  job: JobRecord;
  pipelineId: number;
  created_at: number;
  updated_at: number;
}

const MINUTE = 60_000;
export const PROJECT_ID = 4242;
export const PROJECT_PATH = 'lake/platform/api';

const sha = (seed: string) => createHash('sha1').update(seed).digest('hex');

/** A source whose every change stamps the real time (later than anything read before it). */
export class GitlabDataset {
  readonly project = {
    id: PROJECT_ID,
    name: 'api',
    path_with_namespace: PROJECT_PATH,
    description: 'The platform API',
    default_branch: 'main',
    created_at: 0,
    last_activity_at: 0,
  };
  readonly users: GitlabUser[] = [];
  readonly commits: CommitRecord[] = [];
  readonly mergeRequests: MergeRequestRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly pipelines: PipelineRecord[] = [];
  readonly deployments: DeploymentRecord[] = [];
  /**
   * The project's environments. "live" is production by its tier alone: its name does not match
   * the default `envNamePattern`, and a deployment's own `environment` carries no tier.
   */
  readonly environments: EnvironmentRecord[] = [
    { id: 1, name: 'production', tier: 'production', state: 'available', created_at: 0, updated_at: 0 },
    { id: 2, name: 'staging', tier: 'staging', state: 'available', created_at: 0, updated_at: 0 },
    { id: 3, name: 'review/feature-x', tier: 'development', state: 'stopped', created_at: 0, updated_at: 0 },
    { id: 4, name: 'live', tier: 'production', state: 'available', created_at: 0, updated_at: 0 },
  ];
  #clock: number;
  #nextId = 1;

  constructor(sizes: DatasetSizes, start = Date.UTC(2026, 0, 1)) {
    this.#clock = start;
    this.project.created_at = start;
    for (const environment of this.environments) Object.assign(environment, { created_at: start, updated_at: start });
    for (let index = 0; index < (sizes.members ?? 5); index += 1) {
      this.users.push({ id: 100 + index, username: `dev${index}`, name: `Developer ${index}`, state: 'active' });
    }
    for (let index = 0; index < sizes.commits; index += 1) this.addCommit(`Commit ${index + 1}`);
    for (let index = 0; index < sizes.mergeRequests; index += 1)
      this.addMergeRequest(index, sizes.commitsPerMergeRequest ?? 2, sizes.notesPerMergeRequest ?? 2);
    for (let index = 0; index < sizes.issues; index += 1) this.addIssue(index, sizes.notesPerIssue ?? 2);
    for (let index = 0; index < sizes.pipelines; index += 1) this.addPipeline(index, sizes.jobsPerPipeline ?? 2);
    for (let index = 0; index < sizes.deployments; index += 1) this.addDeployment(index);
    this.project.last_activity_at = this.#clock;
  }

  /** The next instant: the data's own clock while it is built, then never behind the real time. */
  tick(step = MINUTE): number {
    this.#clock = Math.max(this.#clock + step, this.#built ? Date.now() : 0);
    return this.#clock;
  }

  #built = false;

  /** From now on every change stamps the real time, as the real API does. */
  finishBuilding(): this {
    this.#built = true;
    return this;
  }

  id(): number {
    const id = this.#nextId;
    this.#nextId += 1;
    return id;
  }

  user(index: number): GitlabUser {
    return this.users[index % this.users.length]!;
  }

  addCommit(title: string, at = this.tick()): CommitRecord {
    const commit: CommitRecord = {
      id: sha(`${title}|${this.commits.length}|${at}`),
      short_id: '',
      title,
      message: `${title}\n`,
      author_name: 'Ada Lovelace',
      author_email: 'ada@example.com',
      authored_date: at,
      committer_name: 'Ada Lovelace',
      committer_email: 'ada@example.com',
      committed_date: at,
      parent_ids: this.head ? [this.head.id] : [],
    };
    commit.short_id = commit.id.slice(0, 8);
    this.commits.push(commit);
    return commit;
  }

  get head(): CommitRecord | undefined {
    return this.commits.at(-1);
  }

  addMergeRequest(index: number, commits = 2, notes = 2): MergeRequestRecord {
    const at = this.tick();
    const iid = this.mergeRequests.length + 1;
    const branchCommits: CommitRecord[] = [];
    for (let position = 0; position < commits; position += 1) {
      branchCommits.push({
        id: sha(`mr ${iid} commit ${position}`),
        short_id: '',
        title: `Change ${position + 1} of !${iid}`,
        message: `Change ${position + 1} of !${iid}\n`,
        author_name: 'Grace Hopper',
        author_email: 'grace@example.com',
        authored_date: at,
        committer_name: 'Grace Hopper',
        committer_email: 'grace@example.com',
        committed_date: at,
        // The branch starts from the default branch's head.
        parent_ids: [branchCommits[position - 1]?.id ?? this.head?.id].filter((id): id is string => id !== undefined),
      });
    }
    const state = index % 4 === 0 ? 'merged' : index % 4 === 1 ? 'closed' : 'opened';
    const squash = state === 'merged' && index % 8 === 0;
    const record: MergeRequestRecord = {
      id: 50_000 + iid,
      iid,
      title: `Merge request ${iid}`,
      description: `Does thing ${iid}`,
      state,
      draft: index % 5 === 4,
      labels: index % 3 === 0 ? ['type::feature', 'component::api'] : ['needs review'],
      author: this.user(index),
      merged_by: state === 'merged' ? this.user(index + 1) : null,
      source_branch: `feature/${iid}`,
      target_branch: 'main',
      sha: branchCommits.at(-1)?.id ?? sha(`mr ${iid} head`),
      merge_commit_sha: state === 'merged' && !squash ? sha(`mr ${iid} merge`) : null,
      squash_commit_sha: squash ? sha(`mr ${iid} squash`) : null,
      created_at: at,
      updated_at: at,
      merged_at: state === 'merged' ? at : null,
      closed_at: state === 'closed' ? at : null,
      commits: branchCommits,
      notes: [],
      approved_by: [],
    };
    for (let position = 0; position < notes; position += 1) {
      const system = position === 1;
      record.notes.push({
        id: 800_000 + iid * 100 + position,
        body: system ? (index % 2 === 0 ? 'approved this merge request' : 'added 1 commit') : `Looks good ${position}`,
        type: position === 2 ? 'DiffNote' : null,
        system,
        author: this.user(index + position + 1),
        created_at: at,
        updated_at: at,
      });
      if (system && index % 2 === 0) record.approved_by.push(this.user(index + position + 1));
    }
    this.mergeRequests.push(record);
    return record;
  }

  addIssue(index: number, notes = 2): IssueRecord {
    const at = this.tick();
    const iid = this.issues.length + 1;
    const record: IssueRecord = {
      id: 70_000 + iid,
      iid,
      title: `Issue ${iid}`,
      description: `Something about ${iid}`,
      state: index % 3 === 0 ? 'closed' : 'opened',
      issue_type: index % 11 === 10 ? 'incident' : 'issue',
      labels: index % 2 === 0 ? ['bug', 'priority::high'] : ['feature'],
      author: this.user(index),
      assignees: index % 4 === 3 ? [] : [this.user(index + 2), ...(index % 4 === 0 ? [this.user(index + 3)] : [])],
      weight: index % 2 === 0 ? 3 : null,
      time_estimate: 3600,
      total_time_spent: 1800,
      created_at: at,
      updated_at: at,
      closed_at: index % 3 === 0 ? at : null,
      notes: Array.from({ length: notes }, (_, position) => ({
        id: 900_000 + iid * 100 + position,
        body: position === 1 ? 'changed the description' : `Reproduced ${position}`,
        type: null,
        system: position === 1,
        author: this.user(index + position + 1),
        created_at: at,
        updated_at: at,
      })),
    };
    this.issues.push(record);
    return record;
  }

  addPipeline(index: number, jobs = 2): PipelineRecord {
    const at = this.tick();
    const commit = this.commits[index % Math.max(1, this.commits.length)];
    const id = 30_000 + this.pipelines.length + 1;
    const running = index % 7 === 6;
    const status = running ? 'running' : index % 5 === 4 ? 'failed' : 'success';
    const record: PipelineRecord = {
      id,
      iid: this.pipelines.length + 1,
      ref: index % 3 === 0 ? 'deploy-production' : 'main',
      sha: commit?.id ?? sha(`pipeline ${id}`),
      status,
      source: 'push',
      created_at: at,
      updated_at: at + 5 * MINUTE,
      jobs: Array.from({ length: jobs }, (_, position) => ({
        id: id * 10 + position,
        name: position === jobs - 1 ? 'deploy-prod' : `test-${position}`,
        stage: position === jobs - 1 ? 'deploy' : 'test',
        status: running && position === jobs - 1 ? 'running' : status,
        created_at: at,
        started_at: at + MINUTE,
        finished_at: running && position === jobs - 1 ? null : at + 4 * MINUTE,
      })),
    };
    this.pipelines.push(record);
    return record;
  }

  addDeployment(index: number): DeploymentRecord {
    const at = this.tick();
    const pipeline = this.pipelines[index % Math.max(1, this.pipelines.length)];
    const id = 20_000 + this.deployments.length + 1;
    const environments = this.environments;
    const record: DeploymentRecord = {
      id,
      iid: this.deployments.length + 1,
      ref: 'main',
      sha: pipeline?.sha ?? this.head?.id ?? sha(`deployment ${id}`),
      status: index % 6 === 5 ? 'failed' : 'success',
      environment: environments[index % environments.length]!,
      job: {
        id: 9_000_000 + id,
        name: 'deploy',
        stage: 'deploy',
        status: 'success',
        created_at: at,
        started_at: at + MINUTE,
        finished_at: at + 3 * MINUTE,
      },
      pipelineId: pipeline?.id ?? 0,
      created_at: at,
      updated_at: at + 3 * MINUTE,
    };
    this.deployments.push(record);
    return record;
  }

  /**
   * Deploys `sha` to the environment named now: the deployment is created now, its job starts a
   * minute later and finishes `minutes` after the creation.
   */
  deploy(sha: string, environmentName: string, status: DeploymentRecord['status'] = 'success', minutes = 3) {
    const environment = this.environments.find((candidate) => candidate.name === environmentName);
    if (!environment) throw new Error(`no environment ${environmentName}`);
    const at = this.tick();
    const id = 20_000 + this.deployments.length + 1;
    const finished = status === 'success' || status === 'failed' ? at + minutes * MINUTE : null;
    const record: DeploymentRecord = {
      id,
      iid: this.deployments.length + 1,
      ref: this.project.default_branch,
      sha,
      status,
      environment,
      job: {
        id: 9_000_000 + id,
        name: 'deploy',
        stage: 'deploy',
        status,
        created_at: at,
        started_at: at + MINUTE,
        finished_at: finished,
      },
      pipelineId: 0,
      created_at: at,
      updated_at: finished ?? at,
    };
    this.deployments.push(record);
    return record;
  }

  mergeRequest(iid: number): MergeRequestRecord | undefined {
    return this.mergeRequests.find((record) => record.iid === iid);
  }

  pipeline(id: number): PipelineRecord | undefined {
    return this.pipelines.find((record) => record.id === id);
  }

  /** Merges an open merge request now: its state, merge commit and times change, and the branch moves. */
  merge(iid: number): void {
    const record = this.mergeRequest(iid);
    if (record?.state !== 'opened') throw new Error(`merge request !${iid} is not open`);
    const at = this.tick();
    const merge = this.addCommit(`Merge branch '${record.source_branch}' into 'main'`, at);
    const merged = record.commits.at(-1);
    if (merged) merge.parent_ids.push(merged.id);
    Object.assign(record, {
      state: 'merged',
      merged_at: at,
      updated_at: at,
      merged_by: this.user(0),
      merge_commit_sha: merge.id,
    });
  }

  /** Edits a merge request (title, labels, …) now: it moves to the end of a listing by update time. */
  touchMergeRequest(
    iid: number,
    change: Partial<Pick<MergeRequestRecord, 'title' | 'labels' | 'state' | 'description'>>,
  ) {
    const record = this.mergeRequest(iid);
    if (!record) throw new Error(`no merge request !${iid}`);
    const at = this.tick();
    Object.assign(record, change, { updated_at: at });
    if (change.state === 'closed') record.closed_at = at;
  }

  /** Adds a note to a merge request now (the merge request's `updated_at` moves too, as on GitLab). */
  addNote(iid: number, body: string): void {
    const record = this.mergeRequest(iid);
    if (!record) throw new Error(`no merge request !${iid}`);
    const at = this.tick();
    record.notes.push({
      id: 5_000_000 + this.id(),
      body,
      type: null,
      system: false,
      author: this.user(1),
      created_at: at,
      updated_at: at,
    });
    record.updated_at = at;
  }

  /** Approves a merge request now, as `user`: GitLab records it as a system note, which moves `updated_at`. */
  approve(iid: number, user: GitlabUser): void {
    this.#approval(iid, user, 'approved this merge request');
  }

  /** Withdraws `user`'s approval now. */
  unapprove(iid: number, user: GitlabUser): void {
    this.#approval(iid, user, 'unapproved this merge request');
  }

  #approval(iid: number, user: GitlabUser, body: string): void {
    const record = this.mergeRequest(iid);
    if (!record) throw new Error(`no merge request !${iid}`);
    const at = this.tick();
    record.notes.push({
      id: 5_000_000 + this.id(),
      body,
      type: null,
      system: true,
      author: user,
      created_at: at,
      updated_at: at,
    });
    record.approved_by = record.approved_by.filter((approver) => approver.id !== user.id);
    if (body.startsWith('approved')) record.approved_by.push(user);
    record.updated_at = at;
  }

  touchIssue(iid: number, change: Partial<Pick<IssueRecord, 'title' | 'labels' | 'state' | 'assignees'>>): void {
    const record = this.issues.find((issue) => issue.iid === iid);
    if (!record) throw new Error(`no issue #${iid}`);
    const at = this.tick();
    Object.assign(record, change, { updated_at: at });
    record.closed_at = record.state === 'closed' ? (record.closed_at ?? at) : null;
  }

  /** Adds a comment to an issue now (the issue's `updated_at` moves too, as on GitLab). */
  addIssueNote(iid: number, body: string): void {
    const record = this.issues.find((issue) => issue.iid === iid);
    if (!record) throw new Error(`no issue #${iid}`);
    const at = this.tick();
    record.notes.push({
      id: 6_000_000 + this.id(),
      body,
      type: null,
      system: false,
      author: this.user(2),
      created_at: at,
      updated_at: at,
    });
    record.updated_at = at;
  }

  deleteIssue(iid: number): void {
    const index = this.issues.findIndex((issue) => issue.iid === iid);
    if (index >= 0) this.issues.splice(index, 1);
  }

  /** Finishes a running pipeline now (its last job too). */
  finishPipeline(id: number): void {
    const record = this.pipeline(id);
    if (!record) throw new Error(`no pipeline ${id}`);
    const at = this.tick();
    record.status = 'success';
    record.updated_at = at;
    for (const job of record.jobs) {
      job.status = 'success';
      job.finished_at ??= at;
    }
  }

  /** One bulk edit: many issues and merge requests share one `updated_at`. */
  bulkLabel(label: string, issues: number, mergeRequests: number): void {
    const at = this.tick();
    for (const issue of this.issues.slice(0, issues))
      Object.assign(issue, { labels: [...issue.labels, label], updated_at: at });
    for (const record of this.mergeRequests.slice(0, mergeRequests))
      Object.assign(record, { labels: [...record.labels, label], updated_at: at });
  }

  /** Domain rows a correct sync writes, counted from the source. */
  domainCounts(): Record<string, number> {
    const approvals = (note: NoteRecord) => note.system && note.body === 'approved this merge request';
    const commitShas = new Set(this.commits.map((commit) => commit.id));
    const prCommits = this.mergeRequests.reduce((sum, record) => sum + record.commits.length, 0);
    return {
      repos: 1,
      boards: 1,
      board_repos: 1,
      cicd_scopes: 1,
      accounts: this.users.length,
      pull_requests: this.mergeRequests.length,
      pull_request_labels: this.mergeRequests.reduce((sum, record) => sum + new Set(record.labels).size, 0),
      pull_request_commits: prCommits,
      pull_request_reviewers: this.mergeRequests.reduce((sum, record) => sum + record.approved_by.length, 0),
      pull_request_comments: this.mergeRequests.reduce(
        (sum, record) => sum + record.notes.filter((note) => !note.system || approvals(note)).length,
        0,
      ),
      commits: commitShas.size,
      repo_commits: commitShas.size,
      commit_parents: this.commits.reduce((sum, commit) => sum + new Set(commit.parent_ids).size, 0),
      cicd_pipelines: this.pipelines.length,
      cicd_pipeline_commits: this.pipelines.length,
      cicd_tasks: this.pipelines.reduce((sum, record) => sum + record.jobs.length, 0),
      cicd_deployments: this.deployments.length,
      cicd_deployment_commits: this.deployments.length,
      issues: this.issues.length,
      board_issues: this.issues.length,
      issue_labels: this.issues.reduce((sum, issue) => sum + new Set(issue.labels).size, 0),
      issue_comments: this.issues.reduce((sum, issue) => sum + issue.notes.filter((note) => !note.system).length, 0),
      issue_assignees: this.issues.reduce(
        (sum, issue) => sum + new Set(issue.assignees.map((user) => user.id)).size,
        0,
      ),
    };
  }
}
