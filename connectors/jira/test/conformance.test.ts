import { testConnector, testDialects } from '@lake/testkit';
import { jiraConformance } from './jira-conformance.js';

// The conformance suite against Jira Cloud, on SQLite, and on PostgreSQL and MariaDB when
// LAKE_TEST_PG_URL / LAKE_TEST_MYSQL_URL are set: info, test-connection, full and incremental
// syncs whose domain rows are counted against the fake's dataset (after edits, additions and a
// deletion), the built CLI killed with SIGKILL at kill points and resumed, hostile servers
// (shuffled, reversed and repeated pages, edits while paging, ties, rate limits without
// Retry-After), and no secret in any table, log line or output. Data Center: its own file.
testConnector(jiraConformance('Cloud', testDialects()));
