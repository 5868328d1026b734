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
 * - `run`: while a run is unfinished: the query it reads (fingerprint), the page it is on, the
 *   newest change read so far and the records of that page already stored.
 */
export interface RestStreamState {
  cursor?: string;
  run?: {
    query: string;
    page?: PageCursor;
    top?: string;
    done?: Array<string | number>;
  };
}

type Context<Types extends ConnectorTypes> = CollectContext<Types, RestStreamState>;

async function requestOf<Types extends ConnectorTypes>(
  definition: RestStreamDefinition<Types, unknown, unknown>,
  cursor: CompiledCursor<Types> | undefined,
  context: Context<Types>,
): Promise<ApiRequest> {
  const path = typeof definition.path === 'function' ? definition.path(context) : definition.path;
  const params =
    typeof definition.searchParams === 'function' ? definition.searchParams(context) : definition.searchParams;
  if (!cursor) return { path, searchParams: { ...params } };
  const saved = instantOfValue(context.state?.cursor);
  const start = instantOfValue(cursor.definition.start?.(context));
  const from = saved ?? start;
  const bound = from === undefined ? {} : await boundParams(cursor, from, context);
  return { path, searchParams: { ...params, ...bound } };
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
 * the same way twice nor on how many records were committed.
 */
export async function* collectRestListing<Types extends ConnectorTypes>(
  definition: RestStreamDefinition<Types, unknown, unknown>,
  cursor: CompiledCursor<Types> | undefined,
  context: Context<Types>,
): AsyncGenerator<RawRecord> {
  const request = await requestOf(definition, cursor, context);
  const query = queryFingerprint(request);
  const saved = context.state ?? {};
  const resumed = saved.run?.query === query ? saved.run : undefined;
  if (saved.run && !resumed) {
    context.logger.info('the interrupted run read another query: reading this one from its first page', {
      stream: definition.name,
    });
  }
  const keyOf = keyReader(definition);
  const base = saved.cursor === undefined ? {} : { cursor: saved.cursor };
  let page = resumed?.page;
  let top = resumed?.top;
  let done = new Set(resumed?.done ?? []);
  const save = () =>
    context.checkpoint({
      ...base,
      run: {
        query,
        ...(page === undefined ? {} : { page }),
        ...(top === undefined ? {} : { top }),
        ...(done.size > 0 ? { done: [...done] } : {}),
      },
    });
  for await (const listed of paginate(apiOf(definition, context), request, strategyOf(definition), {
    ...(page === undefined ? {} : { resume: page }),
  })) {
    if (listed.total !== undefined) context.reportTotal(listed.total);
    const fresh = listed.items.filter((item) => !done.has(keyOf(item)));
    const outputs = await transformAll(fresh, context, definition.transform);
    for (const [index, item] of fresh.entries()) {
      if (cursor) top = laterOf(top, cursor.read(item));
      const data = outputs[index];
      if (data !== undefined) yield { data, url: listed.response.url };
      done.add(keyOf(item));
      await save();
    }
    if (listed.next === undefined) break;
    page = listed.next;
    done = new Set();
    await save();
  }
  const next = laterOf(saved.cursor, instantOfValue(top));
  await context.checkpoint(next === undefined ? {} : { cursor: next });
}
