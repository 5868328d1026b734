import { type CollectContext, defineStream } from '@lake/sdk';
import type { JenkinsTypes } from '../settings.js';
import { buildCommitsTable, buildsTable, stagesTable } from '../tables/build-tables.js';
import { extractBuild } from './build-extract.js';
import { listBuilds } from './build-listing.js';
import { type JobMark, planBuilds } from './build-plan.js';
import { readBuilds } from './build-records.js';
import type { BuildRecord } from './jenkins-payloads.js';
import { jobsOfScope, storedBuilds } from './scope-builds.js';

/** What a completed reading leaves: the newest build of each job. */
export interface BuildsState {
  jobs: Record<string, JobMark>;
}

/**
 * Builds of the scope's job (or of each branch job of a multibranch pipeline), each with its
 * Pipeline stages and the revisions it built. Incremental by build number: the listing of
 * numbers is compared with the lake, and only new builds, builds that were running, and
 * builds whose number now names another run are read in full; builds the listing no longer
 * has are deleted from the lake. The marks move only when every job has been read, so a sync
 * stopped half-way compares again and reads what it had not stored.
 */
export const buildsStream = defineStream<JenkinsTypes, BuildsState>({
  name: 'builds',
  description: 'Builds, their Pipeline stages and built commits (cicd_pipelines, cicd_tasks, cicd_pipeline_commits)',
  incremental: true,
  dependsOn: ['job'],
  tables: [buildsTable, stagesTable, buildCommitsTable],
  async *collect(context) {
    const state: BuildsState = context.state ?? { jobs: {} };
    const jobs = await jobsOfScope(context);
    const stored = await storedBuilds(context);
    const marks: Record<string, JobMark> = {};
    for (const job of jobs) {
      yield* syncJob(context, job, stored.get(job) ?? new Map(), state.jobs[job], marks);
      stored.delete(job);
    }
    // Jobs that are gone (a deleted branch of a multibranch pipeline): all their builds.
    for (const [job, builds] of context.full ? [] : stored)
      for (const number of builds.keys()) {
        yield deletedRecord(context, job, number);
        await context.checkpoint(state);
      }
    await context.checkpoint({ jobs: marks });
  },
  extract: (data) => extractBuild(data as BuildRecord),
});

async function* syncJob(
  context: CollectContext<JenkinsTypes, BuildsState>,
  job: string,
  stored: Parameters<typeof planBuilds>[0]['stored'],
  mark: JobMark | undefined,
  marks: Record<string, JobMark>,
) {
  const listed = await listBuilds(context.client.api, job);
  const since = context.scopeConfig.timeAfter ? Date.parse(context.scopeConfig.timeAfter) : 0;
  const plan = planBuilds({ listed, stored, mark, full: context.full, since });
  const unchanged = context.state ?? { jobs: {} };
  // A checkpoint after every record, with the marks as they were: a resumed sync compares the
  // listing with what was stored, and yields other records than the run it resumes; the SDK
  // must never skip any of them as "already committed after the last checkpoint".
  for (const number of plan.deleted) {
    yield deletedRecord(context, job, number);
    await context.checkpoint(unchanged);
  }
  const numbers = listed.map((build) => build.number);
  const reading = { api: context.client.api, job, scopeJob: context.scope.job, numbers, positions: plan.positions };
  for await (const records of readBuilds(reading)) {
    for (const record of records) {
      yield record;
      await context.checkpoint(unchanged);
    }
  }
  const newest = listed[0];
  if (newest) marks[job] = { number: newest.number, timestamp: newest.timestamp };
  else if (mark) marks[job] = mark;
}

function deletedRecord(context: CollectContext<JenkinsTypes, BuildsState>, job: string, number: number) {
  const data: BuildRecord = { job, scopeJob: context.scope.job, deleted: number };
  return { data };
}
