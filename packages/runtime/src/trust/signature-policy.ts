import { RuntimeError } from '../errors.js';
import { CONNECTOR_SCOPE } from '../install/connector-metadata.js';
import type { LockedConnector, PackageSignature } from '../install/lockfile.js';
import { fetchManifest, type NpmContext, packageNameAt } from '../install/npm-tree.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { type SignedPackage, signaturesIn, validSignature } from './package-signatures.js';
import { type TrustedKey, trustedKey } from './trusted-keys.js';

/**
 * Which signatures an install accepts: those by a key in lake.yaml's `trust.keys`. With no
 * keys listed, signatures are not checked (the migration default, with a warning at every
 * install); with keys listed, every `@lake/*` package a connector brings — the connector, the
 * SDK — must carry a signature by one of them, and custom connectors must say
 * `allowUnsigned: true`.
 */
export interface SignaturePolicy {
  keys: TrustedKey[];
}

export const UNCHECKED_WARNING =
  'lake.yaml lists no trust.keys, so package signatures are not checked; add the public key your releases are signed with (`pnpm release:keygen` prints it) to require them';

export async function signaturePolicy(
  paths: ProjectPaths,
  manifest: Manifest,
  environment: NodeJS.ProcessEnv,
): Promise<SignaturePolicy> {
  const texts = (await resolveReferences(paths, environment, manifest.trust?.keys ?? [], 'trust.keys')).value;
  return {
    keys: texts.map((text, index) => {
      try {
        return trustedKey(text);
      } catch (error) {
        throw new RuntimeError('MANIFEST_INVALID', `trust.keys[${index}]: ${(error as Error).message}`);
      }
    }),
  };
}

export function signaturesRequired(policy: SignaturePolicy): boolean {
  return policy.keys.length > 0;
}

/** Packages from Lake's registry carry Lake's signatures; third-party ones come with npm's integrity alone. */
export function needsSignature(packageName: string): boolean {
  return packageName.startsWith(`${CONNECTOR_SCOPE}/`);
}

/**
 * Checks a package's `dist.signatures` as the registry serves them; returns the signature to
 * record in lake.lock (none when signatures are not required) or refuses the package.
 */
export function checkRegistrySignatures(
  policy: SignaturePolicy,
  pkg: SignedPackage,
  signatures: unknown,
): PackageSignature | undefined {
  if (!signaturesRequired(policy)) return undefined;
  const offered = signaturesIn(signatures);
  const valid = validSignature(policy.keys, pkg, offered);
  if (valid) return valid;
  throw refusal(policy, pkg, offered, 'the registry holds');
}

/** Refuses a custom connector when signatures are required and lake.yaml does not allow it unsigned. */
export function checkUnsignedAllowed(
  policy: SignaturePolicy,
  name: string,
  allowUnsigned: boolean,
  /** The lake.yaml section listing it: `connectors`, or `metrics` for a custom metric. */
  section: 'connectors' | 'metrics' = 'connectors',
): void {
  if (!signaturesRequired(policy) || allowUnsigned) return;
  const kind = section === 'connectors' ? 'connector' : 'metric';
  throw new RuntimeError(
    'SIGNATURE_INVALID',
    `custom ${kind} ${name} carries no registry signature, and lake.yaml's trust.keys require signed packages; add \`allowUnsigned: true\` to its entry (${section}.${name}) to run it unsigned`,
    { details: { connector: name } },
  );
}

export interface UnverifiedPackage extends SignedPackage {
  location: string;
  reason: string;
}

/**
 * The `@lake/*` packages of a lock entry whose recorded signature this policy does not
 * accept (none recorded, or by a key no longer trusted). Checked offline: a locked, verified
 * set does not depend on the registry, on a clock or on metadata that expires.
 */
export function unverifiedPackages(policy: SignaturePolicy, entry: LockedConnector): UnverifiedPackage[] {
  if (!signaturesRequired(policy)) return [];
  const found: UnverifiedPackage[] = [];
  for (const [location, locked] of Object.entries(entry.packages)) {
    const name = packageNameAt(location);
    if (!needsSignature(name)) continue;
    // A custom connector's own package was packed here, not signed (allowUnsigned decides).
    if (entry.source !== 'registry' && location === `node_modules/${entry.package}`) continue;
    const pkg = { name, version: locked.version, integrity: locked.integrity, location };
    const recorded = entry.signatures?.[location];
    if (!recorded) {
      found.push({ ...pkg, reason: 'lake.lock records no signature for it' });
    } else if (!validSignature(policy.keys, pkg, [recorded])) {
      const known = policy.keys.some((key) => key.keyid === recorded.keyid);
      found.push({
        ...pkg,
        reason: known
          ? `its recorded signature by ${recorded.keyid} does not match it (lake.lock was edited)`
          : `it was signed by ${recorded.keyid}, which trust.keys no longer lists`,
      });
    }
  }
  return found;
}

/**
 * Reads the current registry signatures of `entry`'s unverified packages (a key was rotated
 * and the packages re-signed, or the lock predates trust.keys) and returns the entry with
 * them recorded; refuses when the registry has no signature this policy accepts.
 */
export async function refreshSignatures(
  policy: SignaturePolicy,
  entry: LockedConnector,
  npm: NpmContext,
): Promise<LockedConnector> {
  const unverified = unverifiedPackages(policy, entry);
  if (unverified.length === 0) return entry;
  const signatures = { ...(entry.signatures ?? {}) };
  for (const pkg of unverified) {
    const manifest = await fetchManifest(`${pkg.name}@${pkg.version}`, npm, undefined, 'fresh');
    signatures[pkg.location] = checkRegistrySignatures(policy, pkg, signatureField(manifest)) as PackageSignature;
  }
  return { ...entry, signatures };
}

/** Signatures of every `@lake/*` package of a freshly resolved closure, `known` ones already checked. */
export async function signClosure(
  policy: SignaturePolicy,
  entry: LockedConnector,
  npm: NpmContext,
  known: Record<string, PackageSignature>,
): Promise<Record<string, PackageSignature> | undefined> {
  if (!signaturesRequired(policy)) return undefined;
  const signatures: Record<string, PackageSignature> = { ...known };
  for (const [location, locked] of Object.entries(entry.packages)) {
    const name = packageNameAt(location);
    if (!needsSignature(name) || location in signatures) continue;
    if (entry.source !== 'registry' && location === `node_modules/${entry.package}`) continue;
    const manifest = await fetchManifest(`${name}@${locked.version}`, npm, undefined, 'fresh');
    signatures[location] = checkRegistrySignatures(
      policy,
      { name, version: locked.version, integrity: locked.integrity },
      signatureField(manifest),
    ) as PackageSignature;
  }
  return signatures;
}

/** Refuses a frozen install whose lock holds signatures this policy does not accept. */
export function refuseUnverified(name: string, unverified: UnverifiedPackage[]): RuntimeError {
  const lines = unverified.map((pkg) => `  ${pkg.name}@${pkg.version}: ${pkg.reason}`);
  return new RuntimeError(
    'SIGNATURE_INVALID',
    `${name}: lake.lock's signatures are not accepted by lake.yaml's trust.keys:\n${lines.join('\n')}\nRun \`lake install\` (it reads the packages' current signatures from the registry and records those by a trusted key; commit lake.lock), or list the key again until the packages are re-signed.`,
    { details: { connector: name, packages: unverified.map(({ location, reason }) => ({ location, reason })) } },
  );
}

export function signatureField(manifest: Record<string, unknown>): unknown {
  return (manifest.dist as { signatures?: unknown } | undefined)?.signatures;
}

function refusal(
  policy: SignaturePolicy,
  pkg: SignedPackage,
  offered: ReturnType<typeof signaturesIn>,
  where: string,
): RuntimeError {
  const id = `${pkg.name}@${pkg.version}`;
  const trusted = policy.keys.map((key) => key.keyid).join(', ');
  const byTrusted = offered.filter((signature) => policy.keys.some((key) => key.keyid === signature.keyid));
  const message =
    offered.length === 0
      ? `${id} is not signed (${where} no signature for it), and lake.yaml's trust.keys require one (trusted: ${trusted})`
      : byTrusted.length === 0
        ? `${id} is signed only by ${offered.map((signature) => signature.keyid).join(', ')}, which lake.yaml does not trust (trusted: ${trusted}); if that is your team's new key, add it to trust.keys`
        : `${id}: its signature by ${byTrusted.map((signature) => signature.keyid).join(', ')} does not match ${pkg.integrity} (the package or its signature was tampered with)`;
  return new RuntimeError('SIGNATURE_INVALID', message, {
    details: { package: pkg.name, version: pkg.version, integrity: pkg.integrity, offered, trusted },
  });
}
