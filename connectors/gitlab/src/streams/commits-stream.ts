import { ApiError, type CollectContext, defineStream, extractRow, nextPageHeader, paginate } from '@lake/sdk';
import { projectOf } from '../lookups.js';
import { type GitlabTypes, projectPath } from '../settings.js';
import { commitParentsTable, commitsTable } from '../tables/commit-tables.js';
import { PAGE_SIZE } from './updated-after.js';

/**
 * Where the default branch stood when the last run finished (everything it reaches is in the
 * lake) and, while a run is unfinished, the commit it reads up to and its next page.
 */
export interface CommitsState {
  head?: string;
  run?: CommitsRun;
}

interface CommitsRun {
  /** The branch's head when the run started: every page is asked of this commit, not of the moving branch. */
  target: string;
  /** Reading `compare?from=<head>&to=<target>` rather than the whole history. */
  compare: boolean;
  page: number;
}

interface CommitPayload {
  id: string;
  committed_date?: string;
  parent_ids?: string[];
}

/**
 * Commits of the default branch. A listing by date (`since`, what DevLake's GitLab plugin asks)
 * misses the commits a merge brings in: they were authored, and committed, before the last sync.
 * So the first run lists the history reachable from the branch's head, and later runs ask GitLab
 * to compare the head the last run ended at with the current one, which lists exactly what the
 * new head reaches and the old one did not. A head GitLab no longer knows (force-pushed away)
 * makes the run read the whole history. Pages are asked of the commit the branch pointed at when
 * the run started, so a push while it pages changes nothing, and a resumed run reads the same pages.
 */
export const commitsStream = defineStream<GitlabTypes, CommitsState>({
  name: 'commits',
  description: 'Commits of the default branch (incremental: what its head reaches that the last head did not)',
  incremental: true,
  dependsOn: ['project'],
  tables: [commitsTable, commitParentsTable],
  async *collect(context) {
    const state = context.state ?? {};
    const last = state.head === undefined ? {} : { head: state.head };
    let run = state.run ?? (await startRun(context, state.head));
    if (run === undefined) {
      await context.checkpoint(last);
      return;
    }
    if (run.compare && state.head !== undefined) {
      const compared = await compare(context, state.head, run.target);
      if (compared !== undefined) {
        for (const commit of compared.commits) yield { data: commit, url: compared.url };
        await context.checkpoint({ head: run.target });
        return;
      }
      context.logger.warn(
        'GitLab no longer knows the commit the last sync ended at (force-pushed away?): reading the whole history of the default branch',
        { head: state.head },
      );
      run = { target: run.target, compare: false, page: 1 };
      await context.checkpoint({ ...last, run });
    }
    const timeAfter = context.scopeConfig.timeAfter;
    const request = {
      path: `${projectPath(context.scope)}/repository/commits`,
      searchParams: { ref_name: run.target, ...(timeAfter ? { since: timeAfter } : {}) },
    };
    for await (const listed of paginate<CommitPayload>(
      context.client.api,
      request,
      nextPageHeader({ size: PAGE_SIZE }),
      {
        resume: run.page,
      },
    )) {
      for (const commit of listed.items) yield { data: commit, url: listed.response.url };
      if (listed.next === undefined) break;
      run = { ...run, page: Number(listed.next) };
      await context.checkpoint({ ...last, run });
    }
    await context.checkpoint({ head: run.target });
  },
  extract: async (data, context) => {
    const projectId = (await projectOf(context)).id;
    const commit = data as CommitPayload;
    return [
      extractRow(commitsTable, data, { projectId }),
      ...(commit.parent_ids ?? []).map((parentSha, position) => ({
        table: commitParentsTable,
        row: { projectId, sha: commit.id, parentSha, position },
      })),
    ];
  },
});

/** The run to read up to the default branch's head, or undefined when there is nothing new (or no branch yet). */
async function startRun(
  context: CollectContext<GitlabTypes, CommitsState>,
  head: string | undefined,
): Promise<CommitsRun | undefined> {
  // Asked of GitLab, not of the lake: a branch can be renamed, and this stream may run on its own.
  const project = await context.client.api.get<{ default_branch?: string | null }>(projectPath(context.scope));
  const branch = project.body.default_branch;
  if (!branch) return undefined;
  const path = `${projectPath(context.scope)}/repository/branches/${encodeURIComponent(branch)}`;
  const response = await context.client.api.get<{ commit?: { id?: string } }>(path).catch((error: unknown) => {
    // An empty repository has no branch yet.
    if (error instanceof ApiError && error.code === 'HTTP_NOT_FOUND') return undefined;
    throw error;
  });
  const target = response?.body.commit?.id;
  if (target === undefined || target === head) return undefined;
  return { target, compare: head !== undefined, page: 1 };
}

/** What `to` reaches that `from` does not, in one answer; undefined when GitLab does not know `from`. */
async function compare(
  context: CollectContext<GitlabTypes, CommitsState>,
  from: string,
  to: string,
): Promise<{ commits: CommitPayload[]; url: string } | undefined> {
  const response = await context.client.api
    .get<{ commits?: CommitPayload[] }>(`${projectPath(context.scope)}/repository/compare`, {
      searchParams: { from, to },
    })
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'HTTP_NOT_FOUND') return undefined;
      throw error;
    });
  return response === undefined ? undefined : { commits: response.body.commits ?? [], url: response.url };
}
