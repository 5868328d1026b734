import type { ConnectorTypes } from '../contract/context.js';
import type { RawRecord } from '../contract/stream.js';
import type { ToolColumns, ToolRow } from '../contract/tool-table.js';
import { paginate } from '../http/pagination/paginate.js';
import { boundParams, type CompiledCursor } from './rest-cursor.js';
import { apiOf, strategyOf, transformAll } from './rest-request.js';
import type { RestParentContext, RestSubstreamDefinition } from './rest-stream-options.js';

/**
 * Reads one parent's listing to its end. The substream runner commits a parent's records
 * together once its listing is read, so an interrupted parent is read again from its start:
 * no page position to keep.
 */
export async function* collectRestSubstream<Types extends ConnectorTypes, ParentColumns extends ToolColumns, Input>(
  definition: RestSubstreamDefinition<Types, ParentColumns, Input, unknown, unknown>,
  since: CompiledCursor<Types> | undefined,
  context: Omit<RestParentContext<Types, ParentColumns>, 'parent'>,
  parent: ToolRow<ParentColumns>,
): AsyncGenerator<RawRecord> {
  const params =
    typeof definition.searchParams === 'function' ? definition.searchParams(context, parent) : definition.searchParams;
  const bound = since && context.since ? await boundParams(since, context.since.getTime(), context) : {};
  const request = {
    path: definition.path(context, parent),
    searchParams: { ...params, ...bound },
    ...(definition.budget === undefined ? {} : { budget: definition.budget }),
  };
  const input = definition.input?.(parent);
  const transformContext = { ...context, parent };
  for await (const listed of paginate(apiOf(definition, context), request, strategyOf(definition))) {
    const outputs = await transformAll(listed.items, transformContext, definition.transform);
    for (const data of outputs) {
      if (data !== undefined) yield { data, url: listed.response.url, ...(input === undefined ? {} : { input }) };
    }
  }
}
