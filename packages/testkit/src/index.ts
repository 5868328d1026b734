/**
 * @lake/testkit — what a connector's tests need: a lake per test, throwaway databases on
 * every dialect, a fake API server, migrations run in a child process kill points can stop,
 * and `testConnector`, the conformance suite every connector runs.
 */

export {
  countRows,
  createScratchDatabase,
  type LakeSnapshot,
  type ScratchDatabase,
  snapshotLake,
  testDialects,
} from '@lake/sdk/testing';
export type { ConformanceOptions, ConnectorFixture, FixtureOptions } from './conformance/conformance-options.js';
export { testConnector } from './conformance/test-connector.js';
export { validateConnectorInfo } from './conformance/validate-info.js';
export * from './fake-api.js';
export {
  type ChildOutcome,
  type KillSweepOptions,
  killMigrationsAtEachPoint,
  type MigrateInChildOptions,
  migrateInChild,
} from './migrate-in-child.js';
export { seededRandom } from './seeded-random.js';
export { type ServedFakeSync, type ServedFakeSyncOptions, syncAgainstServedFake } from './served-fake-sync.js';
export { testBudget } from './test-budget.js';
export {
  type ContextInput,
  type CreateTestLakeOptions,
  createTestLake,
  type SyncOverrides,
  type TestLake,
} from './test-lake.js';
