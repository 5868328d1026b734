import type { Bookmark } from './bookmark.js';
import { instantOf } from './listing-order.js';

/** An unfinished trusted run, as a checkpoint saves it. */
export interface TrustedRun {
  /** The bookmark the run started from. */
  start: Bookmark;
  /** The page of `since=<bookmark>` being read (above 1 only inside items sharing the bookmark's instant). */
  page: number;
  /** Re-reading the bookmark's instant from page 1, because paging through it could have missed an item. */
  recheck?: boolean;
}

interface Listed {
  id: number;
  updated_at: string;
}

/** One item of a page: whether to store it, and the state that covers everything up to it. */
export interface TrustedStep<Item> {
  item: Item;
  state: Bookmark & { run: TrustedRun };
}

/**
 * Where a trusted read of an oldest-first listing stands, and how a page (already proved to be
 * in order) moves it. Reading a page is pure: the next request is known as soon as a page is
 * read, before its items are stored, so the read can ask for it meanwhile.
 *
 * The bookmark moves item by item to the `updated_at` read; the ids at the bookmark's instant are
 * kept in `seen`. A page entirely at that instant makes the read page through it (page 2, 3… of
 * the same `since`); once it leaves such a run of ties, it reads the instant again from page 1
 * until one pass meets exactly the ids known there and nothing new: an item changed while paging
 * shifts the later pages, and the pass after it finds the item that slipped between two pages.
 */
export class TrustedCursor {
  since: string | undefined;
  page: number;
  #sinceAt: number;
  #seen: Set<number>;
  /** The bookmark's instant took more than one page: it must be read again before the read moves past it. */
  #spanned: boolean;
  #recheck: boolean;
  /** During a recheck pass: the ids met at the instant, and whether any was new. */
  #met = new Set<number>();
  #found = false;
  /** The last `updated_at` of the page before in the same query, which the next page may not go below. */
  #floor: number | undefined;
  readonly #start: Bookmark;

  constructor(bookmark: Bookmark, run: TrustedRun) {
    this.since = bookmark.since;
    this.#sinceAt = bookmark.since === undefined ? Number.NEGATIVE_INFINITY : instantOf(bookmark.since);
    this.#seen = new Set(bookmark.seen ?? []);
    this.#recheck = Boolean(run.recheck);
    this.page = this.#recheck ? 1 : run.page;
    this.#spanned = this.page > 1 || this.#recheck;
    this.#start = run.start;
  }

  /** Nothing on the next page may be older than this. */
  get floor(): number {
    return this.#floor ?? this.#sinceAt;
  }

  /**
   * Moves the cursor over a page: the items to store with the state after each, and whether
   * the listing is read to its end. The cursor then names the next request.
   */
  read<Item extends Listed>(items: readonly Item[], hasNext: boolean): { steps: TrustedStep<Item>[]; done: boolean } {
    const steps: TrustedStep<Item>[] = [];
    let moved = false;
    for (const item of items) {
      const at = instantOf(item.updated_at);
      if (at === this.#sinceAt) {
        if (this.#recheck) this.#met.add(item.id);
        if (this.#seen.has(item.id)) continue;
        this.#seen.add(item.id);
        this.#found ||= this.#recheck;
      } else {
        if (this.#spanned && !this.#passIsClean()) {
          this.#startPass();
          return { steps, done: false };
        }
        this.since = item.updated_at;
        this.#sinceAt = at;
        this.#seen = new Set([item.id]);
        this.#spanned = false;
        this.#recheck = false;
        // A new `since` is read from its first page.
        this.page = 1;
        moved = true;
      }
      steps.push({ item, state: this.state() });
    }
    if (!hasNext) {
      if (!this.#spanned || this.#passIsClean()) return { steps, done: true };
      this.#startPass();
      return { steps, done: false };
    }
    if (moved) {
      this.#floor = undefined;
    } else {
      // The whole page shared the bookmark's instant: page through it with the same `since`.
      this.page += 1;
      this.#spanned = true;
      this.#floor = this.#sinceAt;
    }
    return { steps, done: false };
  }

  /** The state to checkpoint now: the bookmark, and where the run goes on. */
  state(): Bookmark & { run: TrustedRun } {
    return {
      ...(this.since === undefined ? {} : { since: this.since }),
      seen: [...this.#seen],
      run: { start: this.#start, page: this.#recheck ? 1 : this.page, ...(this.#recheck ? { recheck: true } : {}) },
    };
  }

  /** The bookmark for the next run, once the listing is read to its end. */
  bookmark(): Bookmark {
    return {
      ...(this.since === undefined ? {} : { since: this.since }),
      ...(this.#seen.size > 0 ? { seen: [...this.#seen] } : {}),
    };
  }

  /** After a pass through the instant: whether it met every item known there, and nothing new. */
  #passIsClean(): boolean {
    return this.#recheck && !this.#found && this.#met.size === this.#seen.size;
  }

  #startPass(): void {
    // Ids known at the instant that this pass did not meet have left it for good (changed, or gone).
    if (this.#recheck) this.#seen = this.#met;
    this.#recheck = true;
    this.#met = new Set();
    this.#found = false;
    this.page = 1;
    this.#floor = undefined;
  }
}
