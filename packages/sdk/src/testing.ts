/** @lake/sdk/testing — throwaway databases and lake snapshots for suites that loop over SQLite, PostgreSQL and MySQL. */
export { createScratchDatabase, type ScratchDatabase, testDialects } from './testing/scratch-database.js';
export { countRows, type LakeSnapshot, snapshotLake } from './testing/snapshot-lake.js';
