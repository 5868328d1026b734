/**
 * The connector contract, and its one version: `CONTRACT_VERSION`, a semver. A connector states
 * the version it was written against (`defineConnector({ contractVersion: '1.0.0' })`), an
 * installer matches a connector's `package.json` `lake.contract` range (e.g. `^1.0.0`) against
 * it, and `info` reports it.
 *
 * Minor revisions only add optional hooks and fields, so a connector written against 1.0.0 runs
 * on every 1.x; it does not run on an SDK older than the minor it asks for, nor on 2.x.
 */
export const CONTRACT_VERSION = '1.0.0';

/** A contract version as a connector states it: `major.minor.patch`. */
export type ContractVersion = `${number}.${number}.${number}`;

/**
 * What connectors built before the contract version was a semver stated instead of `1.0.0`.
 * Their compiled code still says it, so it is read as 1.0.0 for as long as the contract is 1.x.
 */
const LEGACY_CONTRACT_VERSIONS: Readonly<Record<string, ContractVersion>> = { v1: '1.0.0' };

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * Why this SDK cannot run a connector stating `stated`, or `undefined` when it can: same major,
 * a minor no newer than this SDK's.
 */
export function contractVersionProblem(stated: unknown): string | undefined {
  const version = typeof stated === 'string' ? (LEGACY_CONTRACT_VERSIONS[stated] ?? stated) : stated;
  const wanted = typeof version === 'string' ? SEMVER.exec(version) : null;
  const implemented = SEMVER.exec(CONTRACT_VERSION) as RegExpExecArray;
  const shown = JSON.stringify(stated) ?? String(stated);
  if (!wanted) return `contractVersion ${shown} is not a version like "${CONTRACT_VERSION}"`;
  if (wanted[1] === implemented[1] && Number(wanted[2]) <= Number(implemented[2])) return undefined;
  return `contractVersion ${shown} is not supported (this SDK implements contract ${CONTRACT_VERSION})`;
}
