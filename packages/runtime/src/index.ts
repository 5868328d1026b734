/**
 * @lake/runtime — the `lake` agent as a library: install pinned connector versions from
 * lake.yaml and lake.lock, verify them, and run their syncs. The `lake` CLI is a thin layer
 * over these functions.
 */

export { runCommand } from './cli/run-command.js';
export { type DoctorCheck, type DoctorOptions, runDoctor } from './doctor/doctor.js';
export { isRuntimeError, RuntimeError, type RuntimeErrorCode } from './errors.js';
export { connectorPackageName } from './install/connector-metadata.js';
export { readInstallSet } from './install/install-set.js';
export {
  type ConnectorChange,
  type InstallOptions,
  type InstallOutcome,
  installProject,
} from './install/installer.js';
export { type LockedConnector, type Lockfile, readLockfile } from './install/lockfile.js';
export { type OutdatedReport, type OutdatedRow, outdatedConnectors } from './install/outdated.js';
export { type PackageKind, type PackageRef, packageNameOf } from './install/package-kind.js';
export { type VerifiedConnector, verifyInstall } from './install/verify.js';
export { loadManifest, type ManifestIssue, parseManifest } from './manifest/load-manifest.js';
export { DEFAULT_DATABASE_URL, type Manifest, scopeIdOf } from './manifest/manifest-schema.js';
export { type ProjectPaths, projectPaths } from './project/project-paths.js';
export { currentRelease, type RuntimeRelease } from './project/runtime-release.js';
export {
  type QueueJobRow,
  type QueueJobState,
  type QueueStatus,
  type QueueWorkerRow,
  readQueueStatus,
} from './queue/queue-status.js';
export { runWorker, type WorkerEvent, type WorkerOptions } from './queue/sync-worker.js';
export {
  type MetricEvent,
  type MetricOutcome,
  type ProjectMetricsOutcome,
  runProjectMetrics,
} from './run/run-project-metrics.js';
export { type RunRow, recentRuns } from './run/run-records.js';
export { runSchedules, type ScheduleOptions, type ScheduleRun } from './run/schedule.js';
export {
  type ScopeEvent,
  type ScopeOutcome,
  type SyncRunOptions,
  type SyncSelection,
  syncProject,
} from './run/sync-runner.js';
export { SecretStore } from './secrets/secret-store.js';
export { checkInstalledFiles, type FilesCheck } from './trust/files-check.js';
