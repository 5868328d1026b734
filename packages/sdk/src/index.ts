/**
 * @lake/sdk — the connector contract and the machinery every connector shares.
 *
 * Read in this order: `defineConnector` (the contract), `defineStream` / `defineSubstream`
 * (collect → extract → convert), `defineToolTable` (the tool layer), `domainRecord` (the
 * domain layer), `runSync` (what runs it all).
 */

/** kysely's `sql` tag, for the few queries the builder cannot express (recursive CTEs, dialect-specific DDL). */
export { sql } from 'kysely';
// zod, re-exported so that a connector's schemas and the SDK share one copy.
export { z } from 'zod';
export { type ConnectorInfo, type StreamInfo, toolTableName } from './contract/connector-info.js';
export type {
  CollectContext,
  ConnectionContext,
  ConnectorTypes,
  ConnectorTypesOf,
  ConvertContext,
  ExtractContext,
  RawRecordInfo,
  ScopeContext,
  SubstreamCollectContext,
} from './contract/context.js';
// The contract
export type { ContractVersion } from './contract/contract-version.js';
export {
  type ChangeCheck,
  type ChangedContext,
  type ClientFactoryContext,
  type Connector,
  type ConnectorDefinition,
  type DomainScopeRef,
  defineConnector,
  type RemoteScopeEntry,
  type RemoteScopePage,
  type RemoteScopeRequest,
  type ScopeDefinition,
  type SummaryFact,
  type TestConnectionResult,
} from './contract/define-connector.js';
export { type ReplacedRows, replaceRows } from './contract/replaced-rows.js';
// Scope-config fields
export { patternSetting, timeAfterSetting } from './contract/scope-config-fields.js';
export {
  type AnyStream,
  defineStream,
  defineSubstream,
  type ExtractedRow,
  type ExtractResult,
  type RawRecord,
  type Stream,
  type StreamDefinition,
  type Substream,
  type SubstreamDefinition,
} from './contract/stream.js';
export {
  type ConvertRow,
  type ConvertRowProvenance,
  defineToolTable,
  type SnakeCase,
  type ToolColumnSpec,
  type ToolColumns,
  type ToolRow,
  type ToolRowProvenance,
  type ToolTable,
  type ToolTableDefinition,
} from './contract/tool-table.js';
// Columns and the domain layer
export {
  type ColumnKind,
  type ColumnReadValue,
  type ColumnSpec,
  type ColumnValue,
  column,
  indexed,
  key,
  nullable,
} from './domain/columns.js';
export { type CommitFields, commitRecord } from './domain/commit-record.js';
export { commitFileId, createDomainIds, type DomainIds, refId } from './domain/domain-ids.js';
export {
  type DomainRecord,
  type DomainRow,
  type DomainTableName,
  type DomainType,
  domainRecord,
} from './domain/domain-schema.js';
export type { DomainScopeTable } from './domain/domain-scope.js';
// Running
export { type ConnectionTaskRequest, runListRemoteScopes, runTestConnection } from './engine/connection-tasks.js';
export { extractRow } from './engine/default-extractor.js';
export type { RunIdentity, RunStatus } from './engine/run-recorder.js';
export type { StateKey } from './engine/state-store.js';
export {
  runSync,
  type StreamResult,
  type StreamStatus,
  type SyncMode,
  type SyncRequest,
  type SyncResult,
} from './engine/sync.js';
export type { SyncOptions } from './engine/sync-context.js';
export type { SyncEvent } from './engine/sync-events.js';
export { ConfigError, type FieldIssue } from './errors/config-error.js';
// Errors and logging
export { isLakeError, LakeError, type LakeErrorCode, type LakeErrorOptions, messageOf } from './errors/lake-error.js';
// HTTP toolkit
export * from './http/index.js';
export type { LogEntry, Logger, LogLevel, LogSink } from './logging/logger.js';
export type { CreateTableOptions, Migration, MigrationContext, MigrationList } from './migrations/migration.js';
export { pendingMigrations } from './migrations/pending-migrations.js';
export { type MigrationOutcome, runMigrations } from './migrations/run-migrations.js';
export { SDK_MIGRATIONS } from './migrations/sdk-migrations.js';
// Declarative REST streams
export * from './rest/index.js';
// Secrets
export { SECRET_SCHEMA_KEYWORD, Secret, secret } from './secrets/secret.js';
// Store and migrations
export type { DialectName } from './store/database-url.js';
export type { LakeKysely } from './store/lake-kysely.js';
export type { ColumnDescription, IndexDescription, TableDescription } from './store/schema-description.js';
export { type OpenStoreOptions, openStore, type Store } from './store/store.js';
export type { TableShape } from './store/table-shape.js';
