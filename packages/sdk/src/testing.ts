/**
 * @lake/sdk/testing — for suites that test connectors: throwaway databases and lake snapshots
 * for loops over SQLite, PostgreSQL and MySQL, the kill points, what a connector declares
 * (`connectorInfo`), the provenance columns every tool row carries, and the stream state a
 * test reads or rewinds (`loadState`, `setStreamCursor`). Nothing a connector itself needs.
 */

export { type ConnectorInfo, connectorInfo } from './contract/connector-info.js';
export { loadState, type StateKey } from './engine/state-store.js';
export { setStreamCursor } from './engine/stream-cursor.js';
export { KILL_POINT_VARIABLES } from './faults/kill-points.js';
export { toolTableDrift } from './migrations/declaration-drift.js';
export { describeSchema, type SchemaDescription } from './testing/describe-schema.js';
export { createScratchDatabase, type ScratchDatabase, testDialects } from './testing/scratch-database.js';
export { countRows, type LakeSnapshot, snapshotLake } from './testing/snapshot-lake.js';
