/** @lake/connector-git — the git connector for Lake. */
export { gitConnector, gitConnector as default } from './connector.js';
export { GitRepository } from './git/git-repository.js';
export type { GitCommitRecord, GitFileChange } from './git/log-parser.js';
export type { GitRemoteErrorCode } from './git/remote-mirror.js';
export { connectionSchema, type GitClient, type GitTypes, scopeConfigSchema, scopeSchema } from './settings.js';
