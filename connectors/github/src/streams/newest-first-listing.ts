import type { CollectContext, RawRecord } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';
import { type Bookmark, laterBookmark, type Newest, withNewest } from './bookmark.js';
import { instantOf, listsNewestFirst } from './listing-order.js';
import { ahead, fetchListingPage } from './listing-page.js';

/**
 * State of a listing read newest change first, which GitHub offers without a `since` filter
 * (pull requests): the top-level bookmark is the last completed run's; `run` is set while a run
 * is unfinished.
 */
export interface NewestFirstState extends Bookmark {
  run?: {
    /** The page being read. */
    page: number;
    /** The newest change read so far: the next bookmark. */
    top?: Newest;
    /** Set once a page showed that the server does not honour the order: read to the end. */
    distrust?: boolean;
    /** Ids of the page being read already stored: a resumed run reads the page again and skips them. */
    done?: number[];
  };
}

interface Listed {
  id: number;
  updated_at: string;
}

const PER_PAGE = 100;

/**
 * Reads `sort=updated&direction=desc` until it reaches what the last run already stored. The new
 * bookmark is the newest change read, the first item of a run that the order held for: anything
 * changed while the run pages moves to the front of the listing, past the point already read,
 * and is newer than the bookmark, so the next run collects it.
 *
 * Stopping at the bookmark relies on the order, so every page must prove it: `updated_at` never
 * going up, within the page and from the page before. A page that does not shows that the server
 * does not honour the order: the run (resumed runs too) then reads to the end instead of
 * stopping, leaving out only what is older than the bookmark (unchanged since it was stored).
 * A checkpoint follows every item and names the page being read and the items of it already
 * stored: a resumed run reads the page again and skips those, by id rather than by position, so
 * it neither stores an item twice nor depends on the server answering the page the same way.
 */
export async function* collectNewestFirst<Item extends Listed>(
  context: CollectContext<GithubTypes, NewestFirstState>,
  path: string,
  parameters: Record<string, string | number>,
): AsyncGenerator<RawRecord> {
  const saved = context.state ?? {};
  const since = saved.since ?? context.scopeConfig.timeAfter;
  const sinceAt = since === undefined ? Number.NEGATIVE_INFINITY : instantOf(since);
  const seen = new Set(saved.seen ?? []);
  const bookmark: Bookmark = since === undefined ? {} : { since, ...(seen.size > 0 ? { seen: [...seen] } : {}) };
  let page = saved.run?.page ?? 1;
  let top = saved.run?.top;
  let distrust = saved.run?.distrust ?? false;
  let done = new Set(saved.run?.done ?? []);
  // The last item of the page before, which the next page may not go above (unknown after a resume).
  let ceiling = Number.POSITIVE_INFINITY;
  const save = () =>
    context.checkpoint({
      ...bookmark,
      run: {
        page,
        ...(top ? { top } : {}),
        ...(distrust ? { distrust } : {}),
        ...(done.size > 0 ? { done: [...done] } : {}),
      },
    });

  const fetchPage = (number: number) =>
    ahead(
      fetchListingPage<Item>(context.client.api, {
        path,
        searchParams: { ...parameters, sort: 'updated', direction: 'desc', per_page: PER_PAGE },
        page: number,
      }),
    );
  /** Stored by an earlier run and unchanged since. */
  const stored = (item: Item) => {
    const at = instantOf(item.updated_at);
    return at < sinceAt || (at === sinceAt && seen.has(item.id));
  };
  let next = fetchPage(page);
  for (;;) {
    const listed = await next;
    if (!distrust && !listsNewestFirst(listed.items, ceiling)) {
      distrust = true;
      context.logger.warn(
        `${path} does not list changes newest first as asked (sort=updated, direction=desc): reading it to the end instead of stopping at the bookmark`,
        { listing: path, since: since ?? null },
      );
    }
    // Where the bookmark is reached, when the order holds; the items after it were stored before.
    const end = distrust ? -1 : listed.items.findIndex(stored);
    const more = end === -1 && listed.hasNext;
    if (more) next = fetchPage(page + 1);
    for (const item of end === -1 ? listed.items : listed.items.slice(0, end)) {
      if ((distrust && stored(item)) || done.has(item.id)) continue;
      top = withNewest(top, item);
      yield { data: item, url: listed.url };
      done.add(item.id);
      await save();
    }
    if (!more) break;
    page += 1;
    done = new Set();
    const last = listed.items.at(-1);
    if (last) ceiling = instantOf(last.updated_at);
    await save();
  }
  await context.checkpoint(laterBookmark(bookmark, top));
}
