/** @lake/connector-jira — Jira Cloud and Data Center boards: issues, changelogs, comments, worklogs, sprints, accounts. */
export { jiraConnector, jiraConnector as default } from './connector.js';
export { connectionSchema, type JiraTypes, scopeConfigSchema, scopeSchema } from './settings.js';
