import type { ScopeContext } from '@lake/sdk';
import { jobPath } from '../job-path.js';
import type { JenkinsTypes } from '../settings.js';

interface JobPayload {
  _class?: string;
  fullName?: string;
  jobs?: { fullName?: string; name: string; _class?: string }[];
}

/**
 * The jobs whose builds the scope covers: the job itself, or, for a multibranch pipeline (a job
 * with child jobs), each branch job.
 */
export async function jobsOfScope(context: ScopeContext<JenkinsTypes>): Promise<string[]> {
  const job = context.scope.job;
  const response = await context.client.api.get<JobPayload>(`/${jobPath(job)}api/json`, {
    searchParams: { tree: '_class,fullName,jobs[name,fullName,_class]' },
  });
  const children = response.body.jobs;
  if (!children) return [job];
  return children.map((child) => child.fullName ?? `${job}/${child.name}`);
}

/** A build as the lake holds it: when it started, and whether it was still running. */
export interface StoredBuild {
  startedMs: number;
  building: boolean;
}

/** The builds the lake holds for the scope, per job: what the next sync compares the listing with. */
export async function storedBuilds(
  context: ScopeContext<JenkinsTypes>,
): Promise<Map<string, Map<number, StoredBuild>>> {
  const rows = await context.db
    .selectFrom('_tool_jenkins_builds')
    .select(['job_full_name', 'number', 'started_ms', 'building'])
    .where('connection_id', '=', context.connection.id)
    .where('scope_job', '=', context.scope.job)
    .execute();
  const stored = new Map<string, Map<number, StoredBuild>>();
  for (const row of rows) {
    const job = String(row.job_full_name);
    let builds = stored.get(job);
    if (!builds) {
      builds = new Map();
      stored.set(job, builds);
    }
    builds.set(Number(row.number), {
      startedMs: Number(row.started_ms),
      building: row.building === true || Number(row.building) === 1,
    });
  }
  return stored;
}
