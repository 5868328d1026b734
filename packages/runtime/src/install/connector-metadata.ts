import semver from 'semver';
import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import type { RuntimeRelease } from '../project/runtime-release.js';

export const CONNECTOR_SCOPE = '@lake';

/** `git` → `@lake/connector-git`. */
export function connectorPackageName(name: string): string {
  return `${CONNECTOR_SCOPE}/connector-${name.replaceAll('_', '-')}`;
}

/** The `lake` block of a connector's package.json: what an installer checks before installing. */
export const lakeBlockSchema = z.object({
  connector: z.string().min(1),
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

/** Reads and checks what a connector package says about itself. */
export function connectorMetadata(expectedName: string, manifest: Record<string, unknown>): ConnectorMetadata {
  const id = `${String(manifest.name)}@${String(manifest.version)}`;
  const block = lakeBlockSchema.safeParse(manifest.lake);
  if (!block.success) {
    const problems = block.error.issues.map((issue) => `lake.${issue.path.join('.')}: ${issue.message}`);
    throw new RuntimeError(
      'CONNECTOR_INVALID',
      manifest.lake === undefined
        ? `${id} is not a Lake connector: its package.json has no "lake" block`
        : `${id} has an invalid "lake" block: ${problems.join('; ')}`,
    );
  }
  if (block.data.connector !== expectedName) {
    throw new RuntimeError(
      'CONNECTOR_INVALID',
      `${id} is the "${block.data.connector}" connector, not "${expectedName}" (check the name in lake.yaml)`,
    );
  }
  const bins = manifest.bin;
  const binName = `lake-connector-${expectedName.replaceAll('_', '-')}`;
  const bin =
    typeof bins === 'string'
      ? bins
      : bins && typeof bins === 'object'
        ? (bins as Record<string, string>)[binName]
        : undefined;
  if (!bin) throw new RuntimeError('CONNECTOR_INVALID', `${id} has no "${binName}" bin (the connector CLI)`);
  return {
    package: String(manifest.name),
    version: String(manifest.version),
    connector: block.data.connector,
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

/** Refuses a core connector below the version this runtime ships, unless allowed. */
export function checkDowngrade(name: string, version: string, release: RuntimeRelease, allowDowngrade: boolean): void {
  const shipped = release.shipped[name];
  if (shipped === undefined || allowDowngrade || !semver.lt(version, shipped)) return;
  throw new RuntimeError(
    'DOWNGRADE_REFUSED',
    `${name} ${version} is older than ${shipped}, the version @lake/runtime ${release.version} ships; to install it anyway: \`lake add ${name}@${version} --allow-downgrade\`, or \`${name}: { version: ${version}, allowDowngrade: true }\` under connectors in lake.yaml`,
    { details: { connector: name, version, shipped, runtime: release.version } },
  );
}
