/** @lake/connector-github — the GitHub connector for Lake. */
export { GITHUB_API_VERSION } from './client.js';
export { githubConnector, githubConnector as default } from './connector.js';
export { connectionSchema, type GithubClient, type GithubTypes, scopeConfigSchema, scopeSchema } from './settings.js';
