import { type CollectContext, linkHeader, paginate, type RawRecord } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';

/**
 * State of a listing read oldest-change first: everything updated before `since`, and the
 * items at exactly `since` listed in `seen`, are in the lake; `next` is where an unfinished
 * run goes on.
 */
export interface UpdatedSinceState {
  since?: string;
  seen?: number[];
  next?: string;
}

interface Listed {
  id: number;
  updated_at: string;
}

export interface UpdatedSinceOptions<Item> {
  /** Items to store; the others still move the bookmark (the issues listing includes pull requests). */
  keep?: (item: Item) => boolean;
  /** Pages fetched at once (GitHub's `rel="last"` makes later pages known). Default 8. */
  concurrency?: number;
}

/**
 * Reads a listing GitHub sorts by `updated` with a `since` filter (issues, issue comments,
 * review comments): oldest change first, a checkpoint after every page. GitHub's `since` is
 * inclusive, so items at exactly the bookmark that were already stored are skipped: an
 * unchanged repository re-collects nothing.
 */
export async function* collectUpdatedSince<Item extends Listed>(
  context: CollectContext<GithubTypes, UpdatedSinceState>,
  path: string,
  parameters: Record<string, string | number>,
  options: UpdatedSinceOptions<Item> = {},
): AsyncGenerator<RawRecord> {
  const state = context.state ?? {};
  const since = state.since ?? context.scopeConfig.timeAfter;
  const seen = new Set(state.seen ?? []);
  let high = { at: since ?? '', ids: [...seen] };
  const request = {
    path,
    searchParams: { ...parameters, sort: 'updated', direction: 'asc', per_page: 100, ...(since ? { since } : {}) },
  };
  const pages = paginate<Item>(context.client.api, request, linkHeader(), {
    ...(state.next ? { resume: state.next } : {}),
    concurrency: options.concurrency ?? 8,
  });
  for await (const page of pages) {
    for (const item of page.items) {
      const updated = normalize(item.updated_at);
      if (since !== undefined && (updated < normalize(since) || (updated === normalize(since) && seen.has(item.id))))
        continue;
      if (updated > normalize(high.at)) high = { at: item.updated_at, ids: [item.id] };
      else if (updated === normalize(high.at)) high.ids.push(item.id);
      if (options.keep && !options.keep(item)) continue;
      yield { data: item, url: page.response.url };
    }
    await context.checkpoint({
      ...(high.at ? { since: high.at, seen: high.ids } : {}),
      ...(page.next === undefined ? {} : { next: String(page.next) }),
    });
  }
}

/** GitHub writes `2024-01-01T10:00:00Z`; a bookmark may carry milliseconds or an offset. Compare instants as sortable text. */
export function normalize(time: string): string {
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? time : new Date(parsed).toISOString();
}
