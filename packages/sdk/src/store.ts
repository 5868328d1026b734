/**
 * @lake/sdk/store — what programs other than connectors write to the lake with:
 * - a runtime: the run recorder, for a run its connector could not record (it crashed, was
 *   killed, refused its context);
 * - a metric (`@lake/metrics-dora`): a domain table's shape (declared columns, provenance
 *   columns, keys) and the batched, upserting writer it derives domain rows with.
 * Opening and migrating the store stay on the main entry (`openStore`, `runMigrations`,
 * `SDK_MIGRATIONS`), which a connector's own tests use too.
 */

export type { DomainTableName } from './domain/domain-schema.js';
export { domainShape } from './engine/layer-table-shapes.js';
export { type RunIdentity, RunRecorder, type RunStatus } from './engine/run-recorder.js';
export { StoreWriter } from './store/store-writer.js';
