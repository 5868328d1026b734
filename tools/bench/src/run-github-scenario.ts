/**
 * One GitHub sync, in its own process (peak RSS is this sync's alone):
 *   node run-github-scenario.ts <url> <fullName> <tokens,comma-separated> <maxInFlight> <workdir>
 * Prints {"records", "seconds", "peakRssMB", "requests"} as one JSON line.
 */
import { join } from 'node:path';
import { githubConnector } from '@lake/connector-github';
import { openStore, runSync } from '@lake/sdk';

const [url, fullName, tokens, maxInFlight, workdir] = process.argv.slice(2);
const store = await openStore(`sqlite:${join(workdir!, 'github.db')}`);
const started = performance.now();
const result = await runSync({
  connector: githubConnector,
  store,
  context: {
    connection: { id: 1, endpoint: url!, tokens: tokens!.split(','), maxInFlight: Number(maxInFlight) },
    scope: { fullName: fullName! },
  },
});
const seconds = (performance.now() - started) / 1000;
await store.close();
if (result.status !== 'succeeded') throw new Error(result.error?.message ?? result.status);
const issues = result.streams.find((stream) => stream.name === 'issues')!;
process.stdout.write(
  `${JSON.stringify({ records: issues.records, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
