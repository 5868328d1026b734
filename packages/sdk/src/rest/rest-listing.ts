import type { CollectContext, ConnectorTypes } from '../contract/context.js';
import type { RawRecord } from '../contract/stream.js';
import type { ApiRequest } from '../http/api-request.js';
import { paginate } from '../http/pagination/paginate.js';
import type { PageCursor } from '../http/pagination/pagination-strategy.js';
import { queryFingerprint } from './query-fingerprint.js';
import { boundParams, type CompiledCursor, instantOfValue } from './rest-cursor.js';
import { apiOf, keyReader, strategyOf, transformAll } from './rest-request.js';
import type { RestStreamDefinition } from './rest-stream-options.js';

/**
 * State of a declarative REST stream.
 * - `cursor`: the newest change (UTC, ISO) a completed run read; the next run starts there, less the lookback;
 * - `run`: while a run is unfinished: the query it reads (fingerprint) and how far it got.
 */
export interface RestStreamState {
  cursor?: string;
  /**
   * The records the last completed run read within the lookback of its cursor, as
   * `[key, change instant]`: the next run asks from the cursor less the lookback and meets them
   * again; one unchanged since (same key, same change time) is not stored a second time.
   */
  recent?: Array<[string | number, number]>;
  /**
   * A stream without a cursor read its listing to the end. Only a resumed run sees it (a new
   * run of such a stream starts without state): one killed after its last record, before the
   * run was closed, has nothing left to read.
   */
  finished?: boolean;
  run?: RestRunState;
}

/** A key and the change instant a run read it at. */
type Recent = Array<[string | number, number]>;

/** How far an unfinished run got in its query. */
export interface RestRunState {
  query: string;
  /** The page being read (where the paginator resumes); none for the first. */
  page?: PageCursor;
  /** Keys of that page's records already stored: a resumed run reads the page again and skips them. */
  done?: Array<string | number>;
  /** The newest change read so far: the next cursor. */
  top?: string;
  /** The server's time when this reading began (its `Date` header). */
  startedAt?: string;
  /** Whether a record changed after the reading began: rows may have shifted between pages. */
  changed?: boolean;
  /** Which reading of the query this is (a listing that changed while read is read again). */
  reading?: number;
  /** Records read so far within the lookback of `top`, for the next run's `recent`. */
  recent?: Recent;
}

/** The entries of `recent` within `lookbackMs` of `top` (epoch ms). */
function withinLookback(recent: Recent, top: number | undefined, lookbackMs: number): Recent {
  return top === undefined ? recent : recent.filter(([, at]) => at >= top - lookbackMs);
}

/** Readings of a cursor's query per run while records change under it; then the run ends with what it read. */
const READINGS = 3;

type Context<Types extends ConnectorTypes> = CollectContext<Types, RestStreamState>;

async function requestOf<Types extends ConnectorTypes>(
  definition: RestStreamDefinition<Types, unknown, unknown>,
  cursor: CompiledCursor<Types> | undefined,
  context: Context<Types>,
): Promise<ApiRequest> {
  const path = typeof definition.path === 'function' ? definition.path(context) : definition.path;
  const params =
    typeof definition.searchParams === 'function' ? await definition.searchParams(context) : definition.searchParams;
  const budget = definition.budget === undefined ? {} : { budget: definition.budget };
  if (!cursor) return { path, searchParams: { ...params }, ...budget };
  const saved = instantOfValue(context.state?.cursor);
  const start = instantOfValue(cursor.definition.start?.(context));
  const from = saved ?? start;
  const bound = from === undefined ? {} : await boundParams(cursor, from, context);
  return { path, searchParams: { ...params, ...bound }, ...budget };
}

const laterOf = (a: string | undefined, b: number | undefined): string | undefined =>
  b !== undefined && (a === undefined || b > Date.parse(a)) ? new Date(b).toISOString() : a;

/**
 * Reads a REST listing to its end as one fixed query, checkpointing after every record.
 *
 * The query (path, parameters, the cursor's bound) is fixed for the whole run, and the cursor
 * moves only when the run completes, to the newest change it read: what the server lists in
 * another order, or twice, is still all read before the cursor passes it. A saved page
 * position is used only by the query it came from (its fingerprint): an offset or page number
 * of another query would skip or repeat records. A resumed run reads its page again and skips
 * the records already stored by key, so it depends neither on the server answering the page
 * the same way twice nor on how many records were committed. A record changed after the
 * reading began (by the server's clock) moves in the listing and shifts the rows after its old
 * place, which a paged reading can then miss: the query is read again, up to `READINGS` times.
 */
export async function* collectRestListing<Types extends ConnectorTypes>(
  definition: RestStreamDefinition<Types, unknown, unknown>,
  cursor: CompiledCursor<Types> | undefined,
  context: Context<Types>,
): AsyncGenerator<RawRecord> {
  const saved = context.state ?? {};
  if (!cursor && saved.finished && !saved.run) return;
  const request = await requestOf(definition, cursor, context);
  const query = queryFingerprint(request);
  const resumed = saved.run?.query === query ? saved.run : undefined;
  if (saved.run && !resumed) {
    context.logger.info('the interrupted run read another query: reading this one from its first page', {
      stream: definition.name,
    });
  }
  const base: RestStreamState = {
    ...(saved.cursor === undefined ? {} : { cursor: saved.cursor }),
    ...(saved.recent === undefined ? {} : { recent: saved.recent }),
  };
  let run: RestRunState = resumed ?? { query };
  for (;;) {
    run = yield* readListing(definition, cursor, context, request, base, run);
    const reading = run.reading ?? 1;
    if (!cursor || !run.changed || reading >= READINGS) break;
    context.logger.info('records changed while the listing was read: reading it again from the same bound', {
      stream: definition.name,
      reading: reading + 1,
    });
    run = {
      query,
      reading: reading + 1,
      ...(run.top === undefined ? {} : { top: run.top }),
      ...(run.recent === undefined ? {} : { recent: run.recent }),
    };
    await context.checkpoint({ ...base, run });
  }
  const next = laterOf(saved.cursor, instantOfValue(run.top));
  if (next === undefined) {
    await context.checkpoint(cursor ? {} : { finished: true });
    return;
  }
  const recent = withinLookback(run.recent ?? [], Date.parse(next), cursor?.lookbackMs ?? 0);
  await context.checkpoint({ cursor: next, ...(recent.length > 0 ? { recent } : {}) });
}

/** One reading of the query from where `run` stands; returns how it ended. */
async function* readListing<Types extends ConnectorTypes>(
  definition: RestStreamDefinition<Types, unknown, unknown>,
  cursor: CompiledCursor<Types> | undefined,
  context: Context<Types>,
  request: ApiRequest,
  base: RestStreamState,
  from: RestRunState,
): AsyncGenerator<RawRecord, RestRunState> {
  const keyOf = keyReader(definition);
  const { done: alreadyStored, ...run } = from;
  // What the last run read in the window this one reads again: not stored twice while unchanged.
  const unchanged = new Map(base.recent ?? []);
  const lookbackMs = cursor?.lookbackMs ?? 0;
  let done = new Set(alreadyStored ?? []);
  const save = () => context.checkpoint({ ...base, run: { ...run, ...(done.size > 0 ? { done: [...done] } : {}) } });
  const pages = paginate(apiOf(definition, context), request, strategyOf(definition), {
    ...(run.page === undefined ? {} : { resume: run.page }),
  });
  for await (const listed of pages) {
    if (listed.total !== undefined) context.reportTotal(listed.total);
    run.startedAt ??= serverTime(listed.response.headers.date);
    const keyed = listed.items.map((item) => ({ item, key: keyOf(item) })).filter(({ key }) => !done.has(key));
    const outputs = await transformAll(
      keyed.map(({ item }) => item),
      context,
      definition.transform,
    );
    for (const [index, { item, key }] of keyed.entries()) {
      const changedAt = cursor?.read(item);
      run.top = laterOf(run.top, changedAt);
      if (changedAt !== undefined && run.startedAt !== undefined && changedAt >= Date.parse(run.startedAt))
        run.changed = true;
      if (changedAt !== undefined) {
        const top = instantOfValue(run.top);
        run.recent = withinLookback(
          [...(run.recent ?? []).filter(([known]) => known !== key), [key, changedAt]],
          top,
          lookbackMs,
        );
      }
      const data = outputs[index];
      const seenBefore = changedAt !== undefined && unchanged.get(key) === changedAt;
      if (data !== undefined && !seenBefore) yield { data, url: listed.response.url };
      done.add(key);
      await save();
    }
    if (listed.next === undefined) break;
    run.page = listed.next;
    done = new Set();
    await save();
  }
  return run;
}

/** The server's clock from a `Date` header, as ISO; undefined when absent or unreadable. */
function serverTime(header: unknown): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}
