import type { ConnectorTypes, ScopeContext } from '../contract/context.js';
import { compilePointer } from '../engine/json-pointer.js';
import { LakeError } from '../errors/lake-error.js';
import { ApiClient } from '../http/api-client.js';
import type { PaginationStrategy } from '../http/pagination/pagination-strategy.js';
import type { RestStreamBase } from './rest-stream-options.js';

/** The client a stream sends with: `api(context)`, else the connector's client or its `api`. */
export function apiOf<Types extends ConnectorTypes>(
  definition: RestStreamBase<Types>,
  context: ScopeContext<Types>,
): ApiClient {
  if (definition.api) return definition.api(context);
  const client = context.client as unknown;
  if (client instanceof ApiClient) return client;
  const nested = (client as { api?: unknown } | undefined)?.api;
  if (nested instanceof ApiClient) return nested;
  throw new LakeError(
    'CONNECTOR_INVALID',
    `stream "${definition.name}": the connector's client is not an ApiClient and has no "api" one; set "api"`,
  );
}

function pointer(value: string, field: string, stream: string): (document: unknown) => unknown {
  try {
    return compilePointer(value);
  } catch {
    throw new LakeError('CONNECTOR_INVALID', `stream "${stream}": ${field} must be a JSON pointer, not "${value}"`);
  }
}

/** The paginator reading its items at `records` (checked when the stream is defined). */
export function strategyOf(definition: RestStreamBase<ConnectorTypes>): PaginationStrategy<unknown> {
  if (definition.records === undefined) return definition.paginator;
  const read = pointer(definition.records, 'records', definition.name);
  if (!definition.paginator.withItems) {
    throw new LakeError(
      'CONNECTOR_INVALID',
      `stream "${definition.name}": records needs a paginator that can read items elsewhere (withItems); give the paginator its own "items" instead`,
    );
  }
  return definition.paginator.withItems(read as (body: never) => unknown);
}

/** What identifies a record on its page: the value at `key` (default `/id`), else the record's JSON. */
export function keyReader(definition: RestStreamBase<ConnectorTypes>): (record: unknown) => string | number {
  const read = pointer(definition.key ?? '/id', 'key', definition.name);
  return (record) => {
    const value = read(record);
    return typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(record);
  };
}

/** Runs a transform over a page's records together; undefined where the record is left out. */
export async function transformAll<Item, Data, Context>(
  items: readonly Item[],
  context: Context,
  transform: ((record: Item, context: Context) => Data | undefined | Promise<Data | undefined>) | undefined,
): Promise<Array<Data | Item | undefined>> {
  if (!transform) return [...items];
  return Promise.all(items.map((item) => transform(item, context)));
}
