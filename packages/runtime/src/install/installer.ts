import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { RuntimeError } from '../errors.js';
import { loadManifest, parseManifest } from '../manifest/load-manifest.js';
import { describeRequest, type Manifest } from '../manifest/manifest-schema.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { currentRelease, type RuntimeRelease } from '../project/runtime-release.js';
import { checkInstalledFiles } from '../trust/files-check.js';
import {
  type SignaturePolicy,
  signaturePolicy,
  signaturesRequired,
  signClosure,
  UNCHECKED_WARNING,
} from '../trust/signature-policy.js';
import { collectCustomTarballs, customDependencySpec } from './custom-source.js';
import { withInstallMutex } from './install-mutex.js';
import { type PlannedConnector, planInstall } from './install-plan.js';
import { type InstallRecord, saveInstallRecord, takeInstallRecord } from './install-record.js';
import { type InstallSet, readInstallSet, writeInstallSet } from './install-set.js';
import { installDirectoryName, lockDigest } from './lock-digest.js';
import {
  LOCKFILE_VERSION,
  type LockedConnector,
  type Lockfile,
  readLockfile,
  sameLockfile,
  writeLockfile,
} from './lockfile.js';
import { npmContext } from './npm-options.js';
import { installLocked, type NpmContext, resolveAndInstall } from './npm-tree.js';
import { indexInstalledPackages } from './package-index.js';
import {
  entryOf,
  type PackageKind,
  type PackageRef,
  packageKey,
  packageLabel,
  packageRefs,
  setEntry,
} from './package-kind.js';
import { linkIntoStore, pruneStore } from './package-store.js';
import { staleMetadataWarning, watchStaleMetadata } from './stale-metadata.js';

export interface InstallOptions {
  /** Install exactly lake.lock; fail when it and lake.yaml disagree. */
  frozen?: boolean;
  /** Reinstall every connector, even those whose files are as installed. */
  force?: boolean;
  /** The runtime release to install for (default: this package's). Tests inject others. */
  release?: RuntimeRelease;
  environment?: NodeJS.ProcessEnv;
  /** npm's download cache (default `$LAKE_CACHE_DIR` or `~/.cache/lake/npm`). */
  cacheDirectory?: string;
  /** A new lake.yaml to install and, only if that succeeds, write (`lake add` / `lake remove`). */
  manifestText?: string;
  /** Re-resolve these connectors (`metric.<name>` for a metric) even when their locked version still satisfies lake.yaml. */
  update?: readonly string[];
  /** Move connectors that follow the runtime (`shipped`) to its shipped versions (`lake upgrade`). */
  followShipped?: boolean;
  /** Progress lines for people ("resolving git", "installing github 0.2.0"). */
  onProgress?: (message: string) => void;
}

export interface ConnectorChange {
  name: string;
  /** A connector, or a metric package. */
  kind: PackageKind;
  action: 'added' | 'updated' | 'removed' | 'unchanged' | 'reinstalled' | 'repaired';
  from?: string;
  to?: string;
  source: LockedConnector['source'];
  /** Why it was reinstalled (`repaired`: the files that had changed). */
  detail?: string;
}

export interface InstallOutcome {
  lock: Lockfile;
  changes: ConnectorChange[];
  warnings: string[];
}

/**
 * `lake install`: resolves lake.yaml against the registry (keeping what the lock already
 * satisfies), checks every connector — contract, shipped pins, integrity — before anything
 * on disk changes, installs each connector into its own directory, and only then switches
 * the working set, lock and manifest over. A failure leaves the previous set untouched.
 */
export async function installProject(paths: ProjectPaths, options: InstallOptions = {}): Promise<InstallOutcome> {
  const environment = options.environment ?? process.env;
  const release = options.release ?? (await currentRelease());
  const manifest: Manifest =
    options.manifestText === undefined
      ? await loadManifest(paths)
      : parseManifest(options.manifestText, paths.manifest);
  const npm = await npmContext(paths, manifest, environment, options.cacheDirectory);
  const progress = options.onProgress ?? (() => {});
  const warnings: string[] = [];

  const policy = await signaturePolicy(paths, manifest, environment);

  return withInstallMutex(paths.installLock, async () => {
    const lock = await readLockfile(paths);
    const stale = environment.LAKE_OFFLINE === '1' ? undefined : watchStaleMetadata();
    let outcome: InstallOutcome | undefined;
    try {
      outcome = await installWithLock(paths, options, {
        manifest,
        release,
        npm,
        lock,
        policy,
        progress,
        warnings,
      });
      const warning = staleMetadataWarning(stale?.stop() ?? [], npm.registry);
      if (warning) outcome.warnings.push(warning);
      return outcome;
    } finally {
      stale?.stop();
      // Tarballs of custom connectors the lock on disk does not name (one refused, or replaced) go.
      // After a success the lock on disk is the outcome's; after a failure it is read again.
      await collectCustomTarballs(paths, outcome?.lock ?? (await readLockfile(paths).catch(() => lock)));
    }
  });
}

interface InstallInputs {
  manifest: Manifest;
  release: RuntimeRelease;
  npm: NpmContext;
  lock: Lockfile | undefined;
  policy: SignaturePolicy;
  progress: (message: string) => void;
  warnings: string[];
}

/** A connector installed into its staging directory, switched over once every one is. */
interface StagedConnector {
  ref: PackageRef;
  staging: string;
  entry: LockedConnector;
  record: InstallRecord;
}

/** What the steps of an install build up: the next install set and lock, the changes, what is staged. */
interface InstallTally {
  readonly previousSet: InstallSet;
  readonly nextSet: InstallSet;
  readonly nextLock: Lockfile;
  readonly changes: ConnectorChange[];
  readonly staged: StagedConnector[];
}

type KeepStep = Extract<PlannedConnector, { kind: 'keep' }>;
type ResolveStep = Extract<PlannedConnector, { kind: 'resolve' }>;

async function installWithLock(
  paths: ProjectPaths,
  options: InstallOptions,
  inputs: InstallInputs,
): Promise<InstallOutcome> {
  const { release, lock, warnings } = inputs;
  const plan = await planWithWarnings(paths, options, inputs);
  const tally: InstallTally = {
    previousSet: await readInstallSet(paths),
    nextSet: { setVersion: 1, connectors: {} },
    nextLock: { lockfileVersion: LOCKFILE_VERSION, runtime: release.version, connectors: {} },
    changes: [],
    staged: [],
  };
  if (lock && !options.followShipped) tally.nextLock.runtime = lock.runtime;

  try {
    for (const step of plan) {
      if (step.kind === 'keep') await installKept(paths, options, inputs, step, tally);
      else await installNewlyResolved(paths, options, inputs, step, tally);
    }
    noteRemoved(tally);
    // Every connector is installed and checked: switch over.
    await switchOver(paths, tally.staged);
  } catch (error) {
    await Promise.all(tally.staged.map(({ staging }) => rm(staging, { recursive: true, force: true })));
    await removeStagingDirectories(paths);
    throw error;
  }
  await commitInstall(paths, options, lock, tally);
  return { lock: tally.nextLock, changes: tally.changes, warnings };
}

/** The install plan; a warning when connectors from the registry go in with signatures unchecked. */
async function planWithWarnings(
  paths: ProjectPaths,
  options: InstallOptions,
  { manifest, release, npm, lock, policy, warnings }: InstallInputs,
): Promise<PlannedConnector[]> {
  const plan = await planInstall({
    paths,
    manifest,
    lock,
    release,
    npm,
    frozen: options.frozen ?? false,
    update: new Set(options.update ?? []),
    followShipped: options.followShipped ?? false,
    policy,
    warn: (message) => warnings.push(message),
  });
  if (
    !signaturesRequired(policy) &&
    plan.some((step) => step.request.kind === 'shipped' || step.request.kind === 'range')
  ) {
    warnings.push(UNCHECKED_WARNING);
  }
  return plan;
}

/** A connector the lock already holds: left as installed when its files are intact, else installed from the lock. */
async function installKept(
  paths: ProjectPaths,
  options: InstallOptions,
  { npm, progress, warnings }: InstallInputs,
  step: KeepStep,
  tally: InstallTally,
): Promise<void> {
  const installed = entryOf(tally.previousSet, step.ref);
  const label = packageLabel(step.ref);
  let entry = step.entry;
  const directory = installDirectoryName(packageKey(step.ref), entry);
  let detail: string | undefined;
  if (entry.filesDigest === undefined) {
    // A lock from before file digests: nothing to check the directory against, so it is
    // installed again from tarballs checked against the lock, and its digest recorded.
    progress(`installing ${label} ${entry.version} from the lock to record the digest of its files`);
  } else if (!options.force && installed?.lockDigest === lockDigest(entry) && installed.directory === directory) {
    // What the lock holds is installed: unchanged, unless its files changed since.
    const check = await checkInstalledFiles(join(paths.connectors, directory), entry.filesDigest);
    if (check.ok) return keepInstalled(tally, step.ref, entry);
    detail = check.problem;
    progress(`${label}: ${check.problem}; reinstalling it from the lock`);
  } else {
    progress(`installing ${label} ${entry.version} from the lock`);
  }
  const { staging, record } = await installFromLock(paths, step.ref, entry, npm, {
    // A repair (or --force) re-reads the store entries it links to: the damage it repairs
    // may be in the store itself, changed through another connector's link. So does an
    // install with no digest to check the result against.
    careful: detail !== undefined || options.force === true || entry.filesDigest === undefined,
    progress,
  });
  if (entry.filesDigest === undefined) {
    entry = { ...entry, filesDigest: record.filesDigest };
    warnings.push(`${label}: lake.lock now records the digest of its installed files; commit lake.lock`);
  } else if (record.filesDigest !== entry.filesDigest) {
    throw lockDigestMismatch(label, entry, record);
  }
  tally.changes.push({
    name: step.name,
    kind: step.ref.kind,
    action: detail ? 'repaired' : installed ? 'reinstalled' : 'added',
    ...(installed ? { from: installed.version } : {}),
    to: entry.version,
    source: entry.source,
    ...(detail ? { detail } : {}),
  });
  stage(tally, { ref: step.ref, staging, entry, record }, directory);
}

function lockDigestMismatch(name: string, entry: LockedConnector, record: InstallRecord): RuntimeError {
  return new RuntimeError(
    'INTEGRITY_MISMATCH',
    `${name} ${entry.version}: the files installed from lake.lock do not match the digest lake.lock records (${entry.filesDigest}, installed ${record.filesDigest}); the lock was edited, or this runtime lays out packages differently from the one that wrote it (\`lake install --force\` without --frozen records a new digest)`,
    { details: { connector: name, expected: entry.filesDigest, installed: record.filesDigest } },
  );
}

/** A connector resolved from the registry or its custom source: installed, signed, its files linked into the store. */
async function installNewlyResolved(
  paths: ProjectPaths,
  options: InstallOptions,
  { npm, policy, progress }: InstallInputs,
  step: ResolveStep,
  tally: InstallTally,
): Promise<void> {
  const installed = entryOf(tally.previousSet, step.ref);
  progress(`installing ${packageLabel(step.ref)} ${step.metadata.version}`);
  const staging = stagingDirectory(paths, step.ref);
  let entry = await installResolved(paths, step, staging, npm);
  const signatures = await signClosure(
    policy,
    entry,
    npm,
    step.signature ? { [`node_modules/${entry.package}`]: step.signature } : {},
  );
  if (signatures) entry.signatures = signatures;
  const record = await takeInstallRecord(staging, packageKey(step.ref), entry);
  entry = { ...entry, filesDigest: record.filesDigest as string };
  const linking = await linkIntoStore(staging, record.files, paths.store, { verifyExisting: options.force === true });
  // The packages npm laid out are in the store now: listed, a later install from the lock links them.
  if (linking.copied === 0) indexInstalledPackages(staging, entry.packages, record.files, paths.store);
  const directory = installDirectoryName(packageKey(step.ref), entry);
  const from = step.previous?.version ?? installed?.version;
  const same = step.previous !== undefined && lockDigest(step.previous) === lockDigest(entry);
  if (
    same &&
    installed?.directory === directory &&
    (await checkInstalledFiles(join(paths.connectors, directory), entry.filesDigest)).ok
  ) {
    // Resolved again to exactly what is installed (`lake upgrade <name>` with nothing
    // new): the installed directory stays, so a sync running from it keeps its files.
    await rm(staging, { recursive: true, force: true });
    return keepInstalled(tally, step.ref, entry);
  }
  tally.changes.push({
    name: step.name,
    kind: step.ref.kind,
    action: from === undefined ? 'added' : same ? 'reinstalled' : 'updated',
    ...(from === undefined ? {} : { from }),
    to: entry.version,
    source: entry.source,
  });
  stage(tally, { ref: step.ref, staging, entry, record }, directory);
}

/** The installed directory stays as it is, under `entry`. */
function keepInstalled(tally: InstallTally, ref: PackageRef, entry: LockedConnector): void {
  const installed = entryOf(tally.previousSet, ref)!;
  setEntry(tally.nextSet, ref, { ...installed, source: entry.source });
  setEntry(tally.nextLock, ref, entry);
  tally.changes.push({ name: ref.name, kind: ref.kind, action: 'unchanged', to: entry.version, source: entry.source });
}

function stage(tally: InstallTally, staged: StagedConnector, directory: string): void {
  tally.staged.push(staged);
  setEntry(tally.nextSet, staged.ref, installedEntry(staged.entry, directory));
  setEntry(tally.nextLock, staged.ref, staged.entry);
}

/** Connectors and metrics installed before and not now. */
function noteRemoved(tally: InstallTally): void {
  for (const ref of packageRefs(tally.previousSet)) {
    if (entryOf(tally.nextSet, ref) === undefined) {
      const gone = entryOf(tally.previousSet, ref)!;
      tally.changes.push({
        name: ref.name,
        kind: ref.kind,
        action: 'removed',
        from: gone.version,
        source: gone.source,
      });
    }
  }
}

/** Each staged connector replaces its installed directory. */
async function switchOver(paths: ProjectPaths, staged: readonly StagedConnector[]): Promise<void> {
  for (const { ref, staging, entry, record } of staged) {
    const finalDirectory = join(paths.connectors, installDirectoryName(packageKey(ref), entry));
    await saveInstallRecord(staging, record);
    await rm(finalDirectory, { recursive: true, force: true });
    await rename(staging, finalDirectory);
  }
}

/** The manifest, lock and install set of the outcome written; what no set uses any more, collected. */
async function commitInstall(
  paths: ProjectPaths,
  options: InstallOptions,
  lock: Lockfile | undefined,
  { previousSet, nextSet, nextLock }: InstallTally,
): Promise<void> {
  if (options.manifestText !== undefined) await writeFileAtomic(paths.manifest, options.manifestText);
  // An install from the lock that changed nothing in it leaves the file alone (formatting it is not free).
  if (!lock || !sameLockfile(lock, nextLock)) {
    await writeLockfile(paths, nextLock);
  }
  await writeInstallSet(paths, nextSet);
  await collectGarbage(paths, [previousSet, nextSet]);
}

async function installResolved(
  paths: ProjectPaths,
  step: Extract<PlannedConnector, { kind: 'resolve' }>,
  staging: string,
  npm: NpmContext,
): Promise<LockedConnector> {
  const { metadata } = step;
  const custom = step.packed !== undefined;
  const spec = custom ? customDependencySpec(paths, step.resolved) : step.dependencySpec;
  const packages = await resolveAndInstall(
    staging,
    { [metadata.package]: spec },
    npm,
    `${metadata.package}@${metadata.version}`,
    custom ? { [`node_modules/${metadata.package}`]: step.integrity } : {},
  );
  const top = packages[`node_modules/${metadata.package}`];
  if (!top || top.version !== metadata.version || (!custom && top.integrity !== step.integrity)) {
    throw new RuntimeError(
      'INSTALL_FAILED',
      `${metadata.package}: resolved ${metadata.version} (${step.integrity}) but installed ${top?.version ?? 'nothing'} (${top?.integrity ?? 'no integrity'})`,
    );
  }
  const entry: LockedConnector = {
    package: metadata.package,
    requested: describeRequest(step.request),
    source: step.request.kind === 'path' ? 'path' : step.request.kind === 'tarball' ? 'tarball' : 'registry',
    version: metadata.version,
    resolved: custom ? relative(paths.root, step.resolved) : step.resolved,
    integrity: step.integrity,
    contract: metadata.contract,
    domainTypes: metadata.domainTypes,
    bin: metadata.bin,
    packages,
  };
  if ((step.request.kind === 'shipped' || step.request.kind === 'range') && step.request.allowDowngrade) {
    entry.allowDowngrade = true;
  }
  return entry;
}

/**
 * Lays out `entry` from the lock in a new staging directory and hashes it. Unless `careful`,
 * packages the store index lists are linked with no fetch and store entries are trusted by
 * their size; if the result then differs from lake.lock's digest (a damaged store entry or
 * index), the connector is laid out again from tarballs checked against the lock, every store
 * entry re-read and a damaged one replaced, before the caller compares the digest again.
 */
async function installFromLock(
  paths: ProjectPaths,
  ref: PackageRef,
  entry: LockedConnector,
  npm: NpmContext,
  { careful, progress }: { careful: boolean; progress: (message: string) => void },
): Promise<{ staging: string; record: InstallRecord }> {
  const layOut = async (quick: boolean) => {
    const staging = stagingDirectory(paths, ref);
    await installLocked(staging, dependenciesOf(paths, entry), entry.packages, npm, {
      store: paths.store,
      useIndex: quick,
      verifyExisting: !quick,
    });
    return { staging, record: await takeInstallRecord(staging, packageKey(ref), entry) };
  };
  const first = await layOut(!careful);
  if (careful || first.record.filesDigest === entry.filesDigest) return first;
  progress(
    `${packageLabel(ref)}: the files linked from the store differ from lake.lock's digest; unpacking its tarballs again`,
  );
  await rm(first.staging, { recursive: true, force: true });
  return layOut(false);
}

/** The install directory's dependency on the connector: its exact version, or its custom tarball. */
function dependenciesOf(paths: ProjectPaths, entry: LockedConnector): Record<string, string> {
  if (entry.source === 'registry') return { [entry.package]: entry.version };
  return { [entry.package]: customDependencySpec(paths, join(paths.root, entry.resolved)) };
}

function installedEntry(entry: LockedConnector, directory: string) {
  return {
    directory,
    package: entry.package,
    version: entry.version,
    source: entry.source,
    integrity: entry.integrity,
    lockDigest: lockDigest(entry),
    bin: entry.bin,
  };
}

function stagingDirectory(paths: ProjectPaths, ref: PackageRef): string {
  return join(paths.connectors, `.staging-${packageKey(ref)}-${randomBytes(4).toString('hex')}`);
}

async function removeStagingDirectories(paths: ProjectPaths): Promise<void> {
  const entries = await readdir(paths.connectors).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => entry.startsWith('.staging-'))
      .map((entry) => rm(join(paths.connectors, entry), { recursive: true, force: true })),
  );
}

/**
 * Removes connector directories neither the new working set nor the one before it uses. The
 * previous generation stays, so a sync that started before this install keeps its files.
 */
async function collectGarbage(paths: ProjectPaths, sets: InstallSet[]): Promise<void> {
  const keep = new Set(sets.flatMap((set) => packageRefs(set).map((ref) => entryOf(set, ref)!.directory)));
  const entries = await readdir(paths.connectors, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && !keep.has(entry.name))
      .map((entry) => rm(join(paths.connectors, entry.name), { recursive: true, force: true })),
  );
  await pruneStore(paths.store);
}
