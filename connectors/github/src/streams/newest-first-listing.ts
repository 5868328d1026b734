import { type CollectContext, linkHeader, paginate, type RawRecord } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';
import { normalize } from './updated-since-listing.js';

/**
 * State of a listing read newest change first, which GitHub offers without a `since` filter
 * (pull requests): `since`/`seen` is the bookmark of the last completed run; while a run is
 * unfinished, `next` is its next page and `top` the newest change it started from.
 */
export interface NewestFirstState {
  since?: string;
  seen?: number[];
  next?: string;
  top?: { at: string; ids: number[] };
}

interface Listed {
  id: number;
  updated_at: string;
}

/**
 * Reads `sort=updated&direction=desc` until it reaches what the last run already stored.
 * The new bookmark is the newest change seen when this run began: anything changed while it
 * runs moves to the front of the listing, past the point already read, and is newer than the
 * bookmark, so the next run collects it.
 */
export async function* collectNewestFirst<Item extends Listed>(
  context: CollectContext<GithubTypes, NewestFirstState>,
  path: string,
  parameters: Record<string, string | number>,
): AsyncGenerator<RawRecord> {
  const state = context.state ?? {};
  const since = state.since ?? context.scopeConfig.timeAfter;
  const seen = new Set(state.seen ?? []);
  let top = state.top;
  const request = { path, searchParams: { ...parameters, sort: 'updated', direction: 'desc', per_page: 100 } };
  const pages = paginate<Item>(context.client.api, request, linkHeader(), state.next ? { resume: state.next } : {});
  let reachedBookmark = false;
  for await (const page of pages) {
    for (const item of page.items) {
      const updated = normalize(item.updated_at);
      if (since !== undefined && (updated < normalize(since) || (updated === normalize(since) && seen.has(item.id)))) {
        reachedBookmark = true;
        break;
      }
      if (!top) top = { at: item.updated_at, ids: [item.id] };
      else if (updated === normalize(top.at) && !top.ids.includes(item.id)) top.ids.push(item.id);
      yield { data: item, url: page.response.url };
    }
    if (reachedBookmark || page.next === undefined) break;
    await context.checkpoint({
      ...(since === undefined ? {} : { since, seen: [...seen] }),
      next: String(page.next),
      ...(top ? { top } : {}),
    });
  }
  await context.checkpoint(
    top ? { since: top.at, seen: top.ids } : since === undefined ? {} : { since, seen: [...seen] },
  );
}
