import { createHash } from 'node:crypto';
import { type DomainCounts, domainCounts } from './domain-counts.js';
import {
  type AuthorAssociation,
  type CommitFields,
  commitPayload,
  type DeploymentState,
  deploymentPayload,
  deploymentStatusPayload,
  type FullUserFields,
  fullRepositoryPayload,
  fullUserPayload,
  issueCommentPayload,
  issuePayload,
  type LabelFields,
  labelPayload,
  type MilestoneFields,
  type OrganizationFields,
  type PayloadUrls,
  type PullRequestFields,
  pullRequestDetailPayload,
  pullRequestPayload,
  type RepositoryFields,
  type ReviewFields,
  repositoryPayload,
  reviewCommentPayload,
  reviewPayload,
  type UserFields,
  type WorkflowConclusion,
  type WorkflowFields,
  type WorkflowRunStatus,
  workflowJobPayload,
  workflowPayload,
  workflowRunPayload,
} from './payloads.js';
import { reachableFrom } from './queries.js';

export interface DatasetSizes {
  /** Plain issues (not pull requests). */
  issues: number;
  /** Pull requests; each also appears in the issues listing, as GitHub does. */
  pullRequests: number;
  /** Conversation comments on every issue and every pull request. Default 2. */
  commentsPerIssue?: number;
  /** Default 3. */
  commitsPerPullRequest?: number;
  /** Default 1. */
  reviewsPerPullRequest?: number;
  /** Default 1. */
  reviewCommentsPerPullRequest?: number;
  /** Commits on the default branch before any pull request is merged (each merge adds its merge commit). Default 20. */
  commits?: number;
  /** Default 6; names alternate `CI` and `Deploy to production`. */
  workflowRuns?: number;
  /** Default 2. */
  jobsPerRun?: number;
  /** Default 3; environments alternate `production` and `staging`. */
  deployments?: number;
  /**
   * Open pull requests on which `alice` (the default token's account) has started a review and
   * not submitted it: GitHub lists a PENDING review to its author only. Default 0.
   */
  pendingReviews?: number;
  /**
   * Plain issues changed together halfway through the history by one bulk edit (a label added to
   * all of them at once), so that they share one `updated_at`. Default 0.
   */
  bulkEditedIssues?: number;
}

export interface GithubDatasetOptions {
  /** Default `octo-org`, an organization. */
  owner?: string;
  /** Default `widgets`. */
  name?: string;
  sizes: DatasetSizes;
  /** The moment the repository is created; every later event is one minute after the one before. Default 2024-01-01T00:00:00Z. */
  start?: Date;
  /** Seed of the choices made at random (authors, review states, activity order). Default 1. */
  seed?: number;
  /** Default derived from `owner/name`. */
  repoId?: number;
  /** Default `Organization`; `User` for a personal repository. */
  ownerType?: 'Organization' | 'User';
  /** Default derived from `owner`. */
  ownerId?: number;
  /** Overrides of the repository settings (description, language, visibility, …). */
  metadata?: Partial<RepositoryMetadata>;
  /** Indexes (oldest first) of the workflow runs still going; the others completed. Default the newest run only. */
  runsInProgress?: readonly number[];
}

/** A dataset account: what `GET /users/{login}` shows plus how it relates to the repository. */
export interface DatasetUser extends FullUserFields {
  association: AuthorAssociation;
}

/** Issues and pull requests share numbers and this record; `pull` is set on pull requests. */
export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  author: string;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  locked: boolean;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  /** Conversation comments. */
  comments: number;
  /** Transferred or deleted: gone from every listing. */
  deleted: boolean;
  pull: PullRecord | undefined;
}

export interface PullRecord {
  id: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  draft: boolean;
  mergedAt: number | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  requestedReviewers: string[];
  commits: CommitRecord[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
}

export interface CommitRecord {
  sha: string;
  treeSha: string;
  message: string;
  /** Login of the account the author email belongs to; `null` for an unlinked email. */
  authorLogin: string | null;
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committerLogin: string | null;
  committerName: string;
  committerEmail: string;
  committedAt: number;
  parents: string[];
}

export interface IssueCommentRecord {
  id: number;
  issueNumber: number;
  author: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  author: string;
  body: string;
  state: ReviewFields['state'];
  /** Null for a PENDING review: started, not submitted. */
  submittedAt: number | null;
  commitId: string;
}

export interface ReviewCommentRecord {
  id: number;
  pullNumber: number;
  reviewId: number | null;
  author: string;
  body: string;
  path: string;
  line: number;
  commitId: string;
  originalCommitId: string;
  createdAt: number;
  updatedAt: number;
}

export interface JobRecord {
  id: number;
  runId: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: WorkflowConclusion | null;
  createdAt: number;
  startedAt: number;
  completedAt: number | null;
  runnerId: number | null;
  runnerName: string | null;
  /** The command of the job's main step (`npm test`). */
  command: string;
}

export interface RunRecord {
  id: number;
  workflowId: number;
  name: string;
  path: string;
  displayTitle: string;
  runNumber: number;
  runAttempt: number;
  event: string;
  status: WorkflowRunStatus;
  conclusion: WorkflowConclusion | null;
  headBranch: string;
  headSha: string;
  checkSuiteId: number;
  actor: string;
  triggeringActor: string;
  pullNumbers: number[];
  createdAt: number;
  runStartedAt: number;
  updatedAt: number;
  jobs: JobRecord[];
}

export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  creator: string;
  description: string;
  createdAt: number;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string;
  creator: string;
  createdAt: number;
  updatedAt: number;
  production: boolean;
  /** The `Deploy to production` run that made it, for the statuses' log links. */
  runId: number | null;
  /** Oldest first. */
  statuses: DeploymentStatusRecord[];
}

/** Repository settings that are not derived from the dataset's content. */
export interface RepositoryMetadata {
  description: string | null;
  homepage: string | null;
  language: string | null;
  private: boolean;
  archived: boolean;
  fork: boolean;
  topics: string[];
  defaultBranch: string;
}

const MINUTE = 60_000;
const DEFAULT_START = new Date('2024-01-01T00:00:00Z');

/** Eleven people and the bot that runs Actions; the first eight are members of the owner organization. */
const PEOPLE: readonly [login: string, name: string, location: string | null][] = [
  ['alice', 'Alice Archer', 'Berlin'],
  ['bob', 'Bob Brennan', 'Lisbon'],
  ['carol', 'Carol Chen', 'Toronto'],
  ['dave', 'Dave Dietrich', null],
  ['erin', 'Erin Evans', 'Dublin'],
  ['frank', 'Frank Fischer', 'Zurich'],
  ['grace', 'Grace Gómez', 'Madrid'],
  ['heidi', 'Heidi Hall', 'Oslo'],
  ['ivan', 'Ivan Ivanov', 'Sofia'],
  ['judy', 'Judy Jansen', 'Utrecht'],
  ['mallory', 'Mallory Moss', null],
];
const MEMBER_COUNT = 8;
export const BOT_LOGIN = 'github-actions[bot]';

const LABELS: readonly Omit<LabelFields, 'id'>[] = [
  { name: 'bug', color: 'd73a4a', description: "Something isn't working", default: true },
  { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation', default: true },
  { name: 'type/feature', color: 'a2eeef', description: 'New feature or request', default: false },
  { name: 'severity/high', color: 'b60205', description: 'Breaks a core flow for many users', default: false },
  { name: 'priority/p1', color: 'e99695', description: 'Fix within the current sprint', default: false },
  { name: 'component/api', color: '1d76db', description: 'The public REST API', default: false },
  { name: 'incident', color: 'ff7619', description: 'Linked to a production incident', default: false },
];

/**
 * Label sets issues cycle through. Every label shows up within the first six issues, so even a
 * tiny dataset exercises label-based mappings.
 */
const ISSUE_LABEL_CYCLE: readonly string[][] = [
  ['bug', 'severity/high', 'priority/p1'],
  ['type/feature', 'component/api'],
  ['incident', 'severity/high'],
  ['bug', 'component/api'],
  [],
  ['type/feature', 'priority/p1', 'documentation'],
];
const PULL_LABEL_CYCLE: readonly string[][] = [['type/feature'], ['bug'], ['component/api', 'type/feature'], []];

const SUBJECTS = [
  'widget export',
  'login page',
  'search API',
  'billing webhook',
  'CSV import',
  'dashboard chart',
  'rate limiter',
  'audit log',
  'password reset',
  'team invites',
];
const FILES = ['src/api/handler.ts', 'src/widgets/export.ts', 'src/auth/session.ts', 'src/billing/webhook.ts'];
const REVIEW_STATES: readonly ReviewFields['state'][] = ['COMMENTED', 'CHANGES_REQUESTED', 'APPROVED', 'DISMISSED'];

/** Bases of the id ranges, so ids of different kinds never collide and grow with creation time, as GitHub's do. */
const ID_BASE = {
  issue: 2_100_000_000,
  pull: 1_700_000_000,
  issueComment: 1_900_000_000,
  review: 1_800_000_000,
  reviewComment: 1_500_000_000,
  label: 6_000_000_000,
  milestone: 10_400_000,
  run: 9_100_000_000,
  checkSuite: 24_000_000_000,
  job: 25_000_000_000,
  deployment: 1_300_000_000,
  deploymentStatus: 1_400_000_000,
} as const;

/**
 * One repository's worth of GitHub data, deterministic for a given seed and sizes, and mutable
 * so a test can make "something changed since the last sync" happen.
 *
 * Records hold plain values (timestamps as epoch milliseconds, people as logins); the payload
 * methods render them into GitHub's JSON with the serving server's URLs. Time is the dataset's
 * own: every event is one minute after the previous one, and a mutation happens "now", one
 * minute after the latest event.
 */
export class GithubDataset {
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  readonly repoId: number;
  readonly ownerId: number;
  readonly ownerType: 'Organization' | 'User';
  readonly createdAt: number;
  readonly metadata: RepositoryMetadata;
  readonly users: readonly DatasetUser[];
  readonly labels: LabelFields[];
  readonly milestones: (Omit<MilestoneFields, 'creator' | 'openIssues' | 'closedIssues'> & { creator: string })[];
  readonly workflows: readonly WorkflowFields[];
  /** Issues and pull requests, by number. Deleted ones stay here, flagged. */
  readonly issues: IssueRecord[] = [];
  /** Conversation comments on issues and pull requests, oldest first. */
  readonly issueComments: IssueCommentRecord[] = [];
  /** Review comments of every pull request, oldest first. */
  readonly reviewComments: ReviewCommentRecord[] = [];
  /**
   * The default branch's first-parent line, oldest first. Its merge commits bring the merged pull
   * requests' commits in as second parents: the branch's history is everything reachable from its
   * last commit (`GET /commits` lists them all).
   */
  readonly commits: CommitRecord[] = [];
  /** Oldest first. */
  readonly runs: RunRecord[] = [];
  /** Oldest first. */
  readonly deployments: DeploymentRecord[] = [];

  readonly #issuesByNumber = new Map<number, IssueRecord>();
  readonly #usersByLogin = new Map<string, DatasetUser>();
  readonly #labelsByName = new Map<string, LabelFields>();
  readonly #runsById = new Map<number, RunRecord>();
  readonly #deploymentsById = new Map<number, DeploymentRecord>();
  readonly #nextIds = new Map<keyof typeof ID_BASE, number>();
  readonly #runNumbers = new Map<number, number>();
  readonly #commitsBySha = new Map<string, CommitRecord>();
  readonly #random: () => number;
  #clock: number;
  #version = 0;
  #derived:
    | { version: number; openIssues: number; milestones: Map<number, { open: number; closed: number }> }
    | undefined;

  constructor(options: GithubDatasetOptions) {
    this.owner = options.owner ?? 'octo-org';
    this.name = options.name ?? 'widgets';
    this.fullName = `${this.owner}/${this.name}`;
    this.repoId = options.repoId ?? 600_000_000 + (stableHash(this.fullName) % 100_000_000);
    this.ownerId = options.ownerId ?? 90_000_000 + (stableHash(this.owner) % 1_000_000);
    this.ownerType = options.ownerType ?? 'Organization';
    this.#random = mulberry32(options.seed ?? 1);
    this.#clock = (options.start ?? DEFAULT_START).getTime() - MINUTE;
    this.createdAt = this.#tick();
    this.metadata = {
      description: `The ${this.name} service`,
      homepage: null,
      language: 'TypeScript',
      private: true,
      archived: false,
      fork: false,
      topics: ['api', 'typescript'],
      defaultBranch: 'main',
      ...options.metadata,
    };
    this.users = buildUsers();
    for (const user of this.users) this.#usersByLogin.set(user.login, user);
    this.labels = LABELS.map((label, index) => ({ ...label, id: ID_BASE.label + index }));
    for (const label of this.labels) this.#labelsByName.set(label.name, label);
    this.workflows = [
      {
        id: 61_000_001,
        name: 'CI',
        path: '.github/workflows/ci.yml',
        createdAt: this.createdAt,
        updatedAt: this.createdAt,
      },
      {
        id: 61_000_002,
        name: 'Deploy to production',
        path: '.github/workflows/deploy.yml',
        createdAt: this.createdAt,
        updatedAt: this.createdAt,
      },
    ];
    this.milestones = ['v1.0', 'v1.1'].map((title, index) => ({
      id: this.#nextId('milestone'),
      number: index + 1,
      title,
      description: `Everything planned for ${title}`,
      creator: 'alice',
      state: 'open' as const,
      createdAt: this.createdAt,
      updatedAt: this.createdAt,
      closedAt: null,
      dueOn: this.createdAt + (index + 1) * 90 * 24 * 60 * MINUTE,
    }));
    this.#generate(options.sizes, options.runsInProgress);
  }

  /** Bumped by every mutation; caches of sorted listings key on it. */
  get version(): number {
    return this.#version;
  }

  /** The latest moment the dataset has seen (its "now"). */
  get now(): Date {
    return new Date(this.#clock);
  }

  // -------------------------------------------------------------------------------------------
  // Generation

  #generate(sizes: DatasetSizes, runsInProgress: readonly number[] | undefined): void {
    const commentsPerIssue = sizes.commentsPerIssue ?? 2;
    const commitsPerPull = sizes.commitsPerPullRequest ?? 3;
    const reviewsPerPull = sizes.reviewsPerPullRequest ?? 1;
    const reviewCommentsPerPull = sizes.reviewCommentsPerPullRequest ?? 1;

    for (let index = 0; index < (sizes.commits ?? 20); index += 1) {
      // Every tenth commit comes from an email linked to no account: `author` is null then.
      const unlinked = index % 10 === 9;
      const author = unlinked ? null : this.#pickHuman();
      this.#appendDefaultCommit(
        `${index === 0 ? 'Initial commit' : commitMessage(this.#pick(SUBJECTS), index)}`,
        author,
      );
    }

    // Phase 1: issues and pull requests open, numbered in one sequence as GitHub numbers them.
    const total = sizes.issues + sizes.pullRequests;
    const plans: { record: IssueRecord; close: 'completed' | 'not_planned' | 'merged' | 'closed' | null }[] = [];
    let issueOrdinal = 0;
    let pullOrdinal = 0;
    for (let index = 0; index < total; index += 1) {
      // Spread pull requests evenly among the numbers.
      const isPull =
        Math.floor(((index + 1) * sizes.pullRequests) / total) > Math.floor((index * sizes.pullRequests) / total);
      if (isPull) {
        plans.push(this.#createPull(index + 1, pullOrdinal, commitsPerPull));
        pullOrdinal += 1;
      } else {
        plans.push(this.#createIssue(index + 1, issueOrdinal));
        issueOrdinal += 1;
      }
    }

    // Phase 2: the activity on them, in a shuffled order, so "recently updated" differs from "recently created".
    const activity = shuffle(plans, this.#random);
    const halfway = Math.floor(activity.length / 2);
    for (const [index, plan] of activity.entries()) {
      if (index === halfway && sizes.bulkEditedIssues) {
        // Issues whose activity is over, so that the bulk edit stays their last change.
        const done = activity.slice(0, halfway).filter((candidate) => !candidate.record.pull);
        const numbers = done.slice(0, sizes.bulkEditedIssues).map((candidate) => candidate.record.number);
        this.bulkEdit(numbers, { addLabels: ['needs-triage'] });
      }
      const { record } = plan;
      for (let index = 0; index < commentsPerIssue; index += 1) this.#addComment(record, this.#pickHuman());
      if (record.pull) this.#addReviews(record, reviewsPerPull, reviewCommentsPerPull, plan.close === 'merged');
      if (plan.close === 'completed' || plan.close === 'not_planned') {
        this.#close(record, this.#tick(), plan.close, this.#pickMember());
      } else if (plan.close === 'merged') {
        this.#merge(record, this.#tick(), this.#pickMember());
      } else if (plan.close === 'closed') {
        this.#close(record, this.#tick(), null, record.author);
      }
    }

    // Reviews started and not submitted: nothing else about the pull request changes.
    const pendingOn = this.issues.filter(
      (record) => record.pull && record.state === 'open' && record.author !== 'alice',
    );
    for (const record of pendingOn.slice(0, sizes.pendingReviews ?? 0)) {
      record.pull!.reviews.push({
        id: this.#nextId('review'),
        pullNumber: record.number,
        author: 'alice',
        body: '',
        state: 'PENDING',
        submittedAt: null,
        commitId: record.pull!.headSha,
      });
    }

    // Phase 3: CI runs and deployments on the resulting history.
    const runCount = sizes.workflowRuns ?? 6;
    const openPulls = this.issues.filter((record) => record.pull && record.state === 'open');
    const stillGoing = new Set(runsInProgress ?? [runCount - 1]);
    for (let index = 0; index < runCount; index += 1) {
      this.#createRun(index, runCount, sizes.jobsPerRun ?? 2, openPulls, stillGoing.has(index));
    }
    const deploymentCount = sizes.deployments ?? 3;
    for (let index = 0; index < deploymentCount; index += 1) this.#createDeployment(index, deploymentCount);
  }

  #createIssue(number: number, ordinal: number) {
    const labels = ISSUE_LABEL_CYCLE[ordinal % ISSUE_LABEL_CYCLE.length] ?? [];
    const subject = this.#pick(SUBJECTS);
    const author = this.#pickHuman();
    const assigneeCount = ordinal % 4 === 2 ? 2 : ordinal % 4 === 0 ? 0 : 1;
    const createdAt = this.#tick();
    const record: IssueRecord = {
      number,
      id: this.#nextId('issue'),
      title: issueTitle(labels, subject),
      // GitHub returns null, not "", for an issue opened without a description.
      body:
        ordinal % 7 === 6 ? null : `Seen on ${subject}.\n\nSteps to reproduce:\n1. Open ${subject}\n2. Watch it fail`,
      author,
      labels: [...labels],
      assignees: this.#pickHumans(assigneeCount),
      milestone: ordinal % 10 === 4 ? 1 : ordinal % 10 === 9 ? 2 : null,
      state: 'open',
      stateReason: null,
      locked: false,
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      closedBy: null,
      comments: 0,
      deleted: false,
      pull: undefined,
    };
    this.#insertIssue(record);
    // About a third of the issues end closed, one in four of those as not planned.
    const close = ordinal % 3 === 1 ? (ordinal % 12 === 10 ? 'not_planned' : 'completed') : null;
    return { record, close } as const;
  }

  #createPull(number: number, ordinal: number, commitCount: number) {
    const subject = this.#pick(SUBJECTS);
    const author = this.#pickHuman();
    const headRef = `feature/${slug(subject)}-${number}`;
    const baseSha = this.commits.at(-1)?.sha ?? fakeSha(`${this.fullName}:root`);
    const commits: CommitRecord[] = [];
    let parent = baseSha;
    for (let index = 0; index < commitCount; index += 1) {
      const commit = this.#makeCommit(
        index === 0 ? `Start ${subject} change` : `Address review on ${subject} (${index})`,
        author,
        [parent],
        this.#tick(),
      );
      commits.push(commit);
      parent = commit.sha;
    }
    // Fates cycle so that even three pull requests cover open, merged and closed unmerged.
    const fate = (['open', 'merged', 'closed', 'merged', 'draft'] as const)[ordinal % 5] ?? 'open';
    const labels = PULL_LABEL_CYCLE[ordinal % PULL_LABEL_CYCLE.length] ?? [];
    const createdAt = this.#tick();
    const reviewer = this.#pickHumanOtherThan(author);
    const record: IssueRecord = {
      number,
      id: this.#nextId('issue'),
      title: pullTitle(labels, subject),
      body: ordinal % 6 === 5 ? null : `Changes ${subject}.\n\nCloses nothing yet.`,
      author,
      labels: [...labels],
      assignees: [author],
      milestone: ordinal % 8 === 3 ? 1 : null,
      state: 'open',
      stateReason: null,
      locked: false,
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      closedBy: null,
      comments: 0,
      deleted: false,
      pull: {
        id: this.#nextId('pull'),
        headRef,
        headSha: parent,
        baseRef: this.metadata.defaultBranch,
        baseSha,
        draft: fate === 'draft',
        mergedAt: null,
        mergeCommitSha: null,
        mergedBy: null,
        requestedReviewers: fate === 'open' || fate === 'draft' ? [reviewer] : [],
        commits,
        reviews: [],
        reviewComments: [],
      },
    };
    this.#insertIssue(record);
    const close = fate === 'merged' ? 'merged' : fate === 'closed' ? 'closed' : null;
    return { record, close } as const;
  }

  #addReviews(record: IssueRecord, reviewCount: number, commentCount: number, approve: boolean): void {
    const pull = record.pull!;
    const firstSha = pull.commits[0]?.sha ?? pull.headSha;
    const reviewIds: number[] = [];
    for (let index = 0; index < reviewCount; index += 1) reviewIds.push(this.#nextId('review'));
    for (let index = 0; index < Math.max(reviewCount, commentCount > 0 ? 1 : 0); index += 1) {
      const reviewer = this.#pickHumanOtherThan(record.author);
      const reviewId = reviewIds[index] ?? null;
      // Review comments are submitted with a review: distribute them over the reviews.
      for (let comment = index; comment < commentCount; comment += Math.max(reviewCount, 1)) {
        const createdAt = this.#tick();
        const line = 10 + ((comment * 7) % 80);
        const reviewComment: ReviewCommentRecord = {
          id: this.#nextId('reviewComment'),
          pullNumber: record.number,
          reviewId,
          author: reviewer,
          body: comment % 2 === 0 ? 'Could this be a constant?' : 'This needs a test.',
          path: FILES[(record.number + comment) % FILES.length] ?? 'README.md',
          line,
          commitId: pull.headSha,
          originalCommitId: firstSha,
          createdAt,
          updatedAt: createdAt,
        };
        pull.reviewComments.push(reviewComment);
        this.reviewComments.push(reviewComment);
        record.updatedAt = createdAt;
      }
      if (reviewId === null) continue;
      const submittedAt = this.#tick();
      const isLast = index === reviewCount - 1;
      pull.reviews.push({
        id: reviewId,
        pullNumber: record.number,
        author: reviewer,
        body: isLast && approve ? 'LGTM' : index % 2 === 0 ? 'A few comments.' : '',
        state: isLast && approve ? 'APPROVED' : this.#pick(REVIEW_STATES),
        submittedAt,
        commitId: pull.headSha,
      });
      record.updatedAt = submittedAt;
    }
  }

  #createRun(
    index: number,
    runCount: number,
    jobCount: number,
    openPulls: readonly IssueRecord[],
    inProgress: boolean,
  ): void {
    const deploy = index % 2 === 1;
    const workflow = this.workflows[deploy ? 1 : 0]!;
    const pullRecord = !deploy && index % 4 === 2 ? openPulls[index % Math.max(openPulls.length, 1)] : undefined;
    // Newer runs build newer commits of the default branch.
    const commit = pullRecord
      ? pullRecord.pull!.commits.at(-1)
      : this.commits[Math.max(0, this.commits.length - runCount + index)];
    const headSha = pullRecord ? pullRecord.pull!.headSha : (commit?.sha ?? fakeSha(`${this.fullName}:root`));
    const runNumber = (this.#runNumbers.get(workflow.id) ?? 0) + 1;
    this.#runNumbers.set(workflow.id, runNumber);
    const actor = pullRecord ? pullRecord.author : (commit?.authorLogin ?? 'alice');
    const createdAt = this.#tick();
    const conclusion: WorkflowConclusion = index % 5 === 3 ? 'failure' : index % 7 === 5 ? 'cancelled' : 'success';
    const run: RunRecord = {
      id: ID_BASE.run + (index + 1) * 13,
      workflowId: workflow.id,
      name: workflow.name,
      path: workflow.path,
      displayTitle: pullRecord ? pullRecord.title : (commit?.message.split('\n')[0] ?? 'Initial commit'),
      runNumber,
      runAttempt: index % 6 === 4 ? 2 : 1,
      event: pullRecord ? 'pull_request' : deploy && index % 4 === 3 ? 'workflow_dispatch' : 'push',
      status: inProgress ? 'in_progress' : 'completed',
      conclusion: inProgress ? null : conclusion,
      headBranch: pullRecord ? pullRecord.pull!.headRef : this.metadata.defaultBranch,
      headSha,
      checkSuiteId: ID_BASE.checkSuite + (index + 1) * 17,
      actor,
      triggeringActor: actor,
      pullNumbers: pullRecord ? [pullRecord.number] : [],
      createdAt,
      runStartedAt: createdAt,
      updatedAt: createdAt,
      jobs: [],
    };
    const names = deploy ? ['build', 'deploy', 'smoke-test', 'notify'] : ['lint', 'test', 'build', 'e2e'];
    for (let jobIndex = 0; jobIndex < jobCount; jobIndex += 1) {
      const name = names[jobIndex % names.length] ?? `job-${jobIndex}`;
      const startedAt = this.#tick();
      // In a run still going, the first of several jobs is done, the next one running and the rest queued.
      const state: JobRecord['status'] = !inProgress
        ? 'completed'
        : jobIndex === 0 && jobCount > 1
          ? 'completed'
          : jobIndex <= 1
            ? 'in_progress'
            : 'queued';
      const isLast = jobIndex === jobCount - 1;
      const completedAt = state === 'completed' ? this.#tick() : null;
      run.jobs.push({
        id: ID_BASE.job + (index + 1) * 1_000 + jobIndex,
        runId: run.id,
        name: jobCount > names.length ? `${name} (${Math.floor(jobIndex / names.length) + 1})` : name,
        status: state,
        // The run's conclusion is its last job's; the jobs before it passed.
        conclusion: state !== 'completed' ? null : !inProgress && isLast ? conclusion : 'success',
        createdAt,
        startedAt,
        completedAt,
        runnerId: state === 'queued' ? null : 100 + ((index + jobIndex) % 20),
        runnerName: state === 'queued' ? null : `GitHub Actions ${100 + ((index + jobIndex) % 20)}`,
        command: deploy ? `./scripts/${name}.sh` : `npm run ${name}`,
      });
      run.updatedAt = completedAt ?? startedAt;
    }
    this.runs.push(run);
    this.#runsById.set(run.id, run);
  }

  #createDeployment(index: number, deploymentCount: number): void {
    const production = index % 2 === 0;
    const environment = production ? 'production' : 'staging';
    const commit = this.commits[Math.max(0, this.commits.length - deploymentCount + index)];
    const deployRuns = this.runs.filter((run) => run.workflowId === this.workflows[1]!.id);
    const createdAt = this.#tick();
    const deployment: DeploymentRecord = {
      id: ID_BASE.deployment + (index + 1) * 11,
      sha: commit?.sha ?? fakeSha(`${this.fullName}:root`),
      ref: this.metadata.defaultBranch,
      task: 'deploy',
      environment,
      description: `Deploy ${commit?.sha.slice(0, 7) ?? 'HEAD'} to ${environment}`,
      creator: BOT_LOGIN,
      createdAt,
      updatedAt: createdAt,
      production,
      runId: deployRuns.length > 0 ? (deployRuns[index % deployRuns.length]?.id ?? null) : null,
      statuses: [],
    };
    this.deployments.push(deployment);
    this.#deploymentsById.set(deployment.id, deployment);
    this.#addDeploymentStatus(deployment, 'in_progress', 'Deployment started');
    const failed = index % 4 === 3;
    this.#addDeploymentStatus(deployment, failed ? 'failure' : 'success', failed ? 'Smoke test failed' : 'Deployed');
    if (!failed) {
      // A newer successful deployment retires the previous one of the same environment, as GitHub does.
      const previous = this.deployments
        .slice(0, -1)
        .findLast(
          (candidate) => candidate.environment === environment && candidate.statuses.at(-1)?.state === 'success',
        );
      if (previous) this.#addDeploymentStatus(previous, 'inactive', 'Superseded by a newer deployment');
    }
  }

  #addDeploymentStatus(deployment: DeploymentRecord, state: DeploymentState, description: string): void {
    const createdAt = this.#tick();
    deployment.statuses.push({
      id: ID_BASE.deploymentStatus + this.#bump('deploymentStatus'),
      deploymentId: deployment.id,
      state,
      creator: BOT_LOGIN,
      description,
      createdAt,
    });
    deployment.updatedAt = createdAt;
  }

  // -------------------------------------------------------------------------------------------
  // Mutations used by tests

  /**
   * Updates an issue (or the issue side of a pull request: its title, labels, assignees) "now":
   * `updated_at` becomes later than every timestamp in the dataset. Closing sets `closed_at`;
   * reopening clears it.
   */
  touchIssue(
    number: number,
    changes: { title?: string; state?: 'open' | 'closed'; labels?: string[]; assignees?: string[] } = {},
  ): void {
    const record = this.#requireIssue(number);
    const now = this.#tick();
    if (changes.title !== undefined) record.title = changes.title;
    if (changes.labels !== undefined) record.labels = changes.labels.map((name) => this.#ensureLabel(name).name);
    if (changes.assignees !== undefined) record.assignees = [...changes.assignees];
    if (changes.state === 'closed' && record.state === 'open') this.#close(record, now, 'completed', 'alice');
    if (changes.state === 'open' && record.state === 'closed') this.#reopen(record);
    record.updatedAt = now;
    this.#version += 1;
  }

  /**
   * Opens a new issue "now" and returns its number (the next number after every issue and pull
   * request). `author` may be a login without an account here (renamed or removed since), whose
   * `GET /users/{login}` answers 404.
   */
  addIssue(changes: { title?: string; labels?: string[]; author?: string } = {}): number {
    const number = (this.issues.at(-1)?.number ?? 0) + 1;
    const createdAt = this.#tick();
    const record: IssueRecord = {
      number,
      id: this.#nextId('issue'),
      title: changes.title ?? `New issue ${number}`,
      body: 'Opened during the test.',
      author: changes.author ?? this.users[number % MEMBER_COUNT]!.login,
      labels: (changes.labels ?? []).map((name) => this.#ensureLabel(name).name),
      assignees: [],
      milestone: null,
      state: 'open',
      stateReason: null,
      locked: false,
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      closedBy: null,
      comments: 0,
      deleted: false,
      pull: undefined,
    };
    this.#insertIssue(record);
    this.#version += 1;
    return number;
  }

  /** Edits many issues "now" in one go, as GitHub's bulk edit does: they all get one `updated_at`. */
  bulkEdit(numbers: readonly number[], changes: { addLabels?: string[] } = {}): void {
    const now = this.#tick();
    for (const number of numbers) {
      const record = this.#requireIssue(number);
      const added = (changes.addLabels ?? []).map((name) => this.#ensureLabel(name).name);
      record.labels = [...new Set([...record.labels, ...added])];
      record.updatedAt = now;
    }
    this.#version += 1;
  }

  /** Comments on an issue or pull request "now"; bumps its `updated_at` and `comments`. Returns the comment id. */
  addIssueComment(issueNumber: number, body = 'A new comment.'): number {
    const record = this.#requireIssue(issueNumber);
    const comment = this.#addComment(record, 'bob', body);
    this.#version += 1;
    return comment.id;
  }

  /** Changes a pull request "now": close, reopen, merge (which closes it and adds the merge commit), retitle. */
  touchPullRequest(
    number: number,
    changes: { state?: 'open' | 'closed'; merged?: boolean; title?: string } = {},
  ): void {
    const record = this.#requireIssue(number);
    const pull = record.pull;
    if (!pull) throw new Error(`#${number} in ${this.fullName} is an issue, not a pull request`);
    const now = this.#tick();
    if (changes.title !== undefined) record.title = changes.title;
    if (changes.merged && pull.mergedAt === null) {
      if (record.state === 'closed') this.#reopen(record);
      this.#merge(record, now, 'alice');
    } else if (changes.state === 'closed' && record.state === 'open') {
      this.#close(record, now, null, record.author);
    } else if (changes.state === 'open' && record.state === 'closed') {
      if (pull.mergedAt !== null) throw new Error(`#${number} is merged; a merged pull request cannot be reopened`);
      this.#reopen(record);
    }
    record.updatedAt = now;
    this.#version += 1;
  }

  /** Finishes a run "now": every unfinished job completes (the last one failing when the run fails). */
  completeRun(runId: number, conclusion: 'success' | 'failure'): void {
    const run = this.#runsById.get(runId);
    if (!run) throw new Error(`No run ${runId} in ${this.fullName}`);
    const now = this.#tick();
    const unfinished = run.jobs.filter((job) => job.status !== 'completed');
    unfinished.forEach((job, index) => {
      job.status = 'completed';
      job.conclusion = conclusion === 'failure' && index === unfinished.length - 1 ? 'failure' : 'success';
      job.completedAt = now;
      job.runnerId ??= 199;
      job.runnerName ??= 'GitHub Actions 199';
      if (job.startedAt > now) job.startedAt = now;
    });
    if (conclusion === 'failure' && unfinished.length === 0 && run.jobs.length > 0)
      run.jobs.at(-1)!.conclusion = 'failure';
    run.status = 'completed';
    run.conclusion = conclusion;
    run.updatedAt = now;
    this.#version += 1;
  }

  /** Pushes `count` new commits onto the default branch "now"; returns their shas, oldest first. */
  pushCommits(count: number, message = 'Pushed'): string[] {
    const pushed = Array.from({ length: count }, (_, index) =>
      this.#appendDefaultCommit(`${message} (${index + 1})`, this.#pickHuman()),
    );
    this.#version += 1;
    return pushed.map((commit) => commit.sha);
  }

  /**
   * Force-pushes the default branch: its last `count` commits are replaced by as many new ones,
   * and the old ones are collected (GitHub no longer knows them, a comparison with them is a 404).
   */
  rewriteBranch(count: number): void {
    for (const commit of this.commits.splice(-count, count)) this.#commitsBySha.delete(commit.sha);
    for (let index = 0; index < count; index += 1) this.#appendDefaultCommit(`Rewritten (${index + 1})`, 'alice');
    this.#version += 1;
  }

  /** Makes an issue disappear from every listing, as a transfer to another repository does. */
  deleteIssue(number: number): void {
    const record = this.#requireIssue(number);
    if (record.pull) throw new Error(`#${number} is a pull request; only issues can be transferred`);
    record.deleted = true;
    this.#version += 1;
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  /** Numbers of the plain issues still in the repository, ascending. */
  issueNumbers(): number[] {
    return this.issues.filter((record) => !record.deleted && !record.pull).map((record) => record.number);
  }

  /** Numbers of the pull requests, ascending. */
  pullRequestNumbers(): number[] {
    return this.issues.filter((record) => record.pull).map((record) => record.number);
  }

  /** Ids of the workflow runs, oldest first. */
  runIds(): number[] {
    return this.runs.map((run) => run.id);
  }

  /** How many records of each kind the API serves, for tests to compare a sync against. */
  counts(): {
    issues: number;
    pullRequests: number;
    issueComments: number;
    prConversationComments: number;
    /** Submitted reviews (a PENDING one is its author's draft). */
    reviews: number;
    reviewComments: number;
    prCommits: number;
    commits: number;
    runs: number;
    jobs: number;
    deployments: number;
    users: number;
  } {
    let issues = 0;
    let pullRequests = 0;
    let issueComments = 0;
    let prConversationComments = 0;
    let reviews = 0;
    let reviewComments = 0;
    let prCommits = 0;
    for (const record of this.issues) {
      if (record.deleted) continue;
      if (record.pull) {
        pullRequests += 1;
        prConversationComments += record.comments;
        reviews += record.pull.reviews.filter((review) => review.state !== 'PENDING').length;
        reviewComments += record.pull.reviewComments.length;
        prCommits += record.pull.commits.length;
      } else {
        issues += 1;
        issueComments += record.comments;
      }
    }
    return {
      issues,
      pullRequests,
      issueComments,
      prConversationComments,
      reviews,
      reviewComments,
      prCommits,
      commits: this.commits.length === 0 ? 0 : reachableFrom(this, this.commits.at(-1)!).length,
      runs: this.runs.length,
      jobs: this.runs.reduce((sum, run) => sum + run.jobs.length, 0),
      deployments: this.deployments.length,
      users: this.users.length,
    };
  }

  /**
   * How many rows each DevLake domain table must hold for this repository as it is now, from the
   * records alone (see `domainCounts`): what a conformance run holds the connector to.
   */
  domainCounts(): DomainCounts {
    return domainCounts(this);
  }

  /** The issue or pull request with that number, unless deleted. */
  issue(number: number): IssueRecord | undefined {
    const record = this.#issuesByNumber.get(number);
    return record && !record.deleted ? record : undefined;
  }

  run(runId: number): RunRecord | undefined {
    return this.#runsById.get(runId);
  }

  deployment(deploymentId: number): DeploymentRecord | undefined {
    return this.#deploymentsById.get(deploymentId);
  }

  user(login: string): DatasetUser | undefined {
    return this.#usersByLogin.get(login);
  }

  /** The commit with that sha, on the default branch or on a pull request. */
  findCommit(sha: string): CommitRecord | undefined {
    return this.#commitsBySha.get(sha);
  }

  /** Whether a comment is visible: comments of transferred issues leave with them. */
  isVisible(comment: { issueNumber: number } | { pullNumber: number }): boolean {
    const number = 'issueNumber' in comment ? comment.issueNumber : comment.pullNumber;
    return this.#issuesByNumber.get(number)?.deleted === false;
  }

  // -------------------------------------------------------------------------------------------
  // Payloads

  /** The repository as plain fields, with counts derived from the current content. */
  repositoryFields(): RepositoryFields {
    const derived = this.#derivedCounts();
    const lastPush = Math.max(this.commits.at(-1)?.committedAt ?? this.createdAt, this.createdAt);
    return {
      id: this.repoId,
      owner: { login: this.owner, id: this.ownerId, type: this.ownerType },
      name: this.name,
      private: this.metadata.private,
      description: this.metadata.description,
      fork: this.metadata.fork,
      homepage: this.metadata.homepage,
      language: this.metadata.language,
      defaultBranch: this.metadata.defaultBranch,
      topics: this.metadata.topics,
      archived: this.metadata.archived,
      visibility: this.metadata.private ? 'private' : 'public',
      createdAt: this.createdAt,
      updatedAt: Math.max(lastPush, this.createdAt),
      pushedAt: lastPush,
      size: 1_024 + this.commits.length * 13,
      stargazersCount: 42,
      forksCount: 3,
      openIssuesCount: derived.openIssues,
      license: { key: 'mit', name: 'MIT License', spdxId: 'MIT' },
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    };
  }

  /** `GET /repos/{owner}/{repo}`. */
  repositoryPayload(urls: PayloadUrls, organization?: OrganizationFields) {
    return fullRepositoryPayload(this.repositoryFields(), urls, { organization, subscribersCount: 7 });
  }

  /** A repository listing item (`GET /orgs/{org}/repos`). */
  repositoryListingPayload(urls: PayloadUrls) {
    return repositoryPayload(this.repositoryFields(), urls);
  }

  fullUserPayload(login: string, urls: PayloadUrls) {
    const user = this.#usersByLogin.get(login);
    return user ? fullUserPayload(user, urls) : undefined;
  }

  labelPayloads(urls: PayloadUrls) {
    return this.labels.map((label) => labelPayload(this.fullName, label, urls));
  }

  issuePayload(record: IssueRecord, urls: PayloadUrls, options: { withClosedBy?: boolean } = {}) {
    return issuePayload(
      this.fullName,
      {
        id: record.id,
        number: record.number,
        title: record.title,
        body: record.body,
        user: this.#userFields(record.author),
        labels: record.labels.map((name) => this.#ensureLabel(name)),
        assignees: record.assignees.map((login) => this.#userFields(login)),
        milestone: this.#milestoneFields(record.milestone),
        state: record.state,
        stateReason: record.stateReason,
        locked: record.locked,
        comments: record.comments,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        closedAt: record.closedAt,
        authorAssociation: this.#association(record.author),
        pullRequest: record.pull ? { mergedAt: record.pull.mergedAt, draft: record.pull.draft } : undefined,
        closedBy: options.withClosedBy ? (record.closedBy ? this.#userFields(record.closedBy) : null) : undefined,
      },
      urls,
    );
  }

  #pullFields(record: IssueRecord): PullRequestFields {
    const pull = record.pull!;
    return {
      id: pull.id,
      number: record.number,
      title: record.title,
      body: record.body,
      user: this.#userFields(record.author),
      labels: record.labels.map((name) => this.#ensureLabel(name)),
      assignees: record.assignees.map((login) => this.#userFields(login)),
      requestedReviewers: pull.requestedReviewers.map((login) => this.#userFields(login)),
      milestone: this.#milestoneFields(record.milestone),
      state: record.state,
      locked: record.locked,
      draft: pull.draft,
      head: { ref: pull.headRef, sha: pull.headSha },
      base: { ref: pull.baseRef, sha: pull.baseSha },
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      closedAt: record.closedAt,
      mergedAt: pull.mergedAt,
      mergeCommitSha: pull.mergeCommitSha,
      authorAssociation: this.#association(record.author),
    };
  }

  /** A `GET /pulls` item; pass `repository` (from `repositoryFields()`) when rendering many, to derive it once. */
  pullRequestPayload(record: IssueRecord, urls: PayloadUrls, repository = this.repositoryFields()) {
    return pullRequestPayload(repository, this.#pullFields(record), urls);
  }

  /** `GET /pulls/{number}`. */
  pullRequestDetailPayload(record: IssueRecord, urls: PayloadUrls) {
    const pull = record.pull!;
    return pullRequestDetailPayload(
      this.repositoryFields(),
      {
        ...this.#pullFields(record),
        mergedBy: pull.mergedBy ? this.#userFields(pull.mergedBy) : null,
        comments: record.comments,
        reviewComments: pull.reviewComments.length,
        commits: pull.commits.length,
        additions: pull.commits.length * 17,
        deletions: pull.commits.length * 5,
        changedFiles: Math.min(pull.commits.length, FILES.length),
      },
      urls,
    );
  }

  commitPayload(commit: CommitRecord, urls: PayloadUrls) {
    return commitPayload(this.fullName, this.#commitFields(commit), urls);
  }

  issueCommentPayload(comment: IssueCommentRecord, urls: PayloadUrls) {
    return issueCommentPayload(
      this.fullName,
      {
        id: comment.id,
        issueNumber: comment.issueNumber,
        onPullRequest: this.#issuesByNumber.get(comment.issueNumber)?.pull !== undefined,
        user: this.#userFields(comment.author),
        body: comment.body,
        createdAt: comment.createdAt,
        updatedAt: comment.updatedAt,
        authorAssociation: this.#association(comment.author),
      },
      urls,
    );
  }

  reviewPayload(review: ReviewRecord, urls: PayloadUrls) {
    return reviewPayload(
      this.fullName,
      {
        id: review.id,
        pullNumber: review.pullNumber,
        user: this.#userFields(review.author),
        body: review.body,
        state: review.state,
        submittedAt: review.submittedAt,
        commitId: review.commitId,
        authorAssociation: this.#association(review.author),
      },
      urls,
    );
  }

  reviewCommentPayload(comment: ReviewCommentRecord, urls: PayloadUrls) {
    const position = 4 + (comment.line % 6);
    return reviewCommentPayload(
      this.fullName,
      {
        id: comment.id,
        pullNumber: comment.pullNumber,
        reviewId: comment.reviewId,
        user: this.#userFields(comment.author),
        body: comment.body,
        path: comment.path,
        diffHunk: `@@ -${comment.line - 3},6 +${comment.line - 3},8 @@ export function handle(request: Request) {\n   const body = await request.json();\n+  const limit = 100;`,
        position,
        originalPosition: position,
        line: comment.line,
        originalLine: comment.line,
        side: 'RIGHT',
        commitId: comment.commitId,
        originalCommitId: comment.originalCommitId,
        createdAt: comment.createdAt,
        updatedAt: comment.updatedAt,
        authorAssociation: this.#association(comment.author),
      },
      urls,
    );
  }

  workflowPayloads(urls: PayloadUrls) {
    return this.workflows.map((workflow) => workflowPayload(this.fullName, workflow, urls));
  }

  workflowRunPayload(run: RunRecord, urls: PayloadUrls, repository = this.repositoryFields()) {
    const commit = this.findCommit(run.headSha);
    const gitActor = {
      name: commit?.authorName ?? 'Alice Archer',
      email: commit?.authorEmail ?? 'alice@example.com',
      date: commit?.authoredAt ?? run.createdAt,
    };
    return workflowRunPayload(
      repository,
      {
        id: run.id,
        name: run.name,
        workflowId: run.workflowId,
        path: run.path,
        displayTitle: run.displayTitle,
        runNumber: run.runNumber,
        runAttempt: run.runAttempt,
        event: run.event,
        status: run.status,
        conclusion: run.conclusion,
        headBranch: run.headBranch,
        headSha: run.headSha,
        headCommit: {
          id: run.headSha,
          treeId: commit?.treeSha ?? fakeSha(`tree:${run.headSha}`),
          message: commit?.message ?? run.displayTitle,
          timestamp: commit?.committedAt ?? run.createdAt,
          author: gitActor,
          committer: commit
            ? { name: commit.committerName, email: commit.committerEmail, date: commit.committedAt }
            : gitActor,
        },
        checkSuiteId: run.checkSuiteId,
        actor: this.#userFields(run.actor),
        triggeringActor: this.#userFields(run.triggeringActor),
        pullRequests: run.pullNumbers.flatMap((number) => {
          const pull = this.#issuesByNumber.get(number)?.pull;
          return pull
            ? [
                {
                  id: pull.id,
                  number,
                  headRef: pull.headRef,
                  headSha: pull.headSha,
                  baseRef: pull.baseRef,
                  baseSha: pull.baseSha,
                },
              ]
            : [];
        }),
        createdAt: run.createdAt,
        updatedAt: run.updatedAt,
        runStartedAt: run.runStartedAt,
      },
      urls,
    );
  }

  workflowJobPayload(run: RunRecord, job: JobRecord, urls: PayloadUrls) {
    const stepNames = ['Set up job', 'Run actions/checkout@v4', `Run ${job.command}`, 'Complete job'];
    // Steps split the job's time evenly; a running job has finished the steps before its main one.
    const end = job.completedAt ?? job.startedAt + 40_000;
    const slice = Math.max(1_000, Math.floor((end - job.startedAt) / stepNames.length));
    const steps = stepNames.map((name, index) => {
      const startedAt = job.startedAt + index * slice;
      const done = job.status === 'completed' || (job.status === 'in_progress' && index < 2);
      const running = job.status === 'in_progress' && index === 2;
      const failing = job.conclusion === 'failure' && index === 2;
      return {
        name,
        number: index + 1,
        status: done ? ('completed' as const) : running ? ('in_progress' as const) : ('queued' as const),
        conclusion: done
          ? failing
            ? ('failure' as const)
            : job.conclusion === 'failure' && index === 3
              ? ('skipped' as const)
              : ('success' as const)
          : null,
        startedAt: done || running ? startedAt : null,
        completedAt: done ? Math.min(startedAt + slice, end) : null,
      };
    });
    return workflowJobPayload(
      this.fullName,
      {
        id: job.id,
        runId: run.id,
        runAttempt: run.runAttempt,
        workflowName: run.name,
        headBranch: run.headBranch,
        headSha: run.headSha,
        name: job.name,
        status: job.status,
        conclusion: job.conclusion,
        createdAt: job.createdAt,
        startedAt: job.startedAt,
        completedAt: job.completedAt,
        steps: job.status === 'queued' ? [] : steps,
        labels: ['ubuntu-latest'],
        runnerId: job.runnerId,
        runnerName: job.runnerName,
      },
      urls,
    );
  }

  deploymentPayload(deployment: DeploymentRecord, urls: PayloadUrls) {
    return deploymentPayload(
      this.fullName,
      {
        id: deployment.id,
        sha: deployment.sha,
        ref: deployment.ref,
        task: deployment.task,
        payload: {},
        originalEnvironment: deployment.environment,
        environment: deployment.environment,
        description: deployment.description,
        creator: this.#userFields(deployment.creator),
        createdAt: deployment.createdAt,
        updatedAt: deployment.updatedAt,
        transientEnvironment: false,
        productionEnvironment: deployment.production,
      },
      urls,
    );
  }

  deploymentStatusPayload(deployment: DeploymentRecord, status: DeploymentStatusRecord, urls: PayloadUrls) {
    const logUrl =
      deployment.runId === null
        ? `${urls.webUrl}/${this.fullName}/deployments/${deployment.environment}`
        : `${urls.webUrl}/${this.fullName}/actions/runs/${deployment.runId}`;
    return deploymentStatusPayload(
      this.fullName,
      {
        id: status.id,
        deploymentId: deployment.id,
        state: status.state,
        creator: this.#userFields(status.creator),
        description: status.description,
        environment: deployment.environment,
        targetUrl: logUrl,
        logUrl,
        environmentUrl: deployment.production
          ? `https://${this.name}.example.com`
          : `https://${deployment.environment}.${this.name}.example.com`,
        createdAt: status.createdAt,
        updatedAt: status.createdAt,
      },
      urls,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  #tick(): number {
    this.#clock += MINUTE;
    return this.#clock;
  }

  #bump(kind: keyof typeof ID_BASE): number {
    const next = (this.#nextIds.get(kind) ?? 0) + 1;
    this.#nextIds.set(kind, next);
    return next;
  }

  /** Ids grow by small uneven steps, like GitHub's global sequences shared with other repositories. */
  #nextId(kind: keyof typeof ID_BASE): number {
    const ordinal = this.#bump(kind);
    return ID_BASE[kind] + ordinal * 7 + (ordinal % 5);
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)]!;
  }

  #pickHuman(): string {
    return this.users[Math.floor(this.#random() * PEOPLE.length)]!.login;
  }

  #pickMember(): string {
    return this.users[Math.floor(this.#random() * MEMBER_COUNT)]!.login;
  }

  #pickHumanOtherThan(login: string): string {
    const index = this.users.findIndex((user) => user.login === login);
    const offset = 1 + Math.floor(this.#random() * (PEOPLE.length - 1));
    return this.users[(index + offset) % PEOPLE.length]!.login;
  }

  #pickHumans(count: number): string[] {
    const first = Math.floor(this.#random() * PEOPLE.length);
    return Array.from({ length: count }, (_, index) => this.users[(first + index * 3) % PEOPLE.length]!.login);
  }

  #insertIssue(record: IssueRecord): void {
    this.issues.push(record);
    this.#issuesByNumber.set(record.number, record);
  }

  #requireIssue(number: number): IssueRecord {
    const record = this.issue(number);
    if (!record) throw new Error(`No issue or pull request #${number} in ${this.fullName}`);
    return record;
  }

  #addComment(record: IssueRecord, author: string, body?: string): IssueCommentRecord {
    const createdAt = this.#tick();
    const sequence = this.issueComments.length;
    const comment: IssueCommentRecord = {
      id: this.#nextId('issueComment'),
      issueNumber: record.number,
      author,
      body: body ?? (sequence % 3 === 0 ? 'I can reproduce this.' : sequence % 3 === 1 ? 'Fixed on main?' : '+1'),
      createdAt,
      // Every fifth comment was edited half a minute later (still before the next event).
      updatedAt: body === undefined && sequence % 5 === 4 ? createdAt + MINUTE / 2 : createdAt,
    };
    this.issueComments.push(comment);
    record.comments += 1;
    record.updatedAt = comment.updatedAt;
    return comment;
  }

  #close(record: IssueRecord, at: number, reason: 'completed' | 'not_planned' | null, by: string): void {
    record.state = 'closed';
    // Pull requests carry no state_reason; issues closed as done are `completed`.
    record.stateReason = record.pull ? null : (reason ?? 'completed');
    record.closedAt = at;
    record.closedBy = by;
    record.updatedAt = at;
    if (record.pull) record.pull.requestedReviewers = [];
  }

  #reopen(record: IssueRecord): void {
    record.state = 'open';
    record.stateReason = record.pull ? null : 'reopened';
    record.closedAt = null;
    record.closedBy = null;
  }

  #merge(record: IssueRecord, at: number, by: string): void {
    const pull = record.pull!;
    const head = this.commits.at(-1)?.sha ?? pull.baseSha;
    const mergeCommit = this.#makeCommit(
      `Merge pull request #${record.number} from ${this.owner}/${pull.headRef}\n\n${record.title}`,
      by,
      [head, pull.headSha],
      at,
    );
    this.commits.push(mergeCommit);
    pull.mergedAt = at;
    pull.mergeCommitSha = mergeCommit.sha;
    pull.mergedBy = by;
    pull.draft = false;
    this.#close(record, at, null, by);
  }

  #appendDefaultCommit(message: string, author: string | null): CommitRecord {
    const parent = this.commits.at(-1);
    const commit = this.#makeCommit(message, author, parent ? [parent.sha] : [], this.#tick());
    this.commits.push(commit);
    return commit;
  }

  #makeCommit(message: string, author: string | null, parents: string[], at: number): CommitRecord {
    const user = author ? this.#usersByLogin.get(author) : undefined;
    const sha = fakeSha(`${this.fullName}:${message}:${parents.join(',')}:${at}`);
    const name = user?.name ?? 'Release Bot';
    const email = user ? `${user.id}+${user.login}@users.noreply.github.com` : 'release-bot@example.com';
    const commit: CommitRecord = {
      sha,
      treeSha: fakeSha(`tree:${sha}`),
      message,
      authorLogin: user?.login ?? null,
      authorName: name,
      authorEmail: email,
      authoredAt: at,
      committerLogin: user?.login ?? null,
      committerName: name,
      committerEmail: email,
      committedAt: at,
      parents,
    };
    this.#commitsBySha.set(sha, commit);
    return commit;
  }

  #commitFields(commit: CommitRecord): CommitFields {
    return {
      sha: commit.sha,
      treeSha: commit.treeSha,
      message: commit.message,
      author: { name: commit.authorName, email: commit.authorEmail, date: commit.authoredAt },
      committer: { name: commit.committerName, email: commit.committerEmail, date: commit.committedAt },
      authorUser: commit.authorLogin ? this.#userFields(commit.authorLogin) : null,
      committerUser: commit.committerLogin ? this.#userFields(commit.committerLogin) : null,
      parents: commit.parents,
    };
  }

  #ensureLabel(name: string): LabelFields {
    let label = this.#labelsByName.get(name);
    if (!label) {
      // GitHub creates a label on the fly when an issue is given an unknown one.
      label = { id: ID_BASE.label + this.labels.length, name, color: 'ededed', description: null, default: false };
      this.labels.push(label);
      this.#labelsByName.set(name, label);
    }
    return label;
  }

  #userFields(login: string): UserFields {
    const user = this.#usersByLogin.get(login);
    return user ? { login: user.login, id: user.id, type: user.type } : { login, id: stableHash(login), type: 'User' };
  }

  #association(login: string): AuthorAssociation {
    return this.#usersByLogin.get(login)?.association ?? 'NONE';
  }

  #milestoneFields(number: number | null): MilestoneFields | null {
    if (number === null) return null;
    const milestone = this.milestones.find((candidate) => candidate.number === number);
    if (!milestone) return null;
    const counts = this.#derivedCounts().milestones.get(number) ?? { open: 0, closed: 0 };
    return {
      ...milestone,
      creator: this.#userFields(milestone.creator),
      openIssues: counts.open,
      closedIssues: counts.closed,
    };
  }

  /** Counts over all issues, recomputed once per dataset version rather than once per rendered item. */
  #derivedCounts() {
    if (this.#derived?.version === this.#version) return this.#derived;
    let openIssues = 0;
    const milestones = new Map<number, { open: number; closed: number }>();
    for (const record of this.issues) {
      if (record.deleted) continue;
      if (record.state === 'open') openIssues += 1;
      if (record.milestone === null) continue;
      const counts = milestones.get(record.milestone) ?? { open: 0, closed: 0 };
      if (record.state === 'open') counts.open += 1;
      else counts.closed += 1;
      milestones.set(record.milestone, counts);
    }
    this.#derived = { version: this.#version, openIssues, milestones };
    return this.#derived;
  }
}

function buildUsers(): DatasetUser[] {
  const humans = PEOPLE.map(([login, name, location], index): DatasetUser => {
    const createdAt = Date.UTC(2012 + (index % 8), index, 3 + index, 9, 30, 0);
    return {
      login,
      id: 5_810_000 + index * 3_917,
      type: 'User',
      name,
      company: index < MEMBER_COUNT ? '@octo-org' : null,
      blog: index % 3 === 0 ? `https://${login}.example.com` : '',
      location,
      email: index % 2 === 0 ? `${login}@example.com` : null,
      bio: index % 4 === 1 ? null : `Works on ${SUBJECTS[index % SUBJECTS.length]}.`,
      twitterUsername: null,
      hireable: null,
      publicRepos: 3 + index * 2,
      publicGists: index,
      followers: 10 + index * 5,
      following: index,
      createdAt,
      updatedAt: Date.UTC(2023, 11, 1 + index, 12, 0, 0),
      association: index < MEMBER_COUNT ? 'MEMBER' : 'CONTRIBUTOR',
    };
  });
  const bot: DatasetUser = {
    login: BOT_LOGIN,
    id: 41_898_282,
    type: 'Bot',
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    bio: null,
    publicRepos: 0,
    followers: 0,
    following: 0,
    createdAt: Date.UTC(2018, 6, 30, 16, 0, 0),
    updatedAt: Date.UTC(2019, 8, 1, 12, 0, 0),
    association: 'NONE',
  };
  return [...humans, bot];
}

function issueTitle(labels: readonly string[], subject: string): string {
  if (labels.includes('incident')) return `Outage: ${subject} returning 500s`;
  if (labels.includes('bug')) return `${capitalize(subject)} fails on empty input`;
  if (labels.includes('type/feature')) return `Support filtering in ${subject}`;
  return `Document how ${subject} works`;
}

function pullTitle(labels: readonly string[], subject: string): string {
  if (labels.includes('bug')) return `Fix ${subject} on empty input`;
  if (labels.includes('type/feature')) return `Add filters to ${subject}`;
  return `Refactor ${subject}`;
}

function commitMessage(subject: string, index: number): string {
  const verbs = ['Fix', 'Add', 'Refactor', 'Speed up', 'Test'];
  return `${verbs[index % verbs.length]} ${subject}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** A 40-hex-digit sha, the same for the same input. */
function fakeSha(input: string): string {
  return createHash('sha1').update(input).digest('hex');
}

/** A small, stable, non-negative hash of a string (FNV-1a). */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A seeded pseudo-random generator (mulberry32): the same seed, the same dataset. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
