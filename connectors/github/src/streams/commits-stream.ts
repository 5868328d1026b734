import { defineStream, extractRow, linkHeader, paginate } from '@lake/sdk';
import { repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { commitsTable } from '../tables/commit-tables.js';
import { normalize } from './listing-order.js';

/** Bookmark: the newest commit date stored, with the shas at exactly that date; `next`/`top` while a run is unfinished. */
export interface CommitsState {
  since?: string;
  seen?: string[];
  next?: string;
  top?: { at: string; shas: string[] };
}

interface CommitPayload {
  sha: string;
  commit: { committer?: { date?: string } };
}

/** Commits of the default branch, filtered server-side with `since` (the commit date). */
export const commitsStream = defineStream<GithubTypes, CommitsState>({
  name: 'commits',
  description: 'Commits of the default branch (incremental by commit date)',
  incremental: true,
  dependsOn: ['repository'],
  tables: [commitsTable],
  async *collect(context) {
    const state = context.state ?? {};
    const since = state.since ?? context.scopeConfig.timeAfter;
    const seen = new Set(state.seen ?? []);
    let top = state.top;
    const request = {
      path: `${repositoryPath(context.scope)}/commits`,
      searchParams: { per_page: 100, ...(since ? { since } : {}) },
    };
    for await (const page of paginate<CommitPayload>(
      context.client.api,
      request,
      linkHeader(),
      state.next ? { resume: state.next } : {},
    )) {
      for (const commit of page.items) {
        const date = commit.commit.committer?.date ?? '';
        if (since !== undefined && normalize(date) === normalize(since) && seen.has(commit.sha)) continue;
        // Listed newest first, but merges bring older dates in between: track the newest date anywhere.
        if (!top || normalize(date) > normalize(top.at)) top = { at: date, shas: [commit.sha] };
        else if (normalize(date) === normalize(top.at)) top.shas.push(commit.sha);
        yield { data: commit, url: page.response.url };
      }
      if (page.next !== undefined) {
        await context.checkpoint({
          ...(since ? { since, seen: [...seen] } : {}),
          next: String(page.next),
          ...(top ? { top } : {}),
        });
      }
    }
    await context.checkpoint(top ? { since: top.at, seen: top.shas } : since ? { since, seen: [...seen] } : {});
  },
  extract: async (data, context) => extractRow(commitsTable, data, { repoId: await repoIdOf(context) }),
});
