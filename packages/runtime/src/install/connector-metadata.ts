import semver from 'semver';
import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import type { RuntimeRelease } from '../project/runtime-release.js';
import {
  binNameOf,
  LAKE_SCOPE,
  lakeFieldOf,
  type PackageKind,
  type PackageRef,
  packageLabel,
  packageNameOf,
  shippedVersion,
} from './package-kind.js';

export const CONNECTOR_SCOPE = LAKE_SCOPE;

/** `git` → `@lake/connector-git`. */
export function connectorPackageName(name: string): string {
  return packageNameOf({ kind: 'connector', name });
}

/**
 * The `lake` block of a connector's (or metric's) package.json: what an installer checks
 * before installing. A connector names itself in `connector`, a metric in `metric`.
 */
export const lakeBlockSchema = z.object({
  connector: z.string().min(1).optional(),
  metric: z.string().min(1).optional(),
  contract: z.string().refine((value) => semver.validRange(value) !== null, 'expected a semver range'),
  domainTypes: z.array(z.string()).default([]),
});

export interface ConnectorMetadata {
  package: string;
  version: string;
  connector: string;
  contract: string;
  domainTypes: string[];
  /** The connector CLI's path inside the package. */
  bin: string;
}

/** Reads and checks what a connector (or, with `kind`, a metric) package says about itself. */
export function connectorMetadata(
  expectedName: string,
  manifest: Record<string, unknown>,
  kind: PackageKind = 'connector',
): ConnectorMetadata {
  const ref: PackageRef = { kind, name: expectedName };
  const kindName = kind === 'connector' ? 'connector' : 'metric';
  const id = `${String(manifest.name)}@${String(manifest.version)}`;
  const block = lakeBlockSchema.safeParse(manifest.lake);
  if (!block.success) {
    const problems = block.error.issues.map((issue) => `lake.${issue.path.join('.')}: ${issue.message}`);
    throw new RuntimeError(
      'CONNECTOR_INVALID',
      manifest.lake === undefined
        ? `${id} is not a Lake ${kindName}: its package.json has no "lake" block`
        : `${id} has an invalid "lake" block: ${problems.join('; ')}`,
    );
  }
  const named = block.data[lakeFieldOf(kind)];
  if (named === undefined) {
    throw new RuntimeError(
      'CONNECTOR_INVALID',
      `${id} is not a Lake ${kindName}: its "lake" block has no "${lakeFieldOf(kind)}" field`,
    );
  }
  if (named !== expectedName) {
    throw new RuntimeError(
      'CONNECTOR_INVALID',
      `${id} is the "${named}" ${kindName}, not "${expectedName}" (check the name in lake.yaml)`,
    );
  }
  const bins = manifest.bin;
  const binName = binNameOf(ref);
  const bin =
    typeof bins === 'string'
      ? bins
      : bins && typeof bins === 'object'
        ? (bins as Record<string, string>)[binName]
        : undefined;
  if (!bin) throw new RuntimeError('CONNECTOR_INVALID', `${id} has no "${binName}" bin (the ${kindName} CLI)`);
  return {
    package: String(manifest.name),
    version: String(manifest.version),
    connector: named,
    contract: block.data.contract,
    domainTypes: block.data.domainTypes,
    bin: bin.replace(/^\.\//, ''),
  };
}

/** Refuses a connector whose contract range does not include the runtime's contract, naming both. */
export function checkContract(
  metadata: Pick<ConnectorMetadata, 'package' | 'version' | 'contract'>,
  release: RuntimeRelease,
): void {
  if (!semver.satisfies(release.contract, metadata.contract)) {
    throw new RuntimeError(
      'CONNECTOR_INCOMPATIBLE',
      `${metadata.package}@${metadata.version} needs connector contract ${metadata.contract}, but @lake/runtime ${release.version} implements contract ${release.contract}`,
      {
        details: {
          package: metadata.package,
          version: metadata.version,
          needs: metadata.contract,
          runtime: release.version,
          contract: release.contract,
        },
      },
    );
  }
}

/** Refuses a core connector (or metric) below the version this runtime ships, unless allowed. */
export function checkDowngrade(
  name: string,
  version: string,
  release: RuntimeRelease,
  allowDowngrade: boolean,
  kind: PackageKind = 'connector',
): void {
  const ref: PackageRef = { kind, name };
  const shipped = shippedVersion(release, ref);
  if (shipped === undefined || allowDowngrade || !semver.lt(version, shipped)) return;
  const howTo =
    kind === 'connector'
      ? `\`lake add ${name}@${version} --allow-downgrade\`, or \`${name}: { version: ${version}, allowDowngrade: true }\` under connectors in lake.yaml`
      : `\`${name}: { version: ${version}, allowDowngrade: true }\` under metrics in lake.yaml`;
  throw new RuntimeError(
    'DOWNGRADE_REFUSED',
    `${packageLabel(ref)} ${version} is older than ${shipped}, the version @lake/runtime ${release.version} ships; to install it anyway: ${howTo}`,
    { details: { connector: name, kind, version, shipped, runtime: release.version } },
  );
}
