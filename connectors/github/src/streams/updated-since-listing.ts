import type { CollectContext, RawRecord } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';
import { type Bookmark, copyBookmark, laterBookmark, type Newest, withNewest } from './bookmark.js';
import { instantOf, listsOldestFirst } from './listing-order.js';
import { ahead, fetchListingPage, type ListingPage } from './listing-page.js';
import { TrustedCursor, type TrustedRun } from './trusted-cursor.js';

/**
 * State of a listing read oldest change first (issues, issue comments, review comments). The
 * top-level bookmark is always safe to start from; `run` is set while a run is unfinished.
 */
export interface UpdatedSinceState extends Bookmark {
  run?: UpdatedSinceRun;
}

/** An unfinished run: trusted (see `TrustedCursor`), or distrusted, reading page `page` of `since=<start>`. */
interface UpdatedSinceRun extends TrustedRun {
  /**
   * Set once a page showed that the server does not honour the order; `top` is the newest change
   * read so far, `done` the ids of the page being read already stored (skipped when it is read again).
   */
  distrust?: { top?: Newest; done?: number[] };
}

interface Listed {
  id: number;
  updated_at: string;
}

export interface UpdatedSinceOptions<Item> {
  /** Items to store; the others still move the bookmark (the issues listing includes pull requests). */
  keep?: (item: Item) => boolean;
}

const PER_PAGE = 100;

/**
 * Reads a listing GitHub sorts by `updated` with a `since` filter (issues, issue comments, review
 * comments), so that a bookmark never depends on an order nobody checked.
 *
 * Trusted (the default): every request asks `since=<bookmark>` from page 1, oldest change first;
 * after each item the bookmark moves to its `updated_at`. Asking again from the bookmark, rather
 * than for the next page number, is what survives items changing while the run pages: a changed
 * item moves past the bookmark and is read later, where a page-number walk shifts by one and
 * skips an item for good. Items sharing the bookmark's instant are remembered in `seen` (GitHub's
 * `since` is inclusive); when a whole page shares it, the run pages through that instant with the
 * same `since`, then reads it again from page 1 until a pass meets the same items and nothing
 * new, so that a change while paging inside it cannot hide an item.
 *
 * Every page must prove the order relied on: `updated_at` never going down, nothing before
 * `since`. A page that does not shows that the server does not honour the order: the rest of the
 * run (resumed runs too) reads one fixed query from the run's starting bookmark, every page to
 * the end, dropping nothing by time, and the next bookmark is the newest change it read.
 *
 * A checkpoint follows every item, so that what a resumed run skips never depends on the server
 * answering the same page the same way twice.
 */
export async function* collectUpdatedSince<Item extends Listed>(
  context: CollectContext<GithubTypes, UpdatedSinceState>,
  path: string,
  parameters: Record<string, string | number>,
  options: UpdatedSinceOptions<Item> = {},
): AsyncGenerator<RawRecord> {
  const saved = context.state ?? {};
  const bookmark: Bookmark = saved.since === undefined ? { since: context.scopeConfig.timeAfter } : saved;
  const run: UpdatedSinceRun = saved.run ?? { start: copyBookmark(bookmark), page: 1 };
  const listing = { context, path, parameters, keep: options.keep };
  if (run.distrust) {
    yield* readDistrusted(listing, run.start, run.page, run.distrust.top, new Set(run.distrust.done ?? []));
    return;
  }
  const refused = yield* readTrusted(listing, bookmark, run);
  if (refused === undefined) return;
  context.logger.warn(
    `${path} does not list changes oldest first as asked (sort=updated, direction=asc): reading the rest of this run page by page from its starting bookmark`,
    { listing: path, since: run.start.since ?? null },
  );
  yield* readDistrusted(listing, run.start, 1, undefined, new Set(), refused);
}

interface Listing<Item> {
  context: CollectContext<GithubTypes, UpdatedSinceState>;
  path: string;
  parameters: Record<string, string | number>;
  keep: ((item: Item) => boolean) | undefined;
}

/** A refused page of `since=<start>` page 1, which the distrusted read can start from instead of asking again. */
interface Refusal<Item> {
  firstPage: ListingPage<Item> | undefined;
}

function fetchPage<Item>(listing: Listing<Item>, since: string | undefined, page: number) {
  return fetchListingPage<Item>(listing.context.client.api, {
    path: listing.path,
    searchParams: {
      ...listing.parameters,
      sort: 'updated',
      direction: 'asc',
      per_page: PER_PAGE,
      ...(since === undefined ? {} : { since }),
    },
    page,
  });
}

function record<Item>(listing: Listing<Item>, item: Item, page: ListingPage<Item>): RawRecord | undefined {
  return listing.keep && !listing.keep(item) ? undefined : { data: item, url: page.url };
}

/**
 * The trusted read: from the bookmark, page 1 again after every page that moved it. The next
 * request is known once a page is read, so it is sent while the page's items are stored. Returns
 * undefined when the listing is read to its end, or the refusal when a page broke the order.
 */
async function* readTrusted<Item extends Listed>(
  listing: Listing<Item>,
  bookmark: Bookmark,
  run: UpdatedSinceRun,
): AsyncGenerator<RawRecord, Refusal<Item> | undefined> {
  const { context } = listing;
  const cursor = new TrustedCursor(bookmark, run);
  let request = { since: cursor.since, page: cursor.page };
  let next = ahead(fetchPage(listing, request.since, request.page));
  for (;;) {
    const listed = await next;
    if (!listsOldestFirst(listed.items, cursor.floor)) {
      const fromStart = request.page === 1 && request.since === run.start.since;
      return { firstPage: fromStart ? listed : undefined };
    }
    const { steps, done } = cursor.read(listed.items, listed.hasNext);
    if (!done) {
      request = { since: cursor.since, page: cursor.page };
      next = ahead(fetchPage(listing, request.since, request.page));
    }
    for (const { item, state } of steps) {
      const raw = record(listing, item, listed);
      if (raw) yield raw;
      await context.checkpoint(state);
    }
    if (done) break;
    await context.checkpoint(cursor.state());
  }
  await context.checkpoint(cursor.bookmark());
  return undefined;
}

/**
 * The distrusted read: one fixed query from the run's starting bookmark, every page to the end;
 * only items unchanged since that bookmark (at its instant and in its `seen`) are left out, and,
 * on the page a resumed run reads again, the items the interrupted run stored. The next
 * bookmark is the newest change read.
 */
async function* readDistrusted<Item extends Listed>(
  listing: Listing<Item>,
  start: Bookmark,
  firstPage: number,
  savedTop: Newest | undefined,
  savedDone: Set<number>,
  refusal?: Refusal<Item>,
): AsyncGenerator<RawRecord> {
  const { context } = listing;
  const startAt = start.since === undefined ? Number.NEGATIVE_INFINITY : instantOf(start.since);
  const unchanged = new Set(start.seen ?? []);
  let top = savedTop;
  let page = firstPage;
  let done = savedDone;
  const save = () =>
    context.checkpoint({
      ...start,
      run: {
        start,
        page,
        distrust: { ...(top ? { top } : {}), ...(done.size > 0 ? { done: [...done] } : {}) },
      },
    });
  let next =
    page === 1 && refusal?.firstPage
      ? Promise.resolve(refusal.firstPage)
      : ahead(fetchPage(listing, start.since, page));
  for (;;) {
    const listed = await next;
    // Pages of one fixed query do not depend on each other: ask for the next while this one is stored.
    if (listed.hasNext) next = ahead(fetchPage(listing, start.since, page + 1));
    for (const item of listed.items) {
      const at = instantOf(item.updated_at);
      if ((at === startAt && unchanged.has(item.id)) || done.has(item.id)) continue;
      top = withNewest(top, item);
      const raw = record(listing, item, listed);
      if (raw) yield raw;
      done.add(item.id);
      await save();
    }
    if (!listed.hasNext) break;
    page += 1;
    done = new Set();
    await save();
  }
  await context.checkpoint(laterBookmark(start, top));
}
