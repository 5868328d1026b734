/**
 * The fake Jira of the connector's tests, serving one board of `issues` issues with
 * `histories` changelog entries each, in its own process. Prints {"url", "connection"} once
 * listening; `GET /__bench/requests` says how many requests it has answered.
 *   node --import ./typescript-sources.ts jira-server.ts <issues> <histories> <latencyMs>
 */
import { jiraDataset } from '../../../connectors/jira/test/fake-jira/dataset.ts';
import { connectionFor, startFakeJira } from '../../../connectors/jira/test/fake-jira/fake-jira.ts';

const issues = Number(process.argv[2] ?? 20_000);
const historiesPerIssue = Number(process.argv[3] ?? 5);
const latencyMs = Number(process.argv[4] ?? 50);
// Comments and worklogs off: the figure is the board's issues and their changelogs.
const jira = await startFakeJira(jiraDataset({ issues, historiesPerIssue, quirks: false, activity: false }));
jira.api.latencyMs = latencyMs;
jira.api.route('GET', '/__bench/requests', () => ({ body: { requests: jira.api.stats.requests } }));
process.stdout.write(`${JSON.stringify({ url: jira.url, connection: connectionFor(jira) })}\n`);
