import { createHash } from 'node:crypto';

export const PIPELINE_JOB = 'org.jenkinsci.plugins.workflow.job.WorkflowJob';
export const PIPELINE_RUN = 'org.jenkinsci.plugins.workflow.job.WorkflowRun';
export const FREESTYLE_JOB = 'hudson.model.FreeStyleProject';
export const FREESTYLE_BUILD = 'hudson.model.FreeStyleBuild';
export const FOLDER = 'com.cloudbees.hudson.plugins.folder.Folder';
export const MULTIBRANCH = 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject';

export const APP_REPO = 'https://git.example.com/acme/app.git';
export const INFRA_REPO = 'https://git.example.com/acme/infra.git';
const START = Date.parse('2026-01-05T08:00:00Z');
const HOUR = 3_600_000;

export type StageStatus = 'SUCCESS' | 'FAILED' | 'ABORTED' | 'IN_PROGRESS' | 'NOT_EXECUTED';

export interface FakeStage {
  id: string;
  name: string;
  status: StageStatus;
  startTimeMillis: number;
  durationMillis: number;
}

export interface FakeRevision {
  sha: string;
  remote: string;
  branch: string;
  message: string;
}

export interface FakeBuild {
  number: number;
  timestamp: number;
  duration: number;
  result: 'SUCCESS' | 'FAILURE' | 'ABORTED' | null;
  building: boolean;
  stages: FakeStage[] | null;
  revisions: FakeRevision[];
}

export interface FakeJob {
  fullName: string;
  name: string;
  class: string;
  description: string;
  /** Full names of child items (folders and multibranch pipelines). */
  children: string[];
  /** Oldest first. */
  builds: FakeBuild[];
  nextBuildNumber: number;
}

export const STAGE_NAMES = ['Checkout', 'Build', 'Test', 'Deploy to production'];

const shaOf = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A Jenkins instance's items and builds: folders, Pipeline and freestyle jobs, multibranch
 * pipelines whose branches are child jobs. Every build is derived from its job, number and the
 * job's generation, so two fakes made alike serve the same bytes. The mutators do what happens
 * between syncs: builds start, finish, get deleted (log rotation), and a job is deleted and
 * created again (its numbering starts over).
 */
export class JenkinsDataset {
  readonly jobs = new Map<string, FakeJob>();
  #clock: number;
  readonly #step: number;
  #generation = 0;

  /** Builds start `stepMs` apart (default an hour), the first `stepMs` after `start` (default 2026-01-05 08:00 UTC). */
  constructor(options: { start?: number; stepMs?: number } = {}) {
    this.#clock = options.start ?? START;
    this.#step = options.stepMs ?? HOUR;
  }

  addFolder(fullName: string, itemClass = FOLDER): this {
    this.#add(fullName, itemClass);
    return this;
  }

  addJob(fullName: string, itemClass: string, builds: number, options: { running?: number } = {}): this {
    this.#add(fullName, itemClass);
    for (let index = 0; index < builds; index += 1) this.startBuild(fullName, index >= builds - (options.running ?? 0));
    return this;
  }

  job(fullName: string): FakeJob {
    const job = this.jobs.get(fullName);
    if (!job) throw new Error(`no job ${fullName}`);
    return job;
  }

  /** Starts the job's next build: running, or already finished with its outcome. */
  startBuild(fullName: string, running = false): FakeBuild {
    const job = this.job(fullName);
    const number = job.nextBuildNumber;
    job.nextBuildNumber += 1;
    this.#clock += this.#step;
    const seed = `${fullName}#${number}@${this.#generation}`;
    const build: FakeBuild = {
      number,
      timestamp: this.#clock,
      duration: 0,
      result: null,
      building: true,
      stages: job.class === PIPELINE_JOB ? [] : null,
      revisions: revisionsOf(seed, number),
    };
    job.builds.push(build);
    if (!running) finish(build, outcomeOf(number));
    else if (build.stages) build.stages.push(stage(build, 0, 'IN_PROGRESS'));
    return build;
  }

  /** Finishes every running build of the job. */
  finishRunning(fullName: string): number {
    const running = this.job(fullName).builds.filter((build) => build.building);
    for (const build of running) finish(build, outcomeOf(build.number));
    return running.length;
  }

  deleteBuild(fullName: string, number: number): void {
    const job = this.job(fullName);
    job.builds = job.builds.filter((build) => build.number !== number);
  }

  /** The job deleted and created again: its builds gone, numbering from 1, new runs. */
  recreate(fullName: string, builds: number): void {
    const job = this.job(fullName);
    this.#generation += 1;
    job.builds = [];
    job.nextBuildNumber = 1;
    for (let index = 0; index < builds; index += 1) this.startBuild(fullName);
  }

  /** The jobs whose builds a scope covers (a multibranch pipeline's branch jobs). */
  buildJobs(scopeJob: string): FakeJob[] {
    const job = this.job(scopeJob);
    return job.class === MULTIBRANCH ? job.children.map((child) => this.job(child)) : [job];
  }

  /** Domain rows a sync of the scope must hold, counted from the builds served. */
  domainCounts(scopeJob: string): Record<string, number> {
    const builds = this.buildJobs(scopeJob).flatMap((job) => job.builds);
    return {
      cicd_scopes: 1,
      cicd_pipelines: builds.length,
      cicd_tasks: builds.reduce((sum, build) => sum + Math.max(1, build.stages?.length ?? 0), 0),
      cicd_pipeline_commits: builds.reduce((sum, build) => sum + new Set(build.revisions.map((r) => r.sha)).size, 0),
    };
  }

  #add(fullName: string, itemClass: string): FakeJob {
    const slash = fullName.lastIndexOf('/');
    const parent = slash < 0 ? undefined : fullName.slice(0, slash);
    if (parent !== undefined) this.job(parent).children.push(fullName);
    const job: FakeJob = {
      fullName,
      name: fullName.slice(slash + 1),
      class: itemClass,
      description: `The ${fullName} job`,
      children: [],
      builds: [],
      nextBuildNumber: 1,
    };
    this.jobs.set(fullName, job);
    return job;
  }
}

type Outcome = 'SUCCESS' | 'FAILURE' | 'ABORTED';

/** Every 7th build fails its tests; every 11th is aborted while deploying. */
function outcomeOf(number: number): Outcome {
  if (number % 7 === 3) return 'FAILURE';
  if (number % 11 === 5) return 'ABORTED';
  return 'SUCCESS';
}

function stage(build: FakeBuild, index: number, status: StageStatus): FakeStage {
  return {
    id: String(6 + index * 7),
    name: STAGE_NAMES[index]!,
    status,
    startTimeMillis: build.timestamp + index * 60_000,
    durationMillis: status === 'IN_PROGRESS' || status === 'NOT_EXECUTED' ? 0 : 55_000,
  };
}

function finish(build: FakeBuild, outcome: Outcome): void {
  build.building = false;
  build.result = outcome;
  build.duration = STAGE_NAMES.length * 60_000;
  if (!build.stages) return;
  const failedAt = outcome === 'FAILURE' ? 2 : outcome === 'ABORTED' ? 3 : STAGE_NAMES.length;
  build.stages = STAGE_NAMES.map((_, index) => {
    if (index < failedAt) return stage(build, index, 'SUCCESS');
    if (index === failedAt) return stage(build, index, outcome === 'FAILURE' ? 'FAILED' : 'ABORTED');
    return stage(build, index, 'NOT_EXECUTED');
  });
}

/** The app repository's revision; every 5th build also checks out the infra repository. */
function revisionsOf(seed: string, number: number): FakeRevision[] {
  const app = {
    sha: shaOf(`app ${seed}`),
    remote: APP_REPO,
    branch: 'refs/remotes/origin/main',
    message: `Change ${seed}`,
  };
  if (number % 5 !== 0) return [app];
  return [
    app,
    { sha: shaOf(`infra ${seed}`), remote: INFRA_REPO, branch: 'refs/remotes/origin/main', message: `Infra ${seed}` },
  ];
}
