/** @lake/connector-gitlab — Lake connector for GitLab.com and self-managed GitLab. */
export { gitlabConnector, gitlabConnector as default } from './connector.js';
export { connectionSchema, type GitlabTypes, scopeConfigSchema, scopeSchema } from './settings.js';
