import { testConnector, testDialects } from '@lake/testkit';
import { jiraConformance } from './jira-conformance.js';

// The same suite against Jira Data Center (bearer token, `/rest/api/2/search` by `startAt`,
// changelogs past the inline 100 read issue by issue): on SQLite in CI, on every dialect in
// `pnpm soak` (LAKE_SOAK=1), where the kill sweep tries every kill point.
testConnector(jiraConformance('DataCenter', process.env.LAKE_SOAK === '1' ? testDialects() : ['sqlite']));
