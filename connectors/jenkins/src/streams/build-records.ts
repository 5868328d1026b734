import type { ApiClient, RawRecord } from '@lake/sdk';
import { jobPath } from '../job-path.js';
import { rangesOf } from './build-plan.js';
import {
  BUILD_TREE,
  type BuildPayload,
  type BuildRecord,
  isPipelineRun,
  type StagePayload,
} from './jenkins-payloads.js';

/** Builds per `allBuilds[…]{from,to}` page of details (Jenkins loads each build of the range from disk). */
export const DETAIL_PAGE = 100;

export interface JobReading {
  api: ApiClient;
  job: string;
  scopeJob: string;
  /** The listing the positions point into, newest first. */
  numbers: readonly number[];
  positions: readonly number[];
}

/**
 * The wanted builds of a job, a page of positions at a time. The list may have moved since it
 * was listed (new builds push the rest down): a page is matched by build number, never by
 * position, and a wanted build the page does not hold is asked for on its own (a 404 then
 * says it was deleted in the meantime).
 */
export async function* readBuilds(reading: JobReading): AsyncGenerator<RawRecord[]> {
  const { api, job } = reading;
  for (const range of rangesOf(reading.positions, DETAIL_PAGE)) {
    const wanted = new Set(reading.numbers.slice(range.from, range.to));
    const response = await api.get<{ allBuilds?: BuildPayload[] }>(`/${jobPath(job)}api/json`, {
      searchParams: { tree: `allBuilds[${BUILD_TREE}]{${range.from},${range.to}}` },
    });
    const records: RawRecord[] = [];
    for (const build of response.body.allBuilds ?? []) {
      if (!wanted.delete(build.number)) continue;
      records.push(await buildRecord(reading, build));
    }
    for (const number of wanted) {
      const missing = await api.get<BuildPayload>(`/${jobPath(job)}${number}/api/json`, {
        searchParams: { tree: BUILD_TREE },
        allowStatus: [404],
      });
      if (missing.status !== 404) records.push(await buildRecord(reading, missing.body));
    }
    yield records;
  }
}

/**
 * The record of a build, under the build's own API URL whichever range it was read in: a sync
 * resumed after a kill reads other ranges, and stores the same records.
 */
async function buildRecord(reading: JobReading, build: BuildPayload): Promise<RawRecord> {
  const { api, job } = reading;
  const stages = isPipelineRun(build) ? await stagesOf(api, job, build.number) : null;
  const data: BuildRecord = { job, scopeJob: reading.scopeJob, build, stages };
  return { data, url: `${api.baseUrl}/${jobPath(job)}${build.number}/api/json` };
}

/** The Pipeline stages of a run (Pipeline Stage View's `/wfapi/describe`); none when the plugin is missing. */
async function stagesOf(api: ApiClient, job: string, number: number): Promise<StagePayload[] | null> {
  const response = await api.get<{ stages?: StagePayload[] }>(`/${jobPath(job)}${number}/wfapi/describe`, {
    allowStatus: [404],
  });
  return response.status === 404 ? null : (response.body.stages ?? []);
}
