import semver from 'semver';
import { RuntimeError } from '../errors.js';
import {
  describeRequest,
  type Manifest,
  type NormalizedRequest,
  normalizeRequest,
} from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { RuntimeRelease } from '../project/runtime-release.js';
import {
  type ConnectorMetadata,
  checkContract,
  checkDowngrade,
  connectorMetadata,
  connectorPackageName,
} from './connector-metadata.js';
import { type PackedConnector, packCustomConnector } from './custom-source.js';
import type { LockedConnector, Lockfile } from './lockfile.js';
import { fetchManifest, type NpmContext } from './npm-tree.js';

/**
 * What an install will do for each connector, decided — and every check made — before
 * anything on disk changes: keep the locked version, or take a newly resolved one.
 */
export type PlannedConnector =
  | { name: string; request: NormalizedRequest; kind: 'keep'; entry: LockedConnector }
  | {
      name: string;
      request: NormalizedRequest;
      kind: 'resolve';
      metadata: ConnectorMetadata;
      /** Registry tarball URL, or the packed custom tarball. */
      resolved: string;
      integrity: string;
      /** What arborist installs: `1.2.3` or `file:../../custom/<digest>.tgz`. */
      dependencySpec: string;
      previous: LockedConnector | undefined;
      packed?: PackedConnector;
    };

export interface PlanOptions {
  paths: ProjectPaths;
  manifest: Manifest;
  lock: Lockfile | undefined;
  release: RuntimeRelease;
  npm: NpmContext;
  frozen: boolean;
  /** Re-resolve these even when their locked version still satisfies lake.yaml. */
  update: ReadonlySet<string>;
  /** Move `shipped` connectors to this release's shipped versions. */
  followShipped: boolean;
  warn: (message: string) => void;
}

export async function planInstall(options: PlanOptions): Promise<PlannedConnector[]> {
  const { manifest, lock, release } = options;
  const names = Object.keys(manifest.connectors).sort();
  const mismatches: string[] = [];
  const packedByName = new Map<string, PackedConnector>();
  // Custom connectors are packed first: their content decides whether the lock still holds.
  await Promise.all(
    names.map(async (name) => {
      const request = normalizeRequest(manifest.connectors[name]!);
      if (request.kind === 'path' || request.kind === 'tarball') {
        packedByName.set(name, await packCustomConnector(options.paths, request.kind, request.path));
      }
    }),
  );

  if (options.frozen) {
    if (!lock) {
      throw new RuntimeError('LOCK_MISSING', `--frozen needs ${options.paths.lock}; run \`lake install\` to write it`);
    }
    for (const name of names) {
      const request = normalizeRequest(manifest.connectors[name]!);
      const entry = lock.connectors[name];
      const problem = frozenProblem(name, request, entry, release, packedByName.get(name));
      if (problem) mismatches.push(problem);
    }
    for (const name of Object.keys(lock.connectors)) {
      if (!(name in manifest.connectors)) mismatches.push(`${name} is locked but not in lake.yaml`);
    }
    if (mismatches.length > 0) {
      throw new RuntimeError(
        'LOCK_MISMATCH',
        `lake.lock does not match lake.yaml (run \`lake install\` without --frozen to update it):\n${mismatches.map((line) => `  ${line}`).join('\n')}`,
        { details: { mismatches } },
      );
    }
  }

  const planned = await Promise.all(
    names.map(async (name): Promise<PlannedConnector> => {
      const request = normalizeRequest(manifest.connectors[name]!);
      const previous = lock?.connectors[name];
      const packed = packedByName.get(name);
      if (
        previous &&
        (options.frozen || (!options.update.has(name) && keepsLock(name, request, previous, options, packed)))
      ) {
        // A kept version was accepted when it was resolved; a newer runtime's shipped pins do
        // not undo a user's pin (`lake outdated` warns instead). Its contract is re-checked:
        // a newer runtime may no longer run it.
        checkContract(previous, release);
        const entry: LockedConnector = { ...previous, requested: describeRequest(request) };
        if ((request.kind === 'shipped' || request.kind === 'range') && request.allowDowngrade)
          entry.allowDowngrade = true;
        else delete entry.allowDowngrade;
        const shipped = release.shipped[name];
        if (request.kind === 'shipped' && shipped && semver.lt(previous.version, shipped)) {
          options.warn(
            `${name} ${previous.version} is locked; @lake/runtime ${release.version} ships ${shipped} (\`lake upgrade\` moves it)`,
          );
        }
        return { name, request, kind: 'keep', entry };
      }
      return resolveConnector(name, request, previous, packed, options);
    }),
  );
  return planned;
}

/** Whether the locked entry still satisfies what lake.yaml asks for. */
function keepsLock(
  name: string,
  request: NormalizedRequest,
  previous: LockedConnector,
  options: PlanOptions,
  packed: PackedConnector | undefined,
): boolean {
  switch (request.kind) {
    case 'shipped':
      return (
        previous.source === 'registry' &&
        previous.requested === 'shipped' &&
        (!options.followShipped || previous.version === options.release.shipped[name])
      );
    case 'range':
      return previous.source === 'registry' && semver.satisfies(previous.version, request.range);
    case 'path':
    case 'tarball':
      return previous.requested === describeRequest(request) && previous.integrity === packed?.integrity;
  }
}

function frozenProblem(
  name: string,
  request: NormalizedRequest,
  entry: LockedConnector | undefined,
  release: RuntimeRelease,
  packed: PackedConnector | undefined,
): string | undefined {
  const wanted = describeRequest(request);
  if (!entry) return `${name} (${wanted}) is not locked`;
  if (entry.requested !== wanted)
    return `${name}: lake.yaml asks for ${wanted}, the lock was written for ${entry.requested}`;
  if (request.kind === 'shipped' && entry.version !== release.shipped[name]) {
    return `${name}: locked at ${entry.version}, but @lake/runtime ${release.version} ships ${release.shipped[name] ?? 'no such connector'} (run \`lake upgrade\`)`;
  }
  if (request.kind === 'range' && !semver.satisfies(entry.version, request.range)) {
    return `${name}: locked at ${entry.version}, outside ${request.range}`;
  }
  if ((request.kind === 'path' || request.kind === 'tarball') && entry.integrity !== packed?.integrity) {
    return `${name}: the custom connector at ${request.path} changed since it was locked (locked ${entry.integrity}, now ${packed?.integrity})`;
  }
  if (
    (request.kind === 'shipped' || request.kind === 'range') &&
    Boolean(entry.allowDowngrade) !== request.allowDowngrade
  ) {
    return `${name}: allowDowngrade is ${request.allowDowngrade} in lake.yaml but ${Boolean(entry.allowDowngrade)} in the lock`;
  }
  return undefined;
}

async function resolveConnector(
  name: string,
  request: NormalizedRequest,
  previous: LockedConnector | undefined,
  packed: PackedConnector | undefined,
  options: PlanOptions,
): Promise<PlannedConnector> {
  const { release } = options;
  if (request.kind === 'path' || request.kind === 'tarball') {
    const metadata = connectorMetadata(name, packed!.manifest);
    checkContract(metadata, release);
    return {
      name,
      request,
      kind: 'resolve',
      metadata,
      resolved: packed!.tarball,
      integrity: packed!.integrity,
      dependencySpec: '',
      previous,
      packed,
    };
  }
  let target: string;
  if (request.kind === 'shipped') {
    const shipped = release.shipped[name];
    if (!shipped) {
      throw new RuntimeError(
        'CONNECTOR_UNKNOWN',
        `@lake/runtime ${release.version} ships no "${name}" connector, so "shipped" means nothing for it; pin a version (lake add ${name}@<range>)`,
      );
    }
    target = shipped;
  } else {
    target = request.range;
  }
  const packageName = connectorPackageName(name);
  const manifest = await fetchManifest(`${packageName}@${target}`, options.npm);
  const metadata = connectorMetadata(name, manifest);
  checkContract(metadata, release);
  checkDowngrade(name, metadata.version, release, request.allowDowngrade || previous?.version === metadata.version);
  return {
    name,
    request,
    kind: 'resolve',
    metadata,
    resolved: manifest._resolved,
    integrity: manifest._integrity,
    dependencySpec: metadata.version,
    previous,
  };
}
