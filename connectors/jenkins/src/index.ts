/** @lake/connector-jenkins — Lake connector for Jenkins. */
export { jenkinsConnector, jenkinsConnector as default } from './connector.js';
export { connectionSchema, type JenkinsTypes, scopeConfigSchema, scopeSchema } from './settings.js';
