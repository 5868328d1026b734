import type { CollectContext, RawRecord } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';
import { type Bookmark, copyBookmark, laterBookmark, type Newest, withNewest } from './bookmark.js';
import { instantOf, listsOldestFirst } from './listing-order.js';
import { fetchListingPage, type ListingPage } from './listing-page.js';

/**
 * State of a listing read oldest change first (issues, issue comments, review comments). The
 * top-level bookmark is always safe to start from; `run` is set while a run is unfinished.
 */
export interface UpdatedSinceState extends Bookmark {
  run?: UpdatedSinceRun;
}

interface UpdatedSinceRun {
  /** The bookmark the run started from: a run that stops trusting the order reads again from there. */
  start: Bookmark;
  /** The page being read: of `since=<bookmark>` while trusted, of `since=<start>` once distrusted. */
  page: number;
  /** Trusted: re-reading the bookmark's instant from page 1, because paging through it could have missed an item. */
  recheck?: boolean;
  /** Set once a page showed that the server does not honour the order; `top` is the newest change read so far. */
  distrust?: { top?: Newest };
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
    yield* readDistrusted(listing, run.start, run.page, run.distrust.top);
    return;
  }
  const refused = yield* readTrusted(listing, bookmark, run);
  if (refused === undefined) return;
  context.logger.warn(
    `${path} does not list changes oldest first as asked (sort=updated, direction=asc): reading the rest of this run page by page from its starting bookmark`,
    { listing: path, since: run.start.since ?? null },
  );
  yield* readDistrusted(listing, run.start, 1, undefined, refused);
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
 * The trusted read: from the bookmark, page 1 again after every page that moved it. Returns
 * undefined when the listing is read to its end, or the refusal when a page broke the order.
 */
async function* readTrusted<Item extends Listed>(
  listing: Listing<Item>,
  bookmark: Bookmark,
  run: UpdatedSinceRun,
): AsyncGenerator<RawRecord, Refusal<Item> | undefined> {
  const { context } = listing;
  let since = bookmark.since;
  let sinceAt = since === undefined ? Number.NEGATIVE_INFINITY : instantOf(since);
  let seen = new Set(bookmark.seen ?? []);
  let page = run.recheck ? 1 : run.page;
  // The bookmark's instant took more than one page: it must be read again before the run moves past it.
  let spanned = page > 1 || Boolean(run.recheck);
  let recheck = Boolean(run.recheck);
  // During a recheck pass: the ids met at the instant, and whether any was new.
  let met = new Set<number>();
  let found = false;
  // The last item of the page before in the same query, which the next page may not go below.
  let floor: number | undefined;
  const save = () =>
    context.checkpoint({
      ...(since === undefined ? {} : { since }),
      seen: [...seen],
      run: { start: run.start, page: recheck ? 1 : page, ...(recheck ? { recheck } : {}) },
    });
  /** After a pass through the instant: whether it met every item known there and nothing new. */
  const passIsClean = () => recheck && !found && met.size === seen.size;
  const startPass = () => {
    // Items known at the instant that this pass did not meet have left it for good (changed, or gone).
    if (recheck) seen = met;
    recheck = true;
    met = new Set();
    found = false;
    page = 1;
    floor = undefined;
  };

  for (;;) {
    const listed = await fetchPage(listing, since, page);
    if (!listsOldestFirst(listed.items, floor ?? sinceAt)) {
      const fromStart = page === 1 && since === run.start.since;
      return { firstPage: fromStart ? listed : undefined };
    }
    let moved = false;
    let restarted = false;
    for (const item of listed.items) {
      const at = instantOf(item.updated_at);
      if (at === sinceAt) {
        if (recheck) met.add(item.id);
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        found ||= recheck;
      } else {
        if (spanned && !passIsClean()) {
          startPass();
          restarted = true;
          break;
        }
        since = item.updated_at;
        sinceAt = at;
        seen = new Set([item.id]);
        spanned = false;
        recheck = false;
        moved = true;
        // A new `since` is read from its first page.
        page = 1;
      }
      const raw = record(listing, item, listed);
      if (raw) yield raw;
      await save();
    }
    if (restarted) {
      await save();
      continue;
    }
    if (!listed.hasNext) {
      if (spanned && !passIsClean()) {
        startPass();
        await save();
        continue;
      }
      break;
    }
    if (moved) {
      floor = undefined;
    } else {
      // The whole page shared the bookmark's instant: page through it with the same `since`.
      page += 1;
      spanned = true;
      floor = sinceAt;
    }
    await save();
  }
  await context.checkpoint({
    ...(since === undefined ? {} : { since }),
    ...(seen.size > 0 ? { seen: [...seen] } : {}),
  });
  return undefined;
}

/**
 * The distrusted read: one fixed query from the run's starting bookmark, every page to the end;
 * only items unchanged since that bookmark (at its instant and in its `seen`) are left out.
 * The next bookmark is the newest change read.
 */
async function* readDistrusted<Item extends Listed>(
  listing: Listing<Item>,
  start: Bookmark,
  firstPage: number,
  savedTop: Newest | undefined,
  refusal?: Refusal<Item>,
): AsyncGenerator<RawRecord> {
  const { context } = listing;
  const startAt = start.since === undefined ? Number.NEGATIVE_INFINITY : instantOf(start.since);
  const unchanged = new Set(start.seen ?? []);
  let top = savedTop;
  let page = firstPage;
  const save = () =>
    context.checkpoint({
      ...start,
      run: { start, page, distrust: top ? { top } : {} },
    });
  for (;;) {
    const listed = page === 1 && refusal?.firstPage ? refusal.firstPage : await fetchPage(listing, start.since, page);
    for (const item of listed.items) {
      const at = instantOf(item.updated_at);
      if (at === startAt && unchanged.has(item.id)) continue;
      top = withNewest(top, item);
      const raw = record(listing, item, listed);
      if (raw) yield raw;
      await save();
    }
    if (!listed.hasNext) break;
    page += 1;
    await save();
  }
  await context.checkpoint(laterBookmark(start, top));
}
