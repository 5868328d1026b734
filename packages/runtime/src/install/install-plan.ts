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
  checkRegistrySignatures,
  checkUnsignedAllowed,
  refreshSignatures,
  refuseUnverified,
  type SignaturePolicy,
  signatureField,
  signaturesRequired,
  unverifiedPackages,
} from '../trust/signature-policy.js';
import { newestCompatibleVersion } from './compatible-version.js';
import { type ConnectorMetadata, checkContract, checkDowngrade, connectorMetadata } from './connector-metadata.js';
import { type PackedConnector, packCustomConnector } from './custom-source.js';
import type { LockedConnector, Lockfile, PackageSignature } from './lockfile.js';
import { fetchManifest, type NpmContext } from './npm-tree.js';
import {
  entryOf,
  type PackageRef,
  packageKey,
  packageLabel,
  packageNameOf,
  packageRefs,
  sectionOf,
  shippedVersion,
} from './package-kind.js';

/**
 * What an install will do for each connector and metric, decided — and every check made —
 * before anything on disk changes: keep the locked version, or take a newly resolved one.
 */
export type PlannedConnector =
  | { ref: PackageRef; name: string; request: NormalizedRequest; kind: 'keep'; entry: LockedConnector }
  | {
      ref: PackageRef;
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
      /** The connector package's signature, checked against lake.yaml's trust.keys. */
      signature?: PackageSignature;
    };

export interface PlanOptions {
  paths: ProjectPaths;
  manifest: Manifest;
  lock: Lockfile | undefined;
  release: RuntimeRelease;
  npm: NpmContext;
  frozen: boolean;
  /** Re-resolve these (connector names, `metric.<name>` for metrics) even when their locked version still satisfies lake.yaml. */
  update: ReadonlySet<string>;
  /** Move `shipped` connectors to this release's shipped versions. */
  followShipped: boolean;
  /** Which package signatures are accepted (lake.yaml's trust.keys). */
  policy: SignaturePolicy;
  warn: (message: string) => void;
}

export async function planInstall(options: PlanOptions): Promise<PlannedConnector[]> {
  const refs = packageRefs(options.manifest);
  // Custom connectors are packed first: their content decides whether the lock still holds.
  const packedByKey = await packCustomConnectors(options, refs);
  if (options.frozen) checkFrozenLock(options, refs, packedByKey);
  return Promise.all(refs.map((ref) => planConnector(options, ref, packedByKey.get(packageKey(ref)))));
}

/** What lake.yaml asks for `ref`, in one shape. */
function requestOf(manifest: Manifest, ref: PackageRef): NormalizedRequest {
  return normalizeRequest(entryOf(manifest, ref)!);
}

/** The custom (path and tarball) connectors and metrics of lake.yaml, packed, by `packageKey`. */
async function packCustomConnectors(
  options: PlanOptions,
  refs: readonly PackageRef[],
): Promise<Map<string, PackedConnector>> {
  const packedByKey = new Map<string, PackedConnector>();
  await Promise.all(
    refs.map(async (ref) => {
      const request = requestOf(options.manifest, ref);
      if (request.kind === 'path' || request.kind === 'tarball') {
        packedByKey.set(packageKey(ref), await packCustomConnector(options.paths, request.kind, request.path));
      }
    }),
  );
  return packedByKey;
}

/** `--frozen`: the lock must hold exactly what lake.yaml asks for; every mismatch is named, with the command that fixes it. */
function checkFrozenLock(
  options: PlanOptions,
  refs: readonly PackageRef[],
  packedByKey: ReadonlyMap<string, PackedConnector>,
): void {
  const { manifest, lock, release } = options;
  if (!lock) {
    throw new RuntimeError('LOCK_MISSING', `--frozen needs ${options.paths.lock}; run \`lake install\` to write it`);
  }
  const mismatches: string[] = [];
  let runtimeMoved = false;
  let otherwise = false;
  for (const ref of refs) {
    const request = requestOf(manifest, ref);
    const entry = entryOf(lock, ref);
    const problem = frozenProblem(ref, request, entry, release, packedByKey.get(packageKey(ref)));
    if (!problem) continue;
    mismatches.push(problem);
    const moved =
      request.kind === 'shipped' && entry?.requested === 'shipped' && entry.version !== shippedVersion(release, ref);
    if (moved) runtimeMoved = true;
    else otherwise = true;
  }
  for (const ref of packageRefs(lock)) {
    if (entryOf(manifest, ref) === undefined) {
      mismatches.push(`${packageLabel(ref)} is locked but not in lake.yaml`);
      otherwise = true;
    }
  }
  if (mismatches.length === 0) return;
  // `lake install` keeps what follows the runtime where the lock has it, so only `lake
  // upgrade` moves those: name the command that changes the lock.
  const fixes: string[] = [];
  if (runtimeMoved) {
    fixes.push(
      semver.valid(lock.runtime) && semver.gt(lock.runtime, release.version)
        ? `lake.lock follows @lake/runtime ${lock.runtime}, newer than this one (${release.version}): deploy that runtime, or run \`lake upgrade\` with this one`
        : `lake.lock follows the shipped versions of @lake/runtime ${lock.runtime} and this is ${release.version}: run \`lake upgrade\``,
    );
  }
  if (otherwise) fixes.push('run `lake install` without --frozen to re-resolve what lake.yaml changed');
  throw new RuntimeError(
    'LOCK_MISMATCH',
    `lake.lock does not match lake.yaml:\n${mismatches.map((line) => `  ${line}`).join('\n')}\nTo fix it: ${fixes.join('; ')}; then commit lake.lock.`,
    { details: { mismatches } },
  );
}

/** One connector or metric of lake.yaml: kept as locked when the lock still satisfies it, else resolved. */
async function planConnector(
  options: PlanOptions,
  ref: PackageRef,
  packed: PackedConnector | undefined,
): Promise<PlannedConnector> {
  const request = requestOf(options.manifest, ref);
  const previous = entryOf(options.lock, ref);
  const custom = request.kind === 'path' || request.kind === 'tarball';
  if (custom) checkUnsignedAllowed(options.policy, ref.name, request.allowUnsigned, sectionOf(ref.kind));
  // A custom connector whose content is what the lock holds is the same connector, even
  // when named in `lake upgrade`: re-resolving it would only report 1.0.0 → 1.0.0.
  const update = options.update.has(packageKey(ref)) && !(custom && keepsLock(ref, request, previous, options, packed));
  if (previous && (options.frozen || (!update && keepsLock(ref, request, previous, options, packed)))) {
    return { ref, name: ref.name, request, kind: 'keep', entry: await keptEntry(options, ref, request, previous) };
  }
  return resolveConnector(ref, request, previous, packed, options);
}

/** The lock's entry for a connector kept as locked, its contract and signatures checked again. */
async function keptEntry(
  options: PlanOptions,
  ref: PackageRef,
  request: NormalizedRequest,
  previous: LockedConnector,
): Promise<LockedConnector> {
  const { release } = options;
  // A kept version was accepted when it was resolved; a newer runtime's shipped pins do
  // not undo a user's pin (`lake outdated` warns instead). Its contract is re-checked:
  // a newer runtime may no longer run it.
  checkContract(previous, release);
  let entry: LockedConnector = { ...previous, requested: describeRequest(request) };
  // Signatures are checked offline against what the lock records; only a key lake.yaml
  // no longer trusts sends a resolving install back to the registry for current ones.
  const unverified = unverifiedPackages(options.policy, entry);
  if (unverified.length > 0) {
    if (options.frozen) throw refuseUnverified(packageLabel(ref), unverified);
    entry = await refreshSignatures(options.policy, entry, options.npm);
  }
  if ((request.kind === 'shipped' || request.kind === 'range') && request.allowDowngrade) entry.allowDowngrade = true;
  else delete entry.allowDowngrade;
  const shipped = shippedVersion(release, ref);
  if (request.kind === 'shipped' && shipped && semver.lt(previous.version, shipped)) {
    options.warn(
      `${packageLabel(ref)} ${previous.version} is locked; @lake/runtime ${release.version} ships ${shipped} (\`lake upgrade\` moves it)`,
    );
  }
  return entry;
}

/** Whether the locked entry still satisfies what lake.yaml asks for. */
function keepsLock(
  ref: PackageRef,
  request: NormalizedRequest,
  previous: LockedConnector | undefined,
  options: PlanOptions,
  packed: PackedConnector | undefined,
): boolean {
  if (!previous) return false;
  switch (request.kind) {
    case 'shipped':
      return (
        previous.source === 'registry' &&
        previous.requested === 'shipped' &&
        (!options.followShipped || previous.version === shippedVersion(options.release, ref))
      );
    case 'range':
      return previous.source === 'registry' && semver.satisfies(previous.version, request.range);
    case 'path':
    case 'tarball':
      return previous.requested === describeRequest(request) && previous.integrity === packed?.integrity;
  }
}

function frozenProblem(
  ref: PackageRef,
  request: NormalizedRequest,
  entry: LockedConnector | undefined,
  release: RuntimeRelease,
  packed: PackedConnector | undefined,
): string | undefined {
  const name = packageLabel(ref);
  const shipped = shippedVersion(release, ref);
  const wanted = describeRequest(request);
  if (!entry) return `${name} (${wanted}) is not locked`;
  if (entry.requested !== wanted)
    return `${name}: lake.yaml asks for ${wanted}, the lock was written for ${entry.requested}`;
  if (request.kind === 'shipped' && entry.version !== shipped) {
    return `${name}: locked at ${entry.version}, but @lake/runtime ${release.version} ships ${shipped ?? `no such ${ref.kind}`} (run \`lake upgrade\`)`;
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
  ref: PackageRef,
  request: NormalizedRequest,
  previous: LockedConnector | undefined,
  packed: PackedConnector | undefined,
  options: PlanOptions,
): Promise<PlannedConnector> {
  const { release } = options;
  const { name } = ref;
  if (request.kind === 'path' || request.kind === 'tarball') {
    const metadata = connectorMetadata(name, packed!.manifest, ref.kind);
    checkContract(metadata, release);
    return {
      ref,
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
  const packageName = packageNameOf(ref);
  if (request.kind === 'shipped') {
    const shipped = shippedVersion(release, ref);
    if (!shipped) {
      throw new RuntimeError(
        'CONNECTOR_UNKNOWN',
        `@lake/runtime ${release.version} ships no "${name}" ${ref.kind}, so "shipped" means nothing for it; pin a version (${ref.kind === 'connector' ? `lake add ${name}@<range>` : `${name}: <range> under metrics in lake.yaml`})`,
      );
    }
    target = shipped;
  } else {
    // The newest version in the range this runtime can run: `>=0.2.0` takes 0.2.3 when 0.3.0
    // needs a contract this runtime does not implement, instead of failing on 0.3.0.
    const chosen = await newestCompatibleVersion(packageName, request.range, release, options.npm);
    if (chosen.skipped.length > 0) {
      options.warn(
        `${packageLabel(ref)}: ${chosen.skipped.join(', ')} match${chosen.skipped.length === 1 ? 'es' : ''} ${request.range} but need${chosen.skipped.length === 1 ? 's' : ''} another connector contract than ${release.contract}; installing ${chosen.version}, the newest @lake/runtime ${release.version} runs`,
      );
    }
    target = chosen.version;
  }
  // Its signature is checked below: read fresh from the registry when the policy requires one.
  const freshness = signaturesRequired(options.policy) ? 'fresh' : 'cached';
  const manifest = await fetchManifest(`${packageName}@${target}`, options.npm, undefined, freshness);
  const metadata = connectorMetadata(name, manifest, ref.kind);
  checkContract(metadata, release);
  checkDowngrade(
    name,
    metadata.version,
    release,
    request.allowDowngrade || previous?.version === metadata.version,
    ref.kind,
  );
  const signature = checkRegistrySignatures(
    options.policy,
    { name: metadata.package, version: metadata.version, integrity: manifest._integrity },
    signatureField(manifest),
  );
  return {
    ref,
    name,
    request,
    kind: 'resolve',
    metadata,
    resolved: manifest._resolved,
    integrity: manifest._integrity,
    dependencySpec: metadata.version,
    previous,
    ...(signature ? { signature } : {}),
  };
}
