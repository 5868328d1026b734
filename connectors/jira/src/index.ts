/** @lake/connector-jira — Lake connector for the Jira REST API: project items as issues. */
export { jiraConnector, jiraConnector as default } from './connector.js';
export { connectionSchema, type JiraTypes, scopeConfigSchema, scopeSchema } from './settings.js';
