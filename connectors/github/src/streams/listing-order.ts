/**
 * The order a listing promises, and the proof of it a page gives. A bookmark may rely on an
 * order only as far as pages have shown it: GitHub sorts by `updated_at` when asked, but a
 * proxy, a cache or another server speaking GitHub's API need not.
 */

/** GitHub writes `2024-01-01T10:00:00Z`; a bookmark may carry milliseconds or an offset. Compare instants as sortable text. */
export function normalize(time: string): string {
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? time : new Date(parsed).toISOString();
}

/** Epoch milliseconds of a GitHub time (text, or a Date read back from the lake); NaN when unreadable. */
export function instantOf(time: unknown): number {
  if (time instanceof Date) return time.getTime();
  return typeof time === 'string' ? Date.parse(time) : Number.NaN;
}

/** An instant as GitHub writes it in its search syntax and its payloads: whole seconds, `Z`. */
export function githubTime(instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Changed {
  updated_at: string;
}

/**
 * Whether a page lists oldest change first: `updated_at` never goes down, and nothing is older
 * than `floor` (the `since` asked for, or the last item of the page before in the same query).
 * An unreadable time proves nothing, so it fails the proof.
 */
export function listsOldestFirst(items: readonly Changed[], floor: number): boolean {
  let previous = floor;
  for (const item of items) {
    const at = instantOf(item.updated_at);
    if (!(at >= previous)) return false;
    previous = at;
  }
  return true;
}

/** Whether a page lists newest change first: `updated_at` never goes up, nor above `ceiling` (the page before's last). */
export function listsNewestFirst(items: readonly Changed[], ceiling: number): boolean {
  let previous = ceiling;
  for (const item of items) {
    const at = instantOf(item.updated_at);
    if (!(at <= previous)) return false;
    previous = at;
  }
  return true;
}
