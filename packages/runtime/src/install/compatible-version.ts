import type pacote from 'pacote';
import semver from 'semver';
import { RuntimeError } from '../errors.js';
import type { RuntimeRelease } from '../project/runtime-release.js';
import { checkContract, lakeBlockSchema } from './connector-metadata.js';
import { npmFailure } from './npm-errors.js';
import { loadPacote } from './npm-libraries.js';
import type { NpmContext } from './npm-tree.js';

export interface PublishedConnectorVersion {
  version: string;
  /** The connector contract range its `lake` block declares, when it has one. */
  contract: string | undefined;
}

/** Every published version of a connector with the contract it declares, newest first. */
export async function publishedConnectorVersions(
  packageName: string,
  npm: NpmContext,
): Promise<PublishedConnectorVersion[]> {
  let packument: Awaited<ReturnType<typeof pacote.packument>>;
  try {
    // The full document: the abbreviated one npm installs from leaves out the `lake` block.
    packument = await (await loadPacote()).packument(packageName, { ...npm.options, fullMetadata: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'E404') return [];
    throw npmFailure(error, packageName, npm.registry, npm.auth);
  }
  return Object.entries(packument.versions)
    .filter(([version]) => semver.valid(version) !== null)
    .map(([version, manifest]) => {
      const block = lakeBlockSchema.safeParse(manifest.lake);
      return { version, contract: block.success ? block.data.contract : undefined };
    })
    .sort((a, b) => semver.rcompare(a.version, b.version));
}

/** Whether this runtime can run a published version (its contract range includes the runtime's contract). */
export function runsOn(candidate: PublishedConnectorVersion, release: RuntimeRelease): boolean {
  return candidate.contract !== undefined && semver.satisfies(release.contract, candidate.contract);
}

export interface ChosenVersion {
  version: string;
  /** Newer versions in the range this runtime cannot run, newest first. */
  skipped: string[];
}

/**
 * The newest version in `range` whose contract this runtime implements. Refuses, naming the
 * newest, when versions match but none is compatible; says what is published when none match.
 */
export async function newestCompatibleVersion(
  packageName: string,
  range: string,
  release: RuntimeRelease,
  npm: NpmContext,
): Promise<ChosenVersion> {
  const published = await publishedConnectorVersions(packageName, npm);
  const matching = published.filter((candidate) => semver.satisfies(candidate.version, range));
  if (matching.length === 0) {
    throw new RuntimeError(
      'CONNECTOR_UNKNOWN',
      published.length === 0
        ? `${packageName} is not in the registry ${npm.registry}`
        : `no version of ${packageName} matches ${range} in ${npm.registry} (published: ${published
            .slice(0, 8)
            .map((candidate) => candidate.version)
            .join(', ')}${published.length > 8 ? ', …' : ''})`,
    );
  }
  const compatible = matching.find((candidate) => runsOn(candidate, release));
  if (!compatible) {
    const newest = matching[0] as PublishedConnectorVersion;
    // Not a connector at all: the metadata check that follows says so in its own words.
    if (newest.contract === undefined) return { version: newest.version, skipped: [] };
    checkContract({ package: packageName, version: newest.version, contract: newest.contract }, release);
  }
  const chosen = compatible as PublishedConnectorVersion;
  return {
    version: chosen.version,
    skipped: matching
      .filter((candidate) => semver.gt(candidate.version, chosen.version))
      .map((candidate) => candidate.version),
  };
}
