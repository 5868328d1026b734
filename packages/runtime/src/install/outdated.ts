import semver from 'semver';
import { loadManifest } from '../manifest/load-manifest.js';
import { type Manifest, normalizeRequest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { currentRelease, type RuntimeRelease } from '../project/runtime-release.js';
import { publishedConnectorVersions, runsOn } from './compatible-version.js';
import { type Lockfile, readLockfile } from './lockfile.js';
import { npmContext } from './npm-options.js';
import { type NpmContext, publishedVersions } from './npm-tree.js';
import {
  entryOf,
  type PackageKind,
  type PackageRef,
  packageKey,
  packageLabel,
  packageNameOf,
  packageRefs,
  shippedVersion,
} from './package-kind.js';

/** Who decides a connector's version. */
export type PinnedBy = 'runtime' | 'user' | 'custom';

export interface OutdatedRow {
  name: string;
  kind: PackageKind;
  pinnedBy: PinnedBy;
  requested: string;
  locked: string | undefined;
  /** What this runtime ships, for core connectors. */
  shipped: string | undefined;
  /** Newest published version the request allows and this runtime can run. */
  wanted: string | undefined;
  /** Newest published version. */
  latest: string | undefined;
  /** Published versions newer than the locked one that this runtime cannot run, with the contract each needs. */
  incompatible: Array<{ version: string; contract: string }>;
  /** Why it is listed; empty when it is current. */
  notes: string[];
}

export interface OutdatedReport {
  runtime: { version: string; contract: string; latest: string | undefined };
  rows: OutdatedRow[];
  /** The stale-pin warnings: a user pin older than what the runtime now ships. */
  warnings: string[];
}

export interface OutdatedOptions {
  release?: RuntimeRelease;
  environment?: NodeJS.ProcessEnv;
  cacheDirectory?: string;
}

/**
 * `lake outdated`: for every connector, the locked version against what the runtime ships,
 * what lake.yaml allows and what the registry has — and a warning for each user pin older
 * than the runtime's shipped version (it keeps the old version running after an upgrade).
 */
export async function outdatedConnectors(paths: ProjectPaths, options: OutdatedOptions = {}): Promise<OutdatedReport> {
  const environment = options.environment ?? process.env;
  const release = options.release ?? (await currentRelease());
  const manifest = await loadManifest(paths);
  const lock = await readLockfile(paths);
  const npm = await npmContext(paths, manifest, environment, options.cacheDirectory);
  const warnings: string[] = [];
  const rows = await Promise.all(
    packageRefs(manifest).map((ref) => outdatedRow(ref, { manifest, lock, release, npm, warnings })),
  );
  const runtimeVersions = await publishedVersions('@lake/runtime', npm).catch(() => [] as string[]);
  const latestRuntime = semver.maxSatisfying(
    runtimeVersions.filter((version) => !semver.prerelease(version)),
    '*',
  );
  return {
    runtime: {
      version: release.version,
      contract: release.contract,
      latest: latestRuntime && semver.gt(latestRuntime, release.version) ? latestRuntime : undefined,
    },
    rows,
    warnings,
  };
}

interface OutdatedInputs {
  manifest: Manifest;
  lock: Lockfile | undefined;
  release: RuntimeRelease;
  npm: NpmContext;
  /** Stale-pin warnings are added here. */
  warnings: string[];
}

/** One connector's or metric's row: locked against shipped, wanted and latest, with why it is listed. */
async function outdatedRow(
  ref: PackageRef,
  { manifest, lock, release, npm, warnings }: OutdatedInputs,
): Promise<OutdatedRow> {
  const name = packageLabel(ref);
  const request = normalizeRequest(entryOf(manifest, ref)!);
  const entry = entryOf(lock, ref);
  const shipped = shippedVersion(release, ref);
  const row: OutdatedRow = {
    name: ref.name,
    kind: ref.kind,
    pinnedBy: request.kind === 'shipped' ? 'runtime' : request.kind === 'range' ? 'user' : 'custom',
    requested: request.kind === 'range' ? request.range : request.kind === 'shipped' ? 'shipped' : request.path,
    locked: entry?.version,
    shipped,
    wanted: undefined,
    latest: undefined,
    incompatible: [],
    notes: [],
  };
  if (!entry) row.notes.push('not installed (run `lake install`)');
  if (request.kind === 'path' || request.kind === 'tarball') return row;
  const versions = (await publishedConnectorVersions(packageNameOf(ref), npm)).filter(
    (candidate) => !semver.prerelease(candidate.version),
  );
  const allowed = request.kind === 'shipped' ? (shipped ?? '*') : request.range;
  row.latest = versions[0]?.version;
  row.wanted = versions.find(
    (candidate) => semver.satisfies(candidate.version, allowed) && runsOn(candidate, release),
  )?.version;
  row.incompatible = versions
    .filter((candidate) => !runsOn(candidate, release) && (!entry || semver.gt(candidate.version, entry.version)))
    .map((candidate) => ({ version: candidate.version, contract: candidate.contract ?? 'none' }));
  // Not a note: a version this runtime cannot run is nothing to upgrade to (exit 0).
  const newestIncompatible = row.incompatible[0];
  if (entry && shipped && semver.lt(entry.version, shipped)) {
    if (request.kind === 'range') {
      const warning = `${name} is pinned to ${request.range} in lake.yaml and runs ${entry.version}, older than ${shipped}, which @lake/runtime ${release.version} ships: the pin keeps the old version after every upgrade (raise or remove it: ${ref.kind === 'connector' ? `\`lake add ${ref.name}@shipped\`` : `\`${ref.name}: shipped\` under metrics in lake.yaml`})`;
      warnings.push(warning);
      row.notes.push(`stale pin: runtime ships ${shipped}`);
    } else {
      row.notes.push(`runtime ships ${shipped} (run \`lake upgrade\`)`);
    }
  }
  if (entry && row.wanted && semver.gt(row.wanted, entry.version) && request.kind === 'range') {
    row.notes.push(`${row.wanted} allowed by ${request.range} (run \`lake upgrade ${packageKey(ref)}\`)`);
  }
  if (
    entry &&
    row.latest &&
    semver.gt(row.latest, entry.version) &&
    row.latest !== row.wanted &&
    row.latest !== newestIncompatible?.version
  ) {
    row.notes.push(`${row.latest} published`);
  }
  return row;
}
