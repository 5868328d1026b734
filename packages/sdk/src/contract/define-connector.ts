import { z } from 'zod';
import type { DomainTableName, DomainType } from '../domain/domain-schema.js';
import type { DomainScopeTable } from '../domain/domain-scope.js';
import { LakeError } from '../errors/lake-error.js';
import type { Logger } from '../logging/logger.js';
import type { MigrationList } from '../migrations/migration.js';
import type { Redactor } from '../secrets/redactor.js';
import type { ConnectionContext, ConnectorTypes, ConnectorTypesOf, ScopeContext } from './context.js';
import { type ContractVersion, contractVersionProblem } from './contract-version.js';
import type { AnyStream } from './stream.js';

export interface TestConnectionResult {
  ok: boolean;
  /** One line for people: "authenticated as octocat, 4,998 of 5,000 requests left". */
  message: string;
  /** Facts for `--json` output (never secrets). */
  details?: Record<string, unknown>;
}

export type RemoteScopeEntry<Scope> =
  | { kind: 'group'; id: string; name: string }
  | { kind: 'scope'; id: string; name: string; scope: Scope };

export interface RemoteScopePage<Scope> {
  entries: RemoteScopeEntry<Scope>[];
  /** Pass back as `pageToken` for the next page; absent on the last page. */
  nextPageToken?: string;
}

export interface RemoteScopeRequest {
  /** Omitted: list the top-level groups (and scopes outside any group). */
  groupId?: string;
  pageToken?: string;
}

/** A domain row that stands for the scope in DevLake's project mapping (`repos`, `boards`, `cicd_scopes`). */
export interface DomainScopeRef {
  table: DomainScopeTable;
  id: string;
}

export interface ChangeCheck {
  changed: boolean;
  /** Saved after a successful sync and handed back as `lastMarker` (e.g. a hash of all ref tips). */
  marker?: string;
}

export interface ChangedContext<Types extends ConnectorTypes> extends ScopeContext<Types> {
  readonly lastMarker: string | undefined;
  readonly lastSyncedAt: Date | undefined;
}

export interface SummaryFact {
  label: string;
  value: string | number;
  /** Optional rows for a small table under the fact (e.g. busiest files). */
  rows?: Array<Record<string, string | number>>;
}

export interface ClientFactoryContext<Types extends ConnectorTypes> {
  readonly connection: Types['connection'];
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
}

export interface ScopeDefinition<Scope> {
  schema: z.ZodType<Scope>;
  /** Stable id of a scope within a connection (≤ 200 characters); keys state and locks. */
  id(scope: Scope): string;
  /** Human name for output. */
  name(scope: Scope): string;
  /**
   * The scope's raw params (`_raw_data_params`), in DevLake's style: PascalCase keys in a
   * fixed order, e.g. `{ ConnectionId: 1, Name: 'owner/repo' }`. Default: `{ ConnectionId, ScopeId }`.
   */
  rawParams?(connectionId: number, scope: Scope): Record<string, unknown>;
}

export interface ConnectorDefinition<
  ConnectionSchema extends z.ZodObject,
  ScopeSchema extends z.ZodObject,
  ScopeConfigSchema extends z.ZodObject,
  Client,
  Types extends ConnectorTypes = ConnectorTypesOf<ConnectionSchema, ScopeSchema, ScopeConfigSchema, Client>,
> {
  /** The contract version this connector was written against (`CONTRACT_VERSION` of its SDK, e.g. `'1.0.0'`). */
  contractVersion: ContractVersion;
  /** snake_case; prefixes its tables (`_tool_<name>_…`) and domain ids (`<name>:…`). */
  name: string;
  description: string;
  /** DevLake domain types the connector fills (CODE, TICKET, CODEREVIEW, CROSS, CICD). */
  domainTypes: readonly DomainType[];
  /** Connection settings; mark secrets with `secret()`. The context adds a numeric `id`. */
  connection: ConnectionSchema;
  scope: ScopeDefinition<z.output<ScopeSchema>> & { schema: ScopeSchema };
  /** Per-scope options; every field optional with a default. */
  scopeConfig: ScopeConfigSchema;
  /** Creates the API client shared by all streams of one sync (rate-limit budgets live here). */
  client?(context: ClientFactoryContext<Types>): Client | Promise<Client>;
  /** Releases the client at the end of a sync. */
  closeClient?(client: Client): void | Promise<void>;
  testConnection(context: ConnectionContext<Types>): Promise<TestConnectionResult>;
  listRemoteScopes?(
    context: ConnectionContext<Types>,
    request: RemoteScopeRequest,
  ): Promise<RemoteScopePage<Types['scope']>>;
  /**
   * The domain rows that stand for the scope (what a runtime maps to its projects). Asked after
   * the streams ran, so it may read what they wrote (GitHub's numeric repository id); `[]` when
   * it cannot tell yet.
   */
  domainScopes(context: ScopeContext<Types>): DomainScopeRef[] | Promise<DomainScopeRef[]>;
  /** Lets a sync skip every stream when the source has not changed since the last successful sync. */
  changed?(context: ChangedContext<Types>): Promise<ChangeCheck>;
  /** Facts about the synced scope for the CLI's summary (read from the database). */
  summarize?(context: ScopeContext<Types>): Promise<SummaryFact[]>;
  streams: readonly AnyStream<Types>[];
  /** The connector's tool-table migrations, applied in id order. */
  migrations: MigrationList;
}

export interface Connector<
  ConnectionSchema extends z.ZodObject = z.ZodObject,
  ScopeSchema extends z.ZodObject = z.ZodObject,
  ScopeConfigSchema extends z.ZodObject = z.ZodObject,
  Client = unknown,
> extends ConnectorDefinition<ConnectionSchema, ScopeSchema, ScopeConfigSchema, Client> {
  readonly kind: 'connector';
  /** The connection schema with the context's `id` added. */
  readonly connectionWithId: z.ZodObject;
  /** Streams in the order they run (dependencies first). */
  readonly orderedStreams: readonly AnyStream[];
  /** Every domain table any stream writes. */
  readonly domainTables: readonly DomainTableName[];
}

const CONNECTOR_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Declares a connector. Checks the declaration at once (names, stream graph, tables) so a
 * mistake fails when the module loads, not halfway through a sync.
 *
 *   export default defineConnector({
 *     contractVersion: '1.0.0',
 *     name: 'git',
 *     description: 'Commits, files and refs of local git repositories',
 *     domainTypes: ['CODE', 'CROSS'],
 *     connection: z.object({}),
 *     scope: { schema: scopeSchema, id: (scope) => scope.path, name: (scope) => scope.path },
 *     scopeConfig: z.object({}),
 *     testConnection: async () => ({ ok: true, message: 'git 2.39 found' }),
 *     domainScopes: (context) => [{ table: 'repos', id: context.ids.of('GitRepo', context.scopeId) }],
 *     streams: [commitsStream],
 *     migrations,
 *   });
 */
export function defineConnector<
  ConnectionSchema extends z.ZodObject,
  ScopeSchema extends z.ZodObject,
  ScopeConfigSchema extends z.ZodObject,
  Client = undefined,
>(
  definition: ConnectorDefinition<ConnectionSchema, ScopeSchema, ScopeConfigSchema, Client>,
): Connector<ConnectionSchema, ScopeSchema, ScopeConfigSchema, Client> {
  const problem = (message: string) => new LakeError('CONNECTOR_INVALID', message, { source: definition.name });
  const versionProblem = contractVersionProblem(definition.contractVersion);
  if (versionProblem) throw problem(versionProblem);
  if (!CONNECTOR_NAME.test(definition.name)) throw problem(`connector name must match ${CONNECTOR_NAME}`);
  if ('id' in definition.connection.shape)
    throw problem('the connection schema must not declare "id"; the context supplies it');

  const streams = definition.streams as readonly AnyStream[];
  const names = new Set<string>();
  for (const stream of streams) {
    if (names.has(stream.name)) throw problem(`stream "${stream.name}" is declared twice`);
    names.add(stream.name);
  }
  for (const stream of streams) {
    for (const dependency of dependenciesOf(stream)) {
      if (!names.has(dependency)) throw problem(`stream "${stream.name}" depends on unknown stream "${dependency}"`);
    }
  }
  const domainTables = new Set<DomainTableName>();
  for (const stream of streams)
    for (const table of stream.tables) for (const name of table.produces) domainTables.add(name);

  return {
    ...definition,
    kind: 'connector',
    connectionWithId: definition.connection.extend({ id: z.number().int().positive() }),
    orderedStreams: orderStreams(streams, problem),
    domainTables: [...domainTables].sort(),
  };
}

export function dependenciesOf(stream: AnyStream): string[] {
  const dependencies = [...(stream.dependsOn ?? [])];
  if (stream.kind === 'substream' && !dependencies.includes(stream.parent.stream))
    dependencies.push(stream.parent.stream);
  return dependencies;
}

/** Topological order, declaration order among equals; a cycle is an error naming its members. */
function orderStreams(streams: readonly AnyStream[], problem: (message: string) => LakeError): AnyStream[] {
  const byName = new Map(streams.map((stream) => [stream.name, stream]));
  const ordered: AnyStream[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stream: AnyStream, path: string[]) => {
    const mark = state.get(stream.name);
    if (mark === 'done') return;
    if (mark === 'visiting')
      throw problem(`streams depend on each other in a cycle: ${[...path, stream.name].join(' → ')}`);
    state.set(stream.name, 'visiting');
    for (const dependency of dependenciesOf(stream)) visit(byName.get(dependency)!, [...path, stream.name]);
    state.set(stream.name, 'done');
    ordered.push(stream);
  };
  for (const stream of streams) visit(stream, []);
  return ordered;
}
