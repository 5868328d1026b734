/**
 * @lake/sdk/host — what a program that hosts connectors (the `lake` runtime) needs from the
 * SDK without loading the SDK: the contract version it implements, the secret box and key,
 * database URLs, the redactor, the error class and the table and duration formatting of the
 * CLIs. Nothing here imports kysely, a database driver, the HTTP client or zod, so `lake list`
 * or `lake status` pay for none of them; `host.test.ts` holds it to that.
 */

export { formatDuration, formatNumber, formatTable, renderFacts } from './cli/render.js';
export { SYNC_NODE_FLAGS } from './cli/sync-node-flags.js';
export { CONTRACT_VERSION, type ContractVersion } from './contract/contract-version.js';
export { isLakeError, LakeError, type LakeErrorCode, type LakeErrorOptions, messageOf } from './errors/lake-error.js';
export { Redactor } from './secrets/redactor.js';
export { SecretBox } from './secrets/secret-box.js';
export {
  checkKeyFilePermissions,
  type LoadSecretKeyOptions,
  loadSecretKey,
  parseSecretKey,
} from './secrets/secret-key.js';
export {
  DEFAULT_DATABASE_URL,
  type DialectName,
  databaseUrlSecrets,
  describeDatabaseUrl,
  parseDatabaseUrl,
} from './store/database-url.js';
