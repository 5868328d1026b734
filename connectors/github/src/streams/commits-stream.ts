import { ApiError, type CollectContext, defineStream, extractRow } from '@lake/sdk';
import { defaultBranchOf, repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { commitsTable } from '../tables/commit-tables.js';
import { instantOf } from './listing-order.js';
import { fetchListingPage, type ListingPage } from './listing-page.js';

/**
 * Where the default branch stood when the last run finished — everything reachable from that
 * commit is in the lake — and, while a run is unfinished, the head it reads up to and its next
 * page.
 */
export interface CommitsState {
  head?: string;
  run?: CommitsRun;
}

interface CommitsRun {
  /** The branch's head when the run started: every page is asked of this commit, not of the moving branch. */
  target: string;
  page: number;
  /** Reading `compare/<head>...<target>` (what the last head did not reach), rather than the whole history. */
  compare: boolean;
}

interface CommitPayload {
  sha: string;
  commit: { committer?: { date?: string } };
}

const PER_PAGE = 100;

/**
 * Commits of the default branch. The first run lists the history reachable from the branch's
 * head; later runs ask GitHub to compare the head the last run ended at with the current one,
 * which lists exactly the commits the new head reaches and the old one did not — a merge brings
 * in commits authored long before the last sync, which a listing by commit date (`since`)
 * never shows again. A head GitHub no longer knows (force-pushed away and collected) makes the
 * run read the whole history instead. Every page of a run is asked of the commit the branch
 * pointed at when the run started, so pushes while it pages change nothing, and a resumed run
 * reads the same pages.
 */
export const commitsStream = defineStream<GithubTypes, CommitsState>({
  name: 'commits',
  description: 'Commits of the default branch (incremental: what its head reaches that the last head did not)',
  incremental: true,
  dependsOn: ['repository'],
  tables: [commitsTable],
  async *collect(context) {
    const state = context.state ?? {};
    const last = state.head === undefined ? {} : { head: state.head };
    let run = state.run ?? (await startRun(context, state.head));
    if (run === undefined) {
      await context.checkpoint(last);
      return;
    }
    const timeAfter = context.scopeConfig.timeAfter;
    for (;;) {
      const listed = await readPage(context, state.head, run);
      if (listed === undefined) {
        context.logger.warn(
          'GitHub no longer knows the commit the last sync ended at (force-pushed away?): reading the whole history of the default branch',
          { head: state.head ?? null },
        );
        run = { ...run, page: 1, compare: false };
        await context.checkpoint({ ...last, run });
        continue;
      }
      for (const commit of listed.items) {
        // A whole-history listing leaves out what is older than timeAfter (`since`); a comparison does it here.
        if (run.compare && timeAfter && instantOf(commit.commit.committer?.date) < instantOf(timeAfter)) continue;
        yield { data: commit, url: listed.url };
      }
      if (!listed.hasNext) break;
      run = { ...run, page: run.page + 1 };
      await context.checkpoint({ ...last, run });
    }
    await context.checkpoint({ head: run.target });
  },
  extract: async (data, context) => extractRow(commitsTable, data, { repoId: await repoIdOf(context) }),
});

/** The run to read up to the default branch's head, or undefined when there is nothing new (or no branch yet). */
async function startRun(
  context: CollectContext<GithubTypes, CommitsState>,
  head: string | undefined,
): Promise<CommitsRun | undefined> {
  const branch = await defaultBranchOf(context);
  if (branch === undefined) return undefined;
  const path = `${repositoryPath(context.scope)}/branches/${encodeURIComponent(branch)}`;
  const response = await context.client.api.get<{ commit?: { sha?: string } }>(path).catch((error: unknown) => {
    // An empty repository has no branch yet.
    if (error instanceof ApiError && error.code === 'HTTP_NOT_FOUND') return undefined;
    throw error;
  });
  const target = response?.body.commit?.sha;
  if (target === undefined || target === head) return undefined;
  return { target, page: 1, compare: head !== undefined };
}

/** A page of the run's listing; undefined when the comparison's base is unknown to GitHub. */
async function readPage(
  context: CollectContext<GithubTypes, CommitsState>,
  head: string | undefined,
  run: CommitsRun,
): Promise<ListingPage<CommitPayload> | undefined> {
  const base = repositoryPath(context.scope);
  const timeAfter = context.scopeConfig.timeAfter;
  if (!run.compare || head === undefined) {
    return fetchListingPage<CommitPayload>(context.client.api, {
      path: `${base}/commits`,
      searchParams: { sha: run.target, per_page: PER_PAGE, ...(timeAfter ? { since: timeAfter } : {}) },
      page: run.page,
    });
  }
  return fetchListingPage<CommitPayload>(context.client.api, {
    path: `${base}/compare/${head}...${run.target}`,
    searchParams: { per_page: PER_PAGE },
    page: run.page,
    items: (body: { commits?: unknown }) => body.commits,
  }).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'HTTP_NOT_FOUND') return undefined;
    throw error;
  });
}
