/**
 * The connector contract this SDK implements. `SPECIFICATION` is the literal every connector
 * states in `defineConnector({ contractVersion: 'v1' })`; `CONTRACT_VERSION` is the semver of
 * the contract's current revision, which installers match against a connector's
 * `package.json` `lake.contract` range (e.g. `^1.0.0`).
 *
 * Minor revisions only add optional hooks and fields; a breaking change is `v2`, with its
 * own literal, so both can be told apart at run time.
 */
export const SPECIFICATION = 'v1' as const;
export const CONTRACT_VERSION = '1.0.0';

export type Specification = typeof SPECIFICATION;
