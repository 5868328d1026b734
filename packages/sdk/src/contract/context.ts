import type { z } from 'zod';
import type { DomainIds } from '../domain/domain-ids.js';
import type { Logger } from '../logging/logger.js';
import type { LakeKysely } from '../store/lake-kysely.js';

/**
 * The four types a connector is made of. Derive them from the zod schemas:
 *
 *   export type GitTypes = ConnectorTypesOf<typeof connectionSchema, typeof scopeSchema, typeof scopeConfigSchema, GitClient>;
 */
export interface ConnectorTypes {
  connection: { id: number };
  scope: object;
  scopeConfig: object;
  client: unknown;
}

export type ConnectorTypesOf<
  ConnectionSchema extends z.ZodType,
  ScopeSchema extends z.ZodType,
  ScopeConfigSchema extends z.ZodType,
  Client = undefined,
> = {
  connection: z.output<ConnectionSchema> & { id: number };
  scope: z.output<ScopeSchema>;
  scopeConfig: z.output<ScopeConfigSchema>;
  client: Client;
};

/** What every hook gets about the connection. */
export interface ConnectionContext<Types extends ConnectorTypes> {
  readonly connector: string;
  /** Parsed connection; secret fields are `Secret` objects (`.reveal()` to use them). */
  readonly connection: Types['connection'];
  readonly client: Types['client'];
  readonly ids: DomainIds;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** What every hook gets about the scope being synced. */
export interface ScopeContext<Types extends ConnectorTypes> extends ConnectionContext<Types> {
  readonly scope: Types['scope'];
  readonly scopeId: string;
  /** Options for this scope, defaults applied. */
  readonly scopeConfig: Types['scopeConfig'];
  /** The scope's raw params as stored in `_raw_data_params`, e.g. `{"ConnectionId":1,"Name":"owner/repo"}`. */
  readonly rawParams: string;
  /** Read access to the Lake database (for lookups; writes go through yielded records). */
  readonly db: LakeKysely;
}

export interface CollectContext<Types extends ConnectorTypes, State> extends ScopeContext<Types> {
  /** What the last `checkpoint` saved for this stream and scope; undefined on a first or `--full` run. */
  readonly state: State | undefined;
  /** True when this run re-collects everything (a `--full` sync, or a stream that is not incremental). */
  readonly full: boolean;
  /**
   * Commits every record yielded so far together with `state`, in one transaction. After a
   * crash, collection resumes from the last checkpoint with `state` as given here. Call it
   * after each page (or other resumable unit).
   */
  checkpoint(state: State): Promise<void>;
  /** Tells progress output how many records to expect, when the source says. */
  reportTotal(total: number): void;
}

export interface SubstreamCollectContext<Types extends ConnectorTypes> extends ScopeContext<Types> {
  /** Start of the last completed pass over the parents, for incremental APIs (`since=`); undefined on a full pass. */
  readonly since: Date | undefined;
  readonly full: boolean;
}

/** Raw record metadata handed to extract (its database id is assigned when the batch commits). */
export interface RawRecordInfo<Input = unknown> {
  readonly url: string;
  /** What the record's `collect` attached to it (`RawRecord.input`), typed by the substream that collected it. */
  readonly input: Input;
  readonly table: string;
}

export interface ExtractContext<Types extends ConnectorTypes, Input = unknown> extends ScopeContext<Types> {
  readonly raw: RawRecordInfo<Input>;
}

export type ConvertContext<Types extends ConnectorTypes> = ScopeContext<Types>;
