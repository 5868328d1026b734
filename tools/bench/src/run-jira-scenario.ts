/**
 * One Jira sync, in its own process (peak RSS is this sync's alone):
 *   node run-jira-scenario.ts <url> <connection JSON> <workdir>
 * Prints {"records", "changelogs", "seconds", "peakRssMB", "requests"} as one JSON line.
 */
import { join } from 'node:path';
import { jiraConnector } from '@lake/connector-jira';
import { openStore, runSync } from '@lake/sdk';

const [url, connection, workdir] = process.argv.slice(2);
const store = await openStore(`sqlite:${join(workdir!, 'jira.db')}`);
const started = performance.now();
const result = await runSync({
  connector: jiraConnector,
  store,
  context: { connection: JSON.parse(connection!), scope: { boardId: 8 } },
});
const seconds = (performance.now() - started) / 1000;
const changelogs = await store.db
  .selectFrom('issue_changelogs')
  .select((builder) => builder.fn.countAll<number>().as('count'))
  .executeTakeFirstOrThrow();
await store.close();
if (result.status !== 'succeeded') throw new Error(result.error?.message ?? result.status);
const issues = result.streams.find((stream) => stream.name === 'issues')!;
const requests = ((await (await fetch(`${url}/__bench/requests`)).json()) as { requests: number }).requests - 1;
process.stdout.write(
  `${JSON.stringify({ records: issues.records, changelogs: Number(changelogs.count), seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, requests })}\n`,
);
