import { type CollectContext, defineRestSubstream, defineStream, extractRow, linkHeader } from '@lake/sdk';
import { repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { jobsTable, runsTable } from '../tables/cicd-tables.js';
import { githubTime, instantOf } from './listing-order.js';
import { fetchListingPage } from './listing-page.js';

/**
 * GitHub cancels a workflow run that has not finished 35 days after it was created (its "workflow
 * run time" limit, waiting and approvals included); a run reported unfinished for longer is not
 * going anywhere and no longer holds the window open.
 */
const RUN_LIMIT_MS = 35 * 24 * 3_600_000;

/**
 * Runs change after they are created (queued → in progress → completed), so each sync lists the
 * runs created since the oldest run that was still unfinished last time (or since the newest
 * run, when all had finished). Which of them changed is told by the lake itself: a run whose
 * `updated_at` equals the stored one is not collected again, so its jobs are not read again.
 */
export interface RunsState {
  /** Where the next run's window starts (a created time, as GitHub writes it). */
  createdSince?: string;
  /** While a run is unfinished: the page being read, and what the listing showed so far. */
  run?: RunsWindow;
}

interface RunsWindow {
  page: number;
  oldestUnfinished?: string;
  newestCreated?: string;
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
    let window: RunsWindow = state.run ?? { page: 1 };
    // Saved with every checkpoint: a resumed run lists the window this run started with.
    const bookmark = createdSince === undefined ? {} : { createdSince };
    const abandonedBefore = Date.now() - RUN_LIMIT_MS;
    // The search syntax of `created` takes whole seconds (a bookmark may carry milliseconds).
    const created = createdSince === undefined ? undefined : `>=${githubTime(instantOf(createdSince))}`;
    for (;;) {
      const listed = await fetchListingPage<RunPayload>(context.client.api, {
        path: `${repositoryPath(context.scope)}/actions/runs`,
        searchParams: { per_page: 100, ...(created ? { created } : {}) },
        page: window.page,
        items: (body: { workflow_runs?: unknown }) => body.workflow_runs,
      });
      const stored = context.full ? new Map<number, number>() : await storedUpdates(context, listed.items);
      for (const run of listed.items) {
        window = { ...window, ...windowAfter(window, run, abandonedBefore) };
        if (stored.get(run.id) === instantOf(run.updated_at)) continue;
        yield { data: run, url: listed.url };
        // The page is read again on resume: what it already stored is skipped as unchanged.
        await context.checkpoint({ ...bookmark, run: window });
      }
      if (!listed.hasNext) break;
      window = { ...window, page: window.page + 1 };
      await context.checkpoint({ ...bookmark, run: window });
    }
    const start = window.oldestUnfinished ?? window.newestCreated ?? createdSince;
    await context.checkpoint(start === undefined ? {} : { createdSince: start });
  },
  extract: async (data, context) => extractRow(runsTable, data, { repoId: await repoIdOf(context) }),
});

/** What one run tells about the next window: the oldest run still going, the newest created. */
function windowAfter(window: RunsWindow, run: RunPayload, abandonedBefore: number): Partial<RunsWindow> {
  const created = instantOf(run.created_at);
  const changes: Partial<RunsWindow> = {};
  if (run.status !== 'completed' && created >= abandonedBefore) {
    if (window.oldestUnfinished === undefined || created < instantOf(window.oldestUnfinished))
      changes.oldestUnfinished = run.created_at;
  }
  if (window.newestCreated === undefined || created > instantOf(window.newestCreated))
    changes.newestCreated = run.created_at;
  return changes;
}

/** `updated_at` (epoch milliseconds) of the listed runs the lake already holds, by GitHub id. */
async function storedUpdates(
  context: CollectContext<GithubTypes, RunsState>,
  runs: readonly RunPayload[],
): Promise<Map<number, number>> {
  if (runs.length === 0) return new Map();
  const rows = await context.db
    .selectFrom('_tool_github_runs')
    .select(['github_id', 'run_updated_at'])
    .where('connection_id', '=', context.ids.connectionId)
    .where('repo_id', '=', await repoIdOf(context))
    .where(
      'github_id',
      'in',
      runs.map((run) => run.id),
    )
    .execute();
  return new Map(rows.map((row) => [Number(row.github_id), instantOf(row.run_updated_at)]));
}

/** The jobs of each run changed since the last pass. */
export const workflowJobsStream = defineRestSubstream<GithubTypes>()({
  name: 'workflow_jobs',
  description: 'Jobs of each workflow run (cicd_tasks)',
  incremental: true,
  parent: { stream: 'workflow_runs', table: runsTable },
  tables: [jobsTable],
  path: (context, run) => `${repositoryPath(context.scope)}/actions/runs/${run.github_id}/jobs`,
  searchParams: { per_page: 100, filter: 'latest' },
  paginator: linkHeader(),
  records: '/jobs',
  extract: async (job, context) => extractRow(jobsTable, job, { repoId: await repoIdOf(context) }),
});
