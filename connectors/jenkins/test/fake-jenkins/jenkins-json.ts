import {
  type FakeBuild,
  type FakeJob,
  FREESTYLE_BUILD,
  FREESTYLE_JOB,
  type JenkinsDataset,
  PIPELINE_JOB,
  PIPELINE_RUN,
} from './dataset.js';

const BUILD_DATA = 'hudson.plugins.git.util.BuildData';

/** `job/a/job/b/` of a full name, as Jenkins writes its URLs. */
export const jobUrlPath = (fullName: string) =>
  fullName
    .split('/')
    .map((name) => `job/${encodeURIComponent(name)}/`)
    .join('');

/** A job as `/job/…/api/json` serves it at depth 0 (`allBuilds` only when asked for, newest first). */
export function jobJson(dataset: JenkinsDataset, job: FakeJob, base: string, allBuilds: unknown[] | undefined) {
  const url = `${base}/${jobUrlPath(job.fullName)}`;
  const newestFirst = [...job.builds].reverse();
  const summary = (build: FakeBuild) => ({
    _class: runClassOf(job),
    number: build.number,
    url: `${url}${build.number}/`,
  });
  return {
    _class: job.class,
    name: job.name,
    fullName: job.fullName,
    displayName: job.name,
    description: job.description,
    url,
    ...(job.children.length > 0 || job.class.includes('Folder') || job.class.includes('MultiBranch')
      ? { jobs: job.children.map((child) => itemSummary(dataset.job(child), base)) }
      : {
          buildable: true,
          builds: newestFirst.slice(0, 100).map(summary),
          lastBuild: newestFirst[0] ? summary(newestFirst[0]) : null,
          nextBuildNumber: job.nextBuildNumber,
          ...(allBuilds ? { allBuilds } : {}),
        }),
  };
}

export function itemSummary(job: FakeJob, base: string) {
  return { _class: job.class, name: job.name, fullName: job.fullName, url: `${base}/${jobUrlPath(job.fullName)}` };
}

const runClassOf = (job: FakeJob) => (job.class === PIPELINE_JOB ? PIPELINE_RUN : FREESTYLE_BUILD);

/** A build as `/job/…/<n>/api/json` serves it: its actions include the Git plugin's BuildData per checkout. */
export function buildJson(job: FakeJob, build: FakeBuild, base: string) {
  const url = `${base}/${jobUrlPath(job.fullName)}${build.number}/`;
  const changeSet = {
    _class: 'hudson.plugins.git.GitChangeSetList',
    kind: 'git',
    items: build.revisions.map((revision) => ({
      _class: 'hudson.plugins.git.GitChangeSet',
      commitId: revision.sha,
      msg: revision.message,
      author: { fullName: 'Ada Lovelace' },
      timestamp: build.timestamp - 600_000,
    })),
  };
  return {
    _class: runClassOf(job),
    number: build.number,
    id: String(build.number),
    url,
    displayName: `#${build.number}`,
    fullDisplayName: `${job.fullName.split('/').join(' » ')} #${build.number}`,
    result: build.result,
    building: build.building,
    timestamp: build.timestamp,
    duration: build.duration,
    estimatedDuration: 240_000,
    queueId: 1000 + build.number,
    actions: [
      { _class: 'hudson.model.CauseAction', causes: [{ _class: 'hudson.model.Cause$UserIdCause', userId: 'ada' }] },
      ...build.revisions.map((revision) => ({
        _class: BUILD_DATA,
        buildsByBranchName: {},
        lastBuiltRevision: { SHA1: revision.sha, branch: [{ SHA1: revision.sha, name: revision.branch }] },
        remoteUrls: [revision.remote],
        scmName: '',
      })),
      {},
    ],
    ...(job.class === FREESTYLE_JOB ? { changeSet } : { changeSets: build.revisions.length ? [changeSet] : [] }),
  };
}

/** Pipeline Stage View's `/wfapi/describe` of a run. */
export function describeJson(build: FakeBuild) {
  const status = build.building
    ? 'IN_PROGRESS'
    : build.result === 'FAILURE'
      ? 'FAILED'
      : (build.result ?? 'IN_PROGRESS');
  return {
    _links: { self: { href: `/${build.number}/wfapi/describe` } },
    id: String(build.number),
    name: `#${build.number}`,
    status,
    startTimeMillis: build.timestamp,
    endTimeMillis: build.timestamp + build.duration,
    durationMillis: build.duration,
    queueDurationMillis: 5,
    pauseDurationMillis: 0,
    stages: (build.stages ?? []).map((stage) => ({
      _links: { self: { href: `/execution/node/${stage.id}/wfapi/describe` } },
      ...stage,
      execNode: '',
      pauseDurationMillis: 0,
    })),
  };
}
