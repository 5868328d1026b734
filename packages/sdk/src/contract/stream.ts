import { LakeError } from '../errors/lake-error.js';
import type { CollectContext, ConnectorTypes, ExtractContext, SubstreamCollectContext } from './context.js';
import type { ReplacedRows } from './replaced-rows.js';
import type { ToolColumns, ToolRow, ToolTable } from './tool-table.js';

/** One record as collected: the API's payload plus where it came from. */
export interface RawRecord<Input = unknown> {
  /** The payload, stored verbatim (as JSON) in the raw table. */
  data: unknown;
  /** The request URL (secrets are redacted before storage). */
  url?: string;
  /**
   * What the request was about, e.g. the parent row's key for a substream: stored as JSON
   * with the record and handed back to extract as `context.raw.input`, typed.
   */
  input?: Input;
}

/** A tool row produced by extract: the table it belongs to and its columns (camelCase or snake_case). */
export interface ExtractedRow {
  table: ToolTable;
  row: Record<string, unknown>;
}

/** What extract returns: tool rows, and which rows they replace (`replaceRows`). */
export type ExtractResult = ExtractedRow | ReplacedRows | readonly (ExtractedRow | ReplacedRows)[] | undefined;

interface StreamBase<Types extends ConnectorTypes, Input = unknown> {
  /** snake_case; the raw table is `_raw_<connector>_<name>`. */
  name: string;
  description?: string;
  /** Streams that must have run before this one in the same sync. */
  dependsOn?: readonly string[];
  /** Tool tables this stream writes (the first is its main table). */
  tables: readonly ToolTable<Types, ToolColumns>[];
  /**
   * Turns one raw record into tool rows. Default: the schema-driven extractor, which fills
   * the first table's columns from JSON pointers (`source`, default `/<property>`).
   */
  extract?(data: unknown, context: ExtractContext<Types, Input>): ExtractResult | Promise<ExtractResult>;
}

export interface StreamDefinition<Types extends ConnectorTypes, State = unknown> extends StreamBase<Types> {
  /**
   * True when the stream can collect only what changed since its saved state. A stream that
   * is not incremental re-collects everything on every run, and rows it no longer sees are removed.
   */
  incremental?: boolean;
  /** Yields raw records; calls `context.checkpoint(state)` after each resumable unit (page). */
  collect(context: CollectContext<Types, State>): AsyncIterable<RawRecord>;
}

export interface SubstreamDefinition<
  Types extends ConnectorTypes,
  ParentColumns extends ToolColumns = ToolColumns,
  Input = unknown,
> extends StreamBase<Types, Input> {
  /** Run `collect` once per row of this tool table (of the current scope). */
  parent: {
    /** The stream that writes the parent table. */
    stream: string;
    table: ToolTable<Types, ParentColumns>;
    /** Skip parents for which there is nothing to collect (e.g. pull requests without commits). */
    filter?(row: ToolRow<ParentColumns>): boolean;
  };
  /**
   * True when only parents changed since the last completed pass need collecting again.
   * A full pass (or a stream that is not incremental) visits every parent.
   */
  incremental?: boolean;
  /** Parents collected at the same time (default 8). Writes stay batched and ordered. */
  concurrency?: number;
  collect(context: SubstreamCollectContext<Types>, parent: ToolRow<ParentColumns>): AsyncIterable<RawRecord<Input>>;
}

export interface Stream<Types extends ConnectorTypes = ConnectorTypes, State = unknown>
  extends StreamDefinition<Types, State> {
  readonly kind: 'stream';
}

export interface Substream<
  Types extends ConnectorTypes = ConnectorTypes,
  ParentColumns extends ToolColumns = ToolColumns,
  Input = unknown,
> extends SubstreamDefinition<Types, ParentColumns, Input> {
  readonly kind: 'substream';
}

// biome-ignore lint/suspicious/noExplicitAny: a connector's streams differ in state and parent types.
export type AnyStream<Types extends ConnectorTypes = ConnectorTypes> = Stream<Types, any> | Substream<Types, any, any>;

const STREAM_NAME = /^[a-z][a-z0-9_]*$/;

function checkBase(definition: StreamBase<ConnectorTypes>): void {
  if (!STREAM_NAME.test(definition.name)) {
    throw new LakeError('CONNECTOR_INVALID', `stream name "${definition.name}" must match ${STREAM_NAME}`);
  }
  if (definition.tables.length === 0) {
    throw new LakeError('CONNECTOR_INVALID', `stream "${definition.name}" writes no tool table`);
  }
}

/**
 * Declares a top-level stream.
 *
 *   export const issuesStream = defineStream<GithubTypes, { since?: string }>({
 *     name: 'issues',
 *     incremental: true,
 *     tables: [issuesTable],
 *     async *collect(context) {
 *       for await (const page of pages(context)) {
 *         for (const issue of page.items) yield { data: issue, url: page.url };
 *         await context.checkpoint({ since: page.maxUpdatedAt });
 *       }
 *     },
 *   });
 */
export function defineStream<Types extends ConnectorTypes, State = unknown>(
  definition: StreamDefinition<Types, State>,
): Stream<Types, State> {
  checkBase(definition as StreamBase<ConnectorTypes>);
  return { ...definition, kind: 'stream' };
}

/**
 * Declares a substream: `collect` runs once per parent row of the current scope, several
 * parents at a time.
 *
 *   export const pullRequestCommitsStream = defineSubstream<GithubTypes>()({
 *     name: 'pull_request_commits',
 *     parent: { stream: 'pull_requests', table: pullRequestsTable },
 *     tables: [pullRequestCommitsTable],
 *     async *collect(context, pullRequest) { … },
 *   });
 */
export function defineSubstream<Types extends ConnectorTypes>() {
  return <ParentColumns extends ToolColumns, Input = unknown>(
    definition: SubstreamDefinition<Types, ParentColumns, Input>,
  ): Substream<Types, ParentColumns, Input> => {
    checkBase(definition as unknown as StreamBase<ConnectorTypes>);
    return { ...definition, kind: 'substream' };
  };
}
