/**
 * `pnpm bench [--json] [--records 100000,1000000] [--sdk-runs 3]`
 *
 * For each size: a synthetic connector reads that many records from a paginated HTTP
 * server on 127.0.0.1 through all three layers into SQLite, and a hand-written baseline
 * does the same fetches and inserts in the same run, alternately `--sdk-runs` times. Prints
 * records/s (each variant's median) and peak RSS of both, their ratio and each pair's. Targets (issue #13): ratio ≥ 1.0 (the SDK overlaps fetching the next page
 * with writing this one, which a sequential hand-written loop does not), peak RSS ≤ 256 MB at
 * 1,000,000. `--only jira`: the Jira connector against its fake, one board of 20,000 issues
 * (`--jira-issues`) with 5 changelog entries each at 50 ms per request (`--jira-latency`): time,
 * requests, peak RSS. `--only github`: the GitHub connector against its fake, 100,000 issues
 * (`--github-issues`) and 12,000 issues through faults (`--github-faults`); target peak RSS ≤ 256 MB.
 * Also `lake --help` with twenty connectors installed (target: under 300 ms; `--only cli`),
 * next to what `lake sync` spends checking a connector's installed files before it runs it.
 * `--only install`: `lake install --frozen` next to `pnpm add`, disk with one and two connectors,
 * `lake list` / `status` / `info` next to `lake --help` (targets of issue #12).
 * `--only gitlab`: the GitLab connector syncing `--gitlab-projects` projects (4) of
 * `--gitlab-merge-requests` merge requests (50) from its fake at `--gitlab-latency` ms (50) under
 * `--gitlab-rate` requests a second (10): time and requests next to the floor, requests ÷ rate.
 * `--gitlab-full` is issue 15's size, 100 projects × 1,000 merge requests: about 303,000 requests,
 * some eight and a half hours at 10/s (a soak, not a default); the default run takes about 70 s.
 * `--only dora`: the metric's `commit-diffs` step on a 100,000-commit history (`--dora-commits`),
 * first run and rerun, on SQLite and on PostgreSQL / MariaDB when LAKE_TEST_PG_URL / LAKE_TEST_MYSQL_URL are set.
 * `--only console`: `lake ui`'s DORA page of a project with 10,000 PRs (`--console-pull-requests`), time to rendered
 * in Debian's Chromium (cold, then the median of 5 warm loads) next to the 1 s target (issue 19).
 * `--only webhook`: the webhook receiver under 10,000 POSTs (`--webhook-posts`) from 50 concurrent clients with
 * retries, next to a no-op server: posts/s, p50/p99 latency, and whether every event was stored once.
 * `--only queue` (needs LAKE_TEST_PG_URL): `lake worker` processes on a pg-boss queue, 1, 2 and 4 of them
 * syncing `--queue-scopes` (200) scopes of `--queue-pages` (2) pages at `--queue-latency` ms (50), then
 * one credential at `--queue-rate` requests a second (10) next to requests ÷ rate (see queue-scale-out.ts).
 * Figures are printed, never asserted: a benchmark informs, a test decides.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SYNC_NODE_FLAGS } from '@lake/sdk/cli';
import { measureCommitDiffs } from './commit-diffs.ts';
import { measureConsoleDora } from './console-dora.ts';
import { measureQueue, renderQueue } from './queue-scale-out.ts';
import { measureFilesCheck } from './runtime-files-check.ts';
import { measureHelp } from './runtime-help.ts';
import { measureInstall } from './runtime-install.ts';
import { measureWebhookLoad } from './webhook-load.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  // pnpm forwards a literal "--" before script arguments.
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  options: {
    json: { type: 'boolean', default: false },
    records: { type: 'string', default: '100000,1000000' },
    'sdk-runs': { type: 'string', default: '3' },
    'github-issues': { type: 'string', default: '100000' },
    'github-latency': { type: 'string', default: '1,50' },
    'github-faults': { type: 'string', default: '12000' },
    only: { type: 'string' },
    'install-runs': { type: 'string', default: '3' },
    'command-runs': { type: 'string', default: '20' },
    'dora-commits': { type: 'string', default: '100000' },
    'webhook-posts': { type: 'string', default: '10000' },
    'webhook-clients': { type: 'string', default: '50' },
    'console-pull-requests': { type: 'string', default: '10000' },
    'jira-issues': { type: 'string', default: '20000' },
    'jira-latency': { type: 'string', default: '50' },
    'gitlab-full': { type: 'boolean', default: false },
    'gitlab-projects': { type: 'string' },
    'gitlab-merge-requests': { type: 'string' },
    'gitlab-latency': { type: 'string', default: '50' },
    'gitlab-rate': { type: 'string', default: '10' },
    'queue-scopes': { type: 'string', default: '200' },
    'queue-latency': { type: 'string', default: '50' },
    'queue-rate': { type: 'string', default: '10' },
    'queue-pages': { type: 'string', default: '2' },
  },
});
/** `--only gitlab` without `--gitlab-full`: small enough for a minute or two at 10 requests/s. */
const GITLAB_DEFAULT_SIZE = { projects: '4', mergeRequests: '50' };
const sdkRuns = Math.max(1, Number(values['sdk-runs']));
const sizes = values.records.split(',').map((value) => Number(value.replaceAll('_', '')));
const githubIssues = Number(values['github-issues'].replaceAll('_', ''));
const githubLatencies = values['github-latency'].split(',').map(Number);
const githubFaultIssues = Number(values['github-faults'].replaceAll('_', ''));
const doraCommits = Number(values['dora-commits'].replaceAll('_', ''));
const jiraIssues = Number(values['jira-issues'].replaceAll('_', ''));
const jiraLatency = Number(values['jira-latency']);
const run = (
  suite: 'sdk' | 'github' | 'gitlab' | 'jira' | 'cli' | 'install' | 'dora' | 'webhook' | 'console' | 'queue',
) => values.only === undefined || values.only === suite;

interface Measurement {
  records: number;
  seconds: number;
  peakRssMB: number;
  /** Requests the fake answered (scenarios that report it). */
  requests?: number;
  changelogs?: number;
}

/** Starts a server script in its own process and reads the JSON line it prints once listening. */
async function startServer<T>(script: string, args: string[]): Promise<{ info: T; stop: () => void }> {
  const server = spawn(
    process.execPath,
    ['--import', join(here, 'typescript-sources.ts'), join(here, script), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
  return { info: JSON.parse(line) as T, stop: () => server.kill() };
}

/** Runs one scenario script in its own process, with the flags Lake runs syncs with (SYNC_NODE_FLAGS). */
async function measure(script: string, args: string[]): Promise<Measurement> {
  const workdir = await mkdtemp(join(tmpdir(), 'lake-bench-'));
  try {
    const child = spawn(process.execPath, [...SYNC_NODE_FLAGS, join(here, script), ...args, workdir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code}`);
    return JSON.parse(output.trim()) as Measurement;
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}

const rows: Array<Record<string, string | number>> = [];
for (const size of run('sdk') ? sizes : []) {
  const server = await startServer<{ port: number }>('items-server.ts', [String(size)]);
  try {
    // Alternating runs, each variant's median: one pair swings by ±10 % on a machine doing anything else.
    const pairs: Array<{ baseline: Measurement; lake: Measurement }> = [];
    for (let index = 0; index < sdkRuns; index += 1) {
      const baseline = await measure('run-scenario.ts', ['baseline', String(server.info.port)]);
      const lake = await measure('run-scenario.ts', ['lake', String(server.info.port)]);
      pairs.push({ baseline, lake });
    }
    const lake = medianBy(pairs.map((pair) => pair.lake));
    const baseline = medianBy(pairs.map((pair) => pair.baseline));
    const lakeRate = lake.records / lake.seconds;
    const baselineRate = baseline.records / baseline.seconds;
    const pairRatios = pairs.map((pair) => round(pair.baseline.seconds / pair.lake.seconds, 2));
    const result = {
      name: `sdk-sync-sqlite-${size}`,
      records: lake.records,
      seconds: round(lake.seconds, 2),
      recordsPerSec: Math.round(lakeRate),
      peakRssMB: round(Math.max(...pairs.map((pair) => pair.lake.peakRssMB)), 1),
      baselineRecordsPerSec: Math.round(baselineRate),
      baselinePeakRssMB: round(Math.max(...pairs.map((pair) => pair.baseline.peakRssMB)), 1),
      ratio: round(lakeRate / baselineRate, 2),
      pairRatios: pairRatios.join(' / '),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else rows.push(result);
  } finally {
    server.stop();
  }
}

const githubRows: Array<Record<string, string | number>> = [];
const githubScenarios = [
  ...githubLatencies.map((latency) => ({ issues: githubIssues, latency, faults: false })),
  ...(githubFaultIssues > 0 ? [{ issues: githubFaultIssues, latency: 1, faults: true }] : []),
];
for (const scenario of run('github') ? githubScenarios : []) {
  const server = await startServer<{ url: string; fullName: string; tokens: string[] }>('github-server.ts', [
    String(scenario.issues),
    String(scenario.latency),
    ...(scenario.faults ? ['faults'] : []),
  ]);
  try {
    // Through faults, as the connector's faults test: two tokens, 4 requests in flight.
    const sync = await measure('run-github-scenario.ts', [
      server.info.url,
      server.info.fullName,
      server.info.tokens.join(','),
      scenario.faults ? '4' : '8',
    ]);
    const result = {
      name: `github-issues-${scenario.issues}-${scenario.faults ? 'faults' : `latency-${scenario.latency}ms`}`,
      records: sync.records,
      seconds: round(sync.seconds, 2),
      recordsPerSec: Math.round(sync.records / sync.seconds),
      peakRssMB: round(sync.peakRssMB, 1),
      latencyMs: scenario.latency,
      faults: scenario.faults ? 'yes' : 'no',
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else githubRows.push(result);
  } finally {
    server.stop();
  }
}

const jiraRows: Array<Record<string, string | number>> = [];
if (run('jira')) {
  const server = await startServer<{ url: string; connection: unknown }>('jira-server.ts', [
    String(jiraIssues),
    '5',
    String(jiraLatency),
  ]);
  try {
    const sync = await measure('run-jira-scenario.ts', [server.info.url, JSON.stringify(server.info.connection)]);
    const result = {
      name: `jira-board-${jiraIssues}-issues-5-changelogs-latency-${jiraLatency}ms`,
      records: sync.records,
      changelogs: sync.changelogs ?? 0,
      seconds: round(sync.seconds, 2),
      requests: sync.requests ?? 0,
      peakRssMB: round(sync.peakRssMB, 1),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else jiraRows.push(result);
  } finally {
    server.stop();
  }
}

if (run('gitlab')) {
  // The default is a stated small size; `--gitlab-full` the issue's (hours at 10 requests/s).
  const size = values['gitlab-full'] ? { projects: '100', mergeRequests: '1000' } : GITLAB_DEFAULT_SIZE;
  const projects = Number((values['gitlab-projects'] ?? size.projects).replaceAll('_', ''));
  const mergeRequests = Number((values['gitlab-merge-requests'] ?? size.mergeRequests).replaceAll('_', ''));
  const rate = Number(values['gitlab-rate']);
  const server = await startServer<{ urls: string[] }>('gitlab-server.ts', [
    String(projects),
    String(mergeRequests),
    values['gitlab-latency'],
  ]);
  try {
    const sync = (await measure('run-gitlab-scenario.ts', [
      server.info.urls.join(','),
      String(rate),
    ])) as Measurement & {
      requests: number;
    };
    const floor = sync.requests / rate;
    const result = {
      name: `gitlab-projects-${projects}-merge-requests-${mergeRequests}-latency-${values['gitlab-latency']}ms-rate-${rate}`,
      full: values['gitlab-full'],
      mergeRequests: sync.records,
      requests: sync.requests,
      seconds: round(sync.seconds, 1),
      floorSeconds: round(floor, 1),
      overFloor: round(sync.seconds / floor, 3),
      peakRssMB: round(sync.peakRssMB, 1),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      console.log(
        `GitLab connector: ${projects} projects × ${mergeRequests.toLocaleString('en-US')} merge requests from the fake GitLab, ${values['gitlab-latency']} ms per request, ${rate} requests/s${projects === 100 && mergeRequests === 1_000 ? " (issue 15's size)" : " (--gitlab-full runs issue 15's 100 × 1,000)"}\n`,
      );
      console.log(
        `  ${result.mergeRequests.toLocaleString('en-US')} merge requests, ${result.requests.toLocaleString('en-US')} requests in ${result.seconds} s; floor (requests ÷ rate) ${result.floorSeconds} s: ${result.overFloor}× the floor; peak RSS ${result.peakRssMB} MB\n`,
      );
    }
  } finally {
    server.stop();
  }
}

if (run('cli')) {
  const help = await measureHelp(20, 30);
  const result = { name: 'lake-help-20-connectors', ...help };
  const check = await measureFilesCheck(20);
  const checkResult = {
    name: 'lake-sync-files-check-git',
    ...check,
    helpRatio: round(check.medianMs / help.medianMs, 2),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(`${JSON.stringify(checkResult)}\n`);
  } else {
    console.log('The runtime\n');
    console.log(
      `  lake --help, ${help.connectors} connectors installed (whole process, ${help.runs} runs): median ${help.medianMs} ms, p95 ${help.p95Ms} ms, fastest ${help.minMs} ms (target: under 300 ms)`,
    );
    console.log(
      `  lake sync's check of ${check.connector}'s installed files (${check.files.toLocaleString('en-US')} files, ${check.megabytes} MB, in process, ${check.runs} runs): median ${check.medianMs} ms, p95 ${check.p95Ms} ms, fastest ${check.minMs} ms (${checkResult.helpRatio}× lake --help)\n`,
    );
  }
}

if (run('install')) {
  const figures = await measureInstall(Number(values['install-runs']), Number(values['command-runs']));
  const result = { name: 'runtime-install-git-github', ...figures };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('The runtime: install, disk and commands, git + GitHub connectors from one private registry\n');
    console.log(
      `  lake install --frozen ${figures.lakeFrozenMs} ms, pnpm add ${figures.pnpmAddMs} ms (median of ${figures.runs}, warm caches): ${figures.ratio}× (target ≤ 1.2×: ${verdict(figures.ratio <= 1.2)})`,
    );
    console.log(
      `  disk (du): git alone ${figures.oneConnectorMB} MB, git + github ${figures.twoConnectorsMB} MB: the second adds ${figures.secondConnectorPercent}% (target ≤ 20%: ${verdict(figures.secondConnectorPercent <= 20)})`,
    );
    console.log(
      `  lake --help ${figures.helpMs} ms; lake list ${figures.listMs} ms (${figures.listRatio}×), lake status ${figures.statusMs} ms (${figures.statusRatio}×), lake info github ${figures.infoMs} ms (${figures.infoRatio}×; the first time ${figures.infoFirstMs} ms) (target ≤ 2×: ${verdict(Math.max(figures.listRatio, figures.statusRatio, figures.infoRatio) <= 2)})\n`,
    );
  }
}

if (run('dora')) {
  const dialects = [
    'sqlite' as const,
    ...(process.env.LAKE_TEST_PG_URL ? ['postgres' as const] : []),
    ...(process.env.LAKE_TEST_MYSQL_URL ? ['mysql' as const] : []),
  ];
  const measurements = [];
  for (const dialect of dialects) {
    const figures = await measureCommitDiffs(dialect, doraCommits);
    const result = {
      name: `commit-diffs-${dialect}-${doraCommits}`,
      ...figures,
      firstSeconds: round(figures.firstSeconds, 2),
      rerunSeconds: round(figures.rerunSeconds, 3),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else measurements.push(result);
  }
  if (!values.json) {
    console.log(
      `DORA metric: commit-diffs on ${doraCommits.toLocaleString('en-US')} commits (a merge every 100), 20 production deployments\n`,
    );
    for (const row of measurements)
      console.log(
        `  ${row.dialect.padEnd(8)} first run ${row.firstSeconds} s (${row.diffRows.toLocaleString('en-US')} commits_diffs rows, ${row.finishedPairs} pairs finished); rerun ${row.rerunSeconds} s (${row.rerunDiffRows} rows: finished pairs are remembered)`,
      );
    console.log('');
  }
}

if (run('console')) {
  const figures = await measureConsoleDora(Number(values['console-pull-requests'].replaceAll('_', '')));
  if (values.json)
    process.stdout.write(`${JSON.stringify({ name: `console-dora-${figures.pullRequests}`, ...figures })}\n`);
  else {
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `Console: the DORA page of a project with ${figures.pullRequests.toLocaleString('en-US')} PRs, ${figures.deployments} deployments, ${figures.incidents} incidents (API answer ${figures.answerKB} KB in ${figures.apiMs} ms), time to rendered in Chromium\n`,
    );
    console.log(
      `  cold ${figures.coldMs} ms, warm ${figures.warmMs} ms (median of ${figures.runs})   target < ${figures.targetMs} ms: ${verdict(figures.warmMs < figures.targetMs)} (cold: ${verdict(figures.coldMs < figures.targetMs)})\n`,
    );
  }
}

if (run('queue') && process.env.LAKE_TEST_PG_URL) {
  const figures = await measureQueue(
    Number(values['queue-scopes']),
    Number(values['queue-latency']),
    Number(values['queue-rate']),
    Number(values['queue-pages']),
  );
  if (values.json) process.stdout.write(`${JSON.stringify({ name: 'queue-scale-out', ...figures })}\n`);
  else console.log(`${renderQueue(figures)}\n`);
}

if (run('webhook')) {
  const posts = Number(values['webhook-posts'].replaceAll('_', ''));
  const clients = Number(values['webhook-clients']);
  const dialects = [
    'sqlite' as const,
    ...(process.env.LAKE_TEST_PG_URL ? ['postgres' as const] : []),
    ...(process.env.LAKE_TEST_MYSQL_URL ? ['mysql' as const] : []),
  ];
  if (!values.json)
    console.log(
      `Webhook receiver: ${posts.toLocaleString('en-US')} deployment POSTs (one in ten a repeated id) from ${clients} clients on loopback, with retries; floor: a server that reads the body and answers 201\n`,
    );
  for (const dialect of dialects) {
    const figures = await measureWebhookLoad(dialect, posts, clients);
    const storedOnce =
      figures.storedDeployments === figures.distinctIds && figures.storedCommits === figures.distinctIds * 2;
    if (values.json)
      process.stdout.write(`${JSON.stringify({ name: `webhook-${dialect}-${posts}`, ...figures, storedOnce })}\n`);
    else {
      const line = (label: string, load: typeof figures.receiver) =>
        `  ${label.padEnd(18)} ${load.postsPerSec.toLocaleString('en-US').padStart(6)} posts/s  p50 ${load.p50Ms} ms  p99 ${load.p99Ms} ms  max ${load.maxMs} ms  retries ${load.retries}  failed ${load.failed}`;
      console.log(line(`receiver, ${dialect}`, figures.receiver));
      console.log(line('no-op floor', figures.noop));
      console.log(
        `  stored: ${figures.storedDeployments.toLocaleString('en-US')} deployments, ${figures.storedCommits.toLocaleString('en-US')} commit rows for ${figures.distinctIds.toLocaleString('en-US')} distinct ids: ${storedOnce ? 'every event once' : 'NOT exactly once'}\n`,
      );
    }
  }
}

if (!values.json && githubRows.length > 0) {
  console.log(
    'GitHub connector: a whole sync of one repository from the fake GitHub (100 issues a page, 8 requests in flight)\n',
  );
  for (const row of githubRows) {
    const issues = Number(row.records).toLocaleString('en-US');
    const rate = Number(row.recordsPerSec).toLocaleString('en-US');
    const how =
      row.faults === 'yes'
        ? 'through faults (quota, 502s, reset, truncated body, an expiring token)'
        : `${row.latencyMs} ms per request`;
    console.log(`  ${issues} issues, ${how}: ${rate} issues/s, ${row.seconds} s, peak RSS ${row.peakRssMB} MB`);
  }
  console.log('\nTarget (issue #13): peak RSS ≤ 256 MB whatever the dataset size.\n');
}

if (!values.json && jiraRows.length > 0) {
  console.log(
    'Jira connector: a whole sync of one board from the fake Jira Cloud (100 issues a page, changelogs inline)\n',
  );
  for (const row of jiraRows) {
    console.log(
      `  ${Number(row.records).toLocaleString('en-US')} issues, ${Number(row.changelogs).toLocaleString('en-US')} changelog items, ${jiraLatency} ms per request: ${row.seconds} s, ${Number(row.requests).toLocaleString('en-US')} requests, peak RSS ${row.peakRssMB} MB\n`,
    );
  }
}

if (!values.json && rows.length > 0) {
  console.log(
    'Synthetic connector, HTTP (127.0.0.1) → raw → tool → domain, SQLite; baseline: hand-written better-sqlite3\n',
  );
  const headers = [
    'records',
    'lake rec/s',
    'lake peak RSS',
    'baseline rec/s',
    'baseline peak RSS',
    'ratio',
    'ratio of each pair',
  ];
  const table = rows.map((row) => [
    Number(row.records).toLocaleString('en-US'),
    Number(row.recordsPerSec).toLocaleString('en-US'),
    `${row.peakRssMB} MB`,
    Number(row.baselineRecordsPerSec).toLocaleString('en-US'),
    `${row.baselinePeakRssMB} MB`,
    `${row.ratio}×`,
    String(row.pairRatios),
  ]);
  const widths = headers.map((header, index) => Math.max(header.length, ...table.map((row) => row[index]!.length)));
  console.log(headers.map((header, index) => header.padStart(widths[index]!)).join('  '));
  for (const row of table) console.log(row.map((cell, index) => cell.padStart(widths[index]!)).join('  '));
  console.log(
    `\nRates are each variant's median of ${sdkRuns} alternating runs (--sdk-runs); peak RSS the highest of them.`,
  );
  console.log(
    'Targets (issue #13): ratio ≥ 1.0× (the SDK overlaps fetching with writing; the baseline is a sequential loop), lake peak RSS ≤ 256 MB at 1,000,000 records.',
  );
}

/** The measurement with the median time (the lower middle one of an even count). */
function medianBy(measurements: Measurement[]): Measurement {
  const sorted = [...measurements].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
