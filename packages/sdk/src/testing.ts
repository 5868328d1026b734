/** @lake/sdk/testing — throwaway databases and lake snapshots for suites that loop over SQLite, PostgreSQL and MySQL. */

export { KILL_POINT_VARIABLES } from './faults/kill-points.js';
export { describeSchema, type SchemaDescription } from './testing/describe-schema.js';
export { createScratchDatabase, type ScratchDatabase, testDialects } from './testing/scratch-database.js';
export { countRows, type LakeSnapshot, snapshotLake } from './testing/snapshot-lake.js';
