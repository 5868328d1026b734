/** @lake/connector-gitlab — Lake connector for the Gitlab REST API: project items as issues. */
export { gitlabConnector, gitlabConnector as default } from './connector.js';
export { connectionSchema, type GitlabTypes, scopeConfigSchema, scopeSchema } from './settings.js';
