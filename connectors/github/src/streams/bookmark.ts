import { instantOf } from './listing-order.js';

/** Everything changed before `since` is in the lake, and so are the items changed at exactly `since` listed in `seen`. */
export interface Bookmark {
  since?: string;
  seen?: number[];
}

/** The newest change a run has read: its `updated_at` and the ids changed at that instant. */
export interface Newest {
  at: string;
  ids: number[];
}

/** A copy of a bookmark without empty fields. */
export function copyBookmark(bookmark: Bookmark): Bookmark {
  return {
    ...(bookmark.since === undefined ? {} : { since: bookmark.since }),
    ...(bookmark.seen?.length ? { seen: [...bookmark.seen] } : {}),
  };
}

/** `newest` after reading `item` (a new object when it changes: checkpoints hold the old one). */
export function withNewest(newest: Newest | undefined, item: { id: number; updated_at: string }): Newest {
  const at = instantOf(item.updated_at);
  const newestAt = newest ? instantOf(newest.at) : Number.NEGATIVE_INFINITY;
  if (newest === undefined || at > newestAt) return { at: item.updated_at, ids: [item.id] };
  if (at === newestAt && !newest.ids.includes(item.id)) return { at: newest.at, ids: [...newest.ids, item.id] };
  return newest;
}

/** The later of a bookmark and the newest change read since it (their `seen` merged when they share the instant). */
export function laterBookmark(bookmark: Bookmark, newest: Newest | undefined): Bookmark {
  const since = bookmark.since === undefined ? Number.NEGATIVE_INFINITY : instantOf(bookmark.since);
  const at = newest ? instantOf(newest.at) : Number.NEGATIVE_INFINITY;
  if (newest === undefined || at < since) return copyBookmark(bookmark);
  if (at > since) return { since: newest.at, seen: [...newest.ids] };
  return { since: newest.at, seen: [...new Set([...(bookmark.seen ?? []), ...newest.ids])] };
}
