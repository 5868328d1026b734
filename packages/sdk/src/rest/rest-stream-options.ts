import type { ConnectorTypes, ExtractContext, ScopeContext, SubstreamCollectContext } from '../contract/context.js';
import type { AnyStream, ExtractResult } from '../contract/stream.js';
import type { ToolColumns, ToolRow, ToolTable } from '../contract/tool-table.js';
import type { ApiClient } from '../http/api-client.js';
import type { PaginationStrategy } from '../http/pagination/pagination-strategy.js';
import type { RestCursor } from './rest-cursor.js';

export type RestSearchParams = Record<string, string | number | boolean | undefined>;

/** What every declarative REST stream says: where the records are and how they become rows. */
export interface RestStreamBase<Types extends ConnectorTypes> {
  /** snake_case; the raw table is `_raw_<connector>_<name>`. */
  name: string;
  description?: string;
  dependsOn?: readonly string[];
  /** Tool tables the stream writes; the default extract fills the first. */
  tables: readonly ToolTable<Types, ToolColumns>[];
  /** How the API pages (`linkHeader()`, `offset({ size: 50 })`, …). */
  paginator: PaginationStrategy<unknown>;
  /** JSON pointer to the records in a page's body (`/workflow_runs`); default: the body is the array. */
  records?: string;
  /**
   * JSON pointer to what identifies a record (default `/id`). A resumed run reads the page it
   * was on again and skips the records it already stored, by this, not by their place.
   */
  key?: string;
  /**
   * The client's named budget (`budgets` of `createApiClient`) every request of the stream also
   * counts against: for endpoints the API limits on their own (GitLab's pipelines).
   */
  budget?: string;
  /** The client to send requests with; default `context.client` when it is an `ApiClient`, else `context.client.api`. */
  api?(context: ScopeContext<Types>): ApiClient;
}

/** A top-level REST stream: one listing per scope. */
export interface RestStreamDefinition<Types extends ConnectorTypes, Item = unknown, Data = Item>
  extends RestStreamBase<Types> {
  path: string | ((context: ScopeContext<Types>) => string);
  /** The listing's parameters, or how to find them (looked up once per reading: Jira's board filter). */
  searchParams?: RestSearchParams | ((context: ScopeContext<Types>) => RestSearchParams | Promise<RestSearchParams>);
  /** Makes the stream incremental: each run asks only for what changed since the last (less a lookback). */
  cursor?: RestCursor<Types>;
  /** Turns a listed record into what is stored (may fetch more); undefined leaves it out. Runs for a page's records together. */
  transform?(record: Item, context: ScopeContext<Types>): Data | undefined | Promise<Data | undefined>;
  /** Default: `extractRow(tables[0], record)`. */
  extract?(record: Data, context: ExtractContext<Types>): ExtractResult | Promise<ExtractResult>;
}

/** The context of a substream's hooks: the parent row is at hand. */
export interface RestParentContext<Types extends ConnectorTypes, ParentColumns extends ToolColumns>
  extends SubstreamCollectContext<Types> {
  readonly parent: ToolRow<ParentColumns>;
}

/** Extract of a substream: `input` is what `input(parent)` returned, typed. */
export interface RestSubstreamExtractContext<Types extends ConnectorTypes, Input> extends ExtractContext<Types> {
  readonly input: Input;
}

/** A REST substream: one listing per parent row. */
export interface RestSubstreamDefinition<
  Types extends ConnectorTypes,
  ParentColumns extends ToolColumns,
  Input,
  Item = unknown,
  Data = Item,
> extends RestStreamBase<Types> {
  parent: {
    /** The stream that writes the parent table (its name, or the stream itself). */
    stream: string | AnyStream<Types>;
    table: ToolTable<Types, ParentColumns>;
    filter?(row: ToolRow<ParentColumns>): boolean;
  };
  /** True when only parents changed since the last completed pass need collecting again. */
  incremental?: boolean;
  concurrency?: number;
  path: (context: SubstreamCollectContext<Types>, parent: ToolRow<ParentColumns>) => string;
  searchParams?:
    | RestSearchParams
    | ((context: SubstreamCollectContext<Types>, parent: ToolRow<ParentColumns>) => RestSearchParams);
  /** What each record keeps of its parent (stored with the raw record, handed to extract as `context.input`). */
  input?(parent: ToolRow<ParentColumns>): Input;
  /** On an incremental pass, ask only for what changed since the last completed pass (less a lookback). */
  since?: Omit<RestCursor<Types>, 'field' | 'start'>;
  transform?(
    record: Item,
    context: RestParentContext<Types, ParentColumns>,
  ): Data | undefined | Promise<Data | undefined>;
  extract?(record: Data, context: RestSubstreamExtractContext<Types, Input>): ExtractResult | Promise<ExtractResult>;
}
