/**
 * `pnpm bench [--json] [--records 100000,1000000]`
 *
 * For each size: a synthetic connector reads that many records from a paginated HTTP
 * server on 127.0.0.1 through all three layers into SQLite, and a hand-written baseline
 * does the same fetches and inserts in the same run. Prints records/s and peak RSS of
 * both and their ratio. Targets (issue #2): ratio ≥ 0.8, peak RSS ≤ 256 MB at 1,000,000.
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

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  // pnpm forwards a literal "--" before script arguments.
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  options: { json: { type: 'boolean', default: false }, records: { type: 'string', default: '100000,1000000' } },
});
const sizes = values.records.split(',').map((value) => Number(value.replaceAll('_', '')));

interface Measurement {
  records: number;
  seconds: number;
  peakRssMB: number;
}

async function startServer(total: number) {
  const server = spawn(process.execPath, [join(here, 'items-server.ts'), String(total)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
  return { port: (JSON.parse(line) as { port: number }).port, stop: () => server.kill() };
}

async function measure(variant: 'lake' | 'baseline', port: number): Promise<Measurement> {
  const workdir = await mkdtemp(join(tmpdir(), `lake-bench-${variant}-`));
  try {
    // Both variants run with the flags Lake runs syncs with (see SYNC_NODE_FLAGS).
    const child = spawn(
      process.execPath,
      [...SYNC_NODE_FLAGS, join(here, 'run-scenario.ts'), variant, String(port), workdir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    if (code !== 0) throw new Error(`${variant} scenario exited with ${code}`);
    return JSON.parse(output.trim()) as Measurement;
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}

const rows: Array<Record<string, string | number>> = [];
for (const size of sizes) {
  const server = await startServer(size);
  try {
    const baseline = await measure('baseline', server.port);
    const lake = await measure('lake', server.port);
    const lakeRate = lake.records / lake.seconds;
    const baselineRate = baseline.records / baseline.seconds;
    const result = {
      name: `sdk-sync-sqlite-${size}`,
      records: lake.records,
      seconds: round(lake.seconds, 2),
      recordsPerSec: Math.round(lakeRate),
      peakRssMB: round(lake.peakRssMB, 1),
      baselineRecordsPerSec: Math.round(baselineRate),
      baselinePeakRssMB: round(baseline.peakRssMB, 1),
      ratio: round(lakeRate / baselineRate, 2),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else rows.push(result);
  } finally {
    server.stop();
  }
}

if (!values.json) {
  console.log(
    'Synthetic connector, HTTP (127.0.0.1) → raw → tool → domain, SQLite; baseline: hand-written better-sqlite3\n',
  );
  const headers = ['records', 'lake rec/s', 'lake peak RSS', 'baseline rec/s', 'baseline peak RSS', 'ratio'];
  const table = rows.map((row) => [
    Number(row.records).toLocaleString('en-US'),
    Number(row.recordsPerSec).toLocaleString('en-US'),
    `${row.peakRssMB} MB`,
    Number(row.baselineRecordsPerSec).toLocaleString('en-US'),
    `${row.baselinePeakRssMB} MB`,
    `${row.ratio}×`,
  ]);
  const widths = headers.map((header, index) => Math.max(header.length, ...table.map((row) => row[index]!.length)));
  console.log(headers.map((header, index) => header.padStart(widths[index]!)).join('  '));
  for (const row of table) console.log(row.map((cell, index) => cell.padStart(widths[index]!)).join('  '));
  console.log('\nTargets: ratio ≥ 0.8×, lake peak RSS ≤ 256 MB at 1,000,000 records.');
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
