/**
 * GitLab syncs of several projects, one after the other under one request rate, in its own process:
 *   node run-gitlab-scenario.ts <urls,comma-separated> <maxPerSecond> <workdir>
 * Prints {"records", "seconds", "peakRssMB", "requests"} as one JSON line (`records`: merge requests).
 */
import { join } from 'node:path';
import { gitlabConnector } from '@lake/connector-gitlab';
import { openStore, runSync } from '@lake/sdk';

const [urls, maxPerSecond, workdir] = process.argv.slice(2);
const endpoints = urls!.split(',');
const store = await openStore(`sqlite:${join(workdir!, 'gitlab.db')}`);
const started = performance.now();
let records = 0;
for (const [index, endpoint] of endpoints.entries()) {
  const result = await runSync({
    connector: gitlabConnector,
    store,
    context: {
      // One connection per fake project: each project is its own GitLab here, on one shared rate.
      connection: {
        id: index + 1,
        endpoint,
        token: 'glpat-valid-0123456789abcdef',
        maxPerSecond: Number(maxPerSecond),
      },
      scope: { project: 'lake/platform/api' },
    },
  });
  if (result.status !== 'succeeded') throw new Error(result.error?.message ?? result.status);
  records += result.streams.find((stream) => stream.name === 'merge_requests')?.records ?? 0;
}
const seconds = (performance.now() - started) / 1000;
await store.close();
const counted = (await (await fetch(`${endpoints[0]}/__requests`)).json()) as { requests: number };
process.stdout.write(
  `${JSON.stringify({ records, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, requests: counted.requests - 1 })}\n`,
);
