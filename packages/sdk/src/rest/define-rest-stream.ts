import type { ConnectorTypes, ExtractContext } from '../contract/context.js';
import { defineStream, defineSubstream, type ExtractResult, type Stream, type Substream } from '../contract/stream.js';
import type { ToolColumns } from '../contract/tool-table.js';
import { extractRow } from '../engine/default-extractor.js';
import { compileCursor } from './rest-cursor.js';
import { collectRestListing, type RestStreamState } from './rest-listing.js';
import { keyReader, strategyOf } from './rest-request.js';
import type { RestStreamDefinition, RestSubstreamDefinition } from './rest-stream-options.js';
import { collectRestSubstream } from './rest-substream-listing.js';

/**
 * Declares a stream of a paginated JSON API in a dozen lines: where it is, how it pages, where
 * the records are, and (for an incremental one) which field says when a record changed.
 *
 *   export const commentsStream = defineRestStream<AcmeTypes>({
 *     name: 'comments',
 *     tables: [commentsTable],
 *     path: (context) => `/projects/${context.scope.project}/comments`,
 *     searchParams: { per_page: 100, sort: 'updated' },
 *     paginator: linkHeader(),
 *     cursor: { field: '/updated_at', param: 'since', lookback: '5m' },
 *   });
 *
 * What keeps it exact under a kill, a reordered or repeated listing is built in: see
 * `collectRestListing`.
 */
export function defineRestStream<Types extends ConnectorTypes, Item = unknown, Data = Item>(
  definition: RestStreamDefinition<Types, Item, Data>,
): Stream<Types, RestStreamState> {
  const general = definition as unknown as RestStreamDefinition<Types, unknown, unknown>;
  // Checked now, so that a mistake fails when the connector loads rather than mid-sync.
  strategyOf(general);
  keyReader(general);
  const cursor = definition.cursor ? compileCursor(definition.cursor, definition.name) : undefined;
  const extract = definition.extract;
  return defineStream<Types, RestStreamState>({
    name: definition.name,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    ...(definition.dependsOn === undefined ? {} : { dependsOn: definition.dependsOn }),
    tables: definition.tables,
    incremental: cursor !== undefined,
    collect: (context) => collectRestListing(general, cursor, context),
    extract: (data, context) => (extract ? extract(data as Data, context) : extractRow(definition.tables[0]!, data)),
  });
}

/**
 * Declares a substream of a paginated JSON API: one listing per parent row, with what each
 * record keeps of its parent typed from `input`.
 *
 *   export const pullRequestCommitsStream = defineRestSubstream<GithubTypes>()({
 *     name: 'pull_request_commits',
 *     parent: { stream: 'pull_requests', table: pullRequestsTable },
 *     tables: [pullRequestCommitsTable],
 *     path: (context, pullRequest) => `${repositoryPath(context.scope)}/pulls/${pullRequest.number}/commits`,
 *     paginator: linkHeader(),
 *     input: (pullRequest) => ({ pullRequestId: pullRequest.github_id }),
 *     extract: (commit, context) => extractRow(pullRequestCommitsTable, commit, context.input),
 *   });
 */
export function defineRestSubstream<Types extends ConnectorTypes>() {
  return <ParentColumns extends ToolColumns, Input = undefined, Item = unknown, Data = Item>(
    definition: RestSubstreamDefinition<Types, ParentColumns, Input, Item, Data>,
  ): Substream<Types, ParentColumns> => {
    const general = definition as unknown as RestSubstreamDefinition<Types, ParentColumns, Input, unknown, unknown>;
    strategyOf(general);
    const since = definition.since ? compileCursor({ ...definition.since, field: '' }, definition.name) : undefined;
    const extract = definition.extract;
    const parentStream = definition.parent.stream;
    return defineSubstream<Types>()<ParentColumns>({
      name: definition.name,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      ...(definition.dependsOn === undefined ? {} : { dependsOn: definition.dependsOn }),
      ...(definition.incremental === undefined ? {} : { incremental: definition.incremental }),
      ...(definition.concurrency === undefined ? {} : { concurrency: definition.concurrency }),
      tables: definition.tables,
      parent: {
        stream: typeof parentStream === 'string' ? parentStream : parentStream.name,
        table: definition.parent.table,
        ...(definition.parent.filter ? { filter: definition.parent.filter } : {}),
      },
      collect: (context, parent) => collectRestSubstream(general, since, context, parent),
      extract: (data, context) => substreamExtract(definition.tables[0]!, extract, data, context),
    });
  };
}

function substreamExtract<Types extends ConnectorTypes, Input, Data>(
  table: RestStreamDefinition<Types>['tables'][number],
  extract: RestSubstreamDefinition<Types, ToolColumns, Input, unknown, Data>['extract'],
  data: unknown,
  context: ExtractContext<Types>,
): ExtractResult | Promise<ExtractResult> {
  if (!extract) return extractRow(table, data);
  // The runner stores what `input(parent)` returned with each record: this is where its type comes back.
  return extract(data as Data, { ...context, input: context.raw.input as Input });
}
