import { defineStream, defineSubstream, extractRow, linkHeader, paginate } from '@lake/sdk';
import { repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { jobsTable, runsTable } from '../tables/cicd-tables.js';
import { normalize } from './updated-since-listing.js';

/** Runs stuck unfinished for longer than this no longer hold the window open. */
const STUCK_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * Runs change after they are created (queued → in progress → completed), so each sync lists
 * runs created since the oldest run that was still unfinished last time (or since the newest
 * run, when all had finished). `known` holds the `updated_at` of the runs that window lists
 * again, so that unchanged runs are not collected twice.
 */
export interface RunsState {
  createdSince?: string;
  known?: Record<string, string>;
  next?: string;
  /** While a run is unfinished: what it has learnt so far. */
  pending?: RunsWindow;
}

interface RunsWindow {
  oldestUnfinished?: string;
  newestCreated?: string;
  /** Run id → [created_at, updated_at] of runs the next window may list again. */
  seen: Record<string, [string, string]>;
}

interface RunPayload {
  id: number;
  status: string;
  created_at: string;
  updated_at: string;
}

export const workflowRunsStream = defineStream<GithubTypes, RunsState>({
  name: 'workflow_runs',
  description: 'GitHub Actions workflow runs (cicd_pipelines, with their commits); re-read until they finish',
  incremental: true,
  dependsOn: ['repository'],
  tables: [runsTable],
  async *collect(context) {
    const state = context.state ?? {};
    const createdSince = state.createdSince ?? context.scopeConfig.timeAfter;
    const known = state.known ?? {};
    const window: RunsWindow = state.pending ?? { seen: {} };
    const stuckBefore = new Date(Date.now() - STUCK_AFTER_MS).toISOString();
    const request = {
      path: `${repositoryPath(context.scope)}/actions/runs`,
      searchParams: { per_page: 100, ...(createdSince ? { created: `>=${createdSince}` } : {}) },
    };
    const strategy = linkHeader<RunPayload>({ items: (body: { workflow_runs: unknown }) => body.workflow_runs });
    for await (const page of paginate<RunPayload>(
      context.client.api,
      request,
      strategy,
      state.next ? { resume: state.next } : {},
    )) {
      for (const run of page.items) {
        const created = normalize(run.created_at);
        if (run.status !== 'completed' && created >= stuckBefore) {
          if (!window.oldestUnfinished || created < window.oldestUnfinished) window.oldestUnfinished = created;
        }
        if (!window.newestCreated || created > window.newestCreated) window.newestCreated = created;
        // Only runs of the last week (or at the newest instant) can fall in the next window.
        if (created >= stuckBefore || created === window.newestCreated)
          window.seen[String(run.id)] = [created, run.updated_at];
        if (known[String(run.id)] === run.updated_at) continue;
        yield { data: run, url: page.response.url };
      }
      if (page.next !== undefined) await context.checkpoint({ ...state, next: String(page.next), pending: window });
    }
    const start = window.oldestUnfinished ?? window.newestCreated ?? createdSince;
    const again = Object.entries(window.seen).filter(
      ([, [created]]) => start === undefined || created >= normalize(start),
    );
    await context.checkpoint({
      ...(start ? { createdSince: start } : {}),
      known: Object.fromEntries(again.map(([id, [, updated]]) => [id, updated])),
    });
  },
  extract: async (data, context) => extractRow(runsTable, data, { repoId: await repoIdOf(context) }),
});

/** The jobs of each run changed since the last pass. */
export const workflowJobsStream = defineSubstream<GithubTypes>()({
  name: 'workflow_jobs',
  description: 'Jobs of each workflow run (cicd_tasks)',
  incremental: true,
  parent: { stream: 'workflow_runs', table: runsTable },
  tables: [jobsTable],
  async *collect(context, run) {
    const path = `${repositoryPath(context.scope)}/actions/runs/${run.github_id}/jobs`;
    const strategy = linkHeader({ items: (body: { jobs: unknown }) => body.jobs });
    for await (const page of paginate(
      context.client.api,
      { path, searchParams: { per_page: 100, filter: 'latest' } },
      strategy,
    )) {
      for (const job of page.items) yield { data: job, url: page.response.url };
    }
  },
  extract: async (data, context) => extractRow(jobsTable, data, { repoId: await repoIdOf(context) }),
});
