import { type CollectContext, defineStream, linkHeader, paginate } from '@lake/sdk';
import type { GitlabTypes } from '../settings.js';
import { itemsTable } from '../tables/items-table.js';

/**
 * What a sync keeps between runs. `since`/`seen`: every item updated before `since`, and those
 * at exactly `since` listed in `seen`, are in the lake. `listing`: a reading of the listing that
 * a stopped run left unfinished — the page to go on with and what it had seen so far.
 */
interface ItemsState {
  since?: string;
  seen?: string[];
  listing?: Listing;
}

/** One reading of the listing of items updated since the bookmark. */
interface Listing {
  /** The page to read next (a URL from the `Link` header). */
  next?: string;
  /** The newest update time seen so far, and the items updated at exactly that time. */
  highest?: { at: string; ids: string[] };
  /** The server's time when the reading began (its `Date` header). */
  startedAt?: string;
  /** Whether an item changed after the reading began: then rows may have shifted between pages. */
  changed?: boolean;
  /** How many readings this bookmark has had (at most READINGS). */
  reading: number;
}

interface ItemPayload {
  id: string;
  updated_at: string;
}

/** Readings of the listing per sync while items change under it; then the bookmark stays where it was. */
const READINGS = 3;

// #region stream
/**
 * Items of the project, incremental by `updated_since`. Collect writes each API item to the raw
 * table as it is; extract fills the tool table from it (the table's JSON pointers); convert
 * writes domain rows (the table's `convert`).
 *
 * Nothing here trusts the server's order or the stability of its pages:
 * - the bookmark moves only after a whole reading of the listing, to the newest update time
 *   seen; a reading stopped by a crash goes on at its saved page with the same bookmark, so
 *   pages served newest first, shuffled or repeated lose nothing;
 * - an item updated while the listing is read moves to its end, and every row after its old
 *   place shifts back one: a page-numbered reading can then miss a row that did not change.
 *   When a reading sees an item updated after it began, the listing is read again from the
 *   same bookmark.
 */
export const itemsStream = defineStream<GitlabTypes, ItemsState>({
  name: 'items',
  description: 'Project items (incremental by updated time)',
  incremental: true,
  tables: [itemsTable],
  async *collect(context) {
    const state = context.state ?? {};
    const since = state.since ?? context.scopeConfig.since;
    const seen = new Set(state.seen ?? []);
    let listing: Listing = state.listing ?? { reading: 1 };
    for (;;) {
      yield* readListing(context, { since, seen, listing });
      const finished = await finishedListing(context, { since, seen }, listing);
      if (finished === undefined) return;
      listing = finished;
    }
  },
});
// #endregion stream

type ItemsContext = CollectContext<GitlabTypes, ItemsState>;

/** Reads (the rest of) one listing, checkpointing after every page; leaves its findings in `listing`. */
async function* readListing(
  context: ItemsContext,
  { since, seen, listing }: { since: string | undefined; seen: Set<string>; listing: Listing },
) {
  const request = {
    path: `projects/${encodeURIComponent(context.scope.project)}/items`,
    searchParams: { per_page: 50, sort: 'updated', ...(since ? { updated_since: since } : {}) },
  };
  const pages = paginate<ItemPayload>(context.client.api, request, linkHeader(), {
    ...(listing.next ? { resume: listing.next } : {}),
  });
  for await (const page of pages) {
    if (page.total !== undefined) context.reportTotal(page.total);
    listing.startedAt ??= serverTime(page.response.headers.date);
    for (const item of page.items) {
      // `updated_since` is inclusive: items at exactly the bookmark that are in the lake are skipped.
      if (since !== undefined && item.updated_at === since && seen.has(item.id)) continue;
      const at = item.updated_at;
      if (listing.highest === undefined || Date.parse(at) > Date.parse(listing.highest.at)) {
        listing.highest = { at, ids: [item.id] };
      } else if (at === listing.highest.at && !listing.highest.ids.includes(item.id)) {
        listing.highest.ids.push(item.id);
      }
      if (listing.startedAt !== undefined && Date.parse(at) >= Date.parse(listing.startedAt)) listing.changed = true;
      yield { data: item, url: page.response.url };
    }
    if (page.next === undefined) break;
    listing.next = String(page.next);
    // Committed with the page's records: a run stopped here goes on at `listing.next`.
    await context.checkpoint({ ...bookmark(since, seen), listing });
  }
}

/**
 * Moves the bookmark after a whole reading. Returns the next reading when items changed under
 * this one (it may have missed shifted rows), or undefined when the stream is done.
 */
async function finishedListing(
  context: ItemsContext,
  { since, seen }: { since: string | undefined; seen: Set<string> },
  listing: Listing,
): Promise<Listing | undefined> {
  if (listing.changed && listing.reading < READINGS) {
    context.logger.info('items changed while the listing was read; reading it again from the same bookmark');
    const again: Listing = { reading: listing.reading + 1 };
    await context.checkpoint({ ...bookmark(since, seen), listing: again });
    return again;
  }
  if (listing.changed) {
    // Still changing: keep the bookmark, so the next sync reads these items again.
    context.logger.warn(`items kept changing over ${READINGS} readings; the bookmark stays where it was`);
    await context.checkpoint(bookmark(since, seen));
    return undefined;
  }
  const highest = listing.highest;
  await context.checkpoint(
    highest === undefined
      ? bookmark(since, seen)
      : bookmark(highest.at, new Set(highest.at === since ? [...seen, ...highest.ids] : highest.ids)),
  );
  return undefined;
}

function bookmark(since: string | undefined, seen: Set<string>): ItemsState {
  return since === undefined ? {} : { since, seen: [...seen] };
}

/** The `Date` header as an ISO time (to the second), or undefined when the server sent none. */
function serverTime(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
