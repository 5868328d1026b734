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
      records.push(await buildRecord(reading, build, response.url));
    }
    for (const number of wanted) {
      const missing = await api.get<BuildPayload>(`/${jobPath(job)}${number}/api/json`, {
        searchParams: { tree: BUILD_TREE },
        allowStatus: [404],
      });
      if (missing.status !== 404) records.push(await buildRecord(reading, missing.body, missing.url));
    }
    yield records;
  }
}

async function buildRecord(reading: JobReading, build: BuildPayload, url: string): Promise<RawRecord> {
  const stages = isPipelineRun(build) ? await stagesOf(reading.api, reading.job, build.number) : null;
  const data: BuildRecord = { job: reading.job, scopeJob: reading.scopeJob, build, stages };
  return { data, url };
}

/** The Pipeline stages of a run (Pipeline Stage View's `/wfapi/describe`); none when the plugin is missing. */
async function stagesOf(api: ApiClient, job: string, number: number): Promise<StagePayload[] | null> {
  const response = await api.get<{ stages?: StagePayload[] }>(`/${jobPath(job)}${number}/wfapi/describe`, {
    allowStatus: [404],
  });
  return response.status === 404 ? null : (response.body.stages ?? []);
}
