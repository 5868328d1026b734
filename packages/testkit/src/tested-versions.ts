/** @lake/testkit/tested-versions — the vitest reporter that records what a connector's tests exercised. */
export {
  foldPassedRun,
  passedRunFile,
  readTestedVersions,
  TESTED_VERSIONS_FILE,
  type TestedVersions,
  TestedVersionsReporter,
} from './tested-versions/tested-versions-reporter.js';
