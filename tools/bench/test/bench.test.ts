import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('pnpm bench --json', () => {
  // Checks what the benchmark prints, never how fast anything was.
  it('prints one JSON object per size with the lake and baseline figures', () => {
    const output = execFileSync(process.execPath, [main, '--json', '--only', 'sdk', '--records', '2000,3000'], {
      encoding: 'utf8',
    });
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.name, line.records])).toEqual([
      ['sdk-sync-sqlite-2000', 2000],
      ['sdk-sync-sqlite-3000', 3000],
    ]);
    for (const line of lines) {
      for (const field of [
        'seconds',
        'recordsPerSec',
        'peakRssMB',
        'baselineRecordsPerSec',
        'baselinePeakRssMB',
        'ratio',
      ]) {
        expect(typeof line[field], field).toBe('number');
        expect(line[field], field).toBeGreaterThan(0);
      }
    }
  });
});

describe('pnpm bench --json, GitHub', () => {
  it('prints the GitHub sync figures per latency', () => {
    const args = [main, '--json', '--only', 'github', '--github-issues', '300', '--github-latency', '1,5'];
    const lines = execFileSync(process.execPath, args, { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.name, line.records, line.latencyMs])).toEqual([
      ['github-issues-300-latency-1ms', 300, 1],
      ['github-issues-300-latency-5ms', 300, 5],
    ]);
    for (const line of lines) {
      for (const field of ['seconds', 'recordsPerSec', 'peakRssMB']) expect(line[field], field).toBeGreaterThan(0);
    }
  });
});

describe('pnpm bench --only cli', () => {
  it("prints the lake --help figures for twenty installed connectors, and sync's file check of the git connector", () => {
    const output = execFileSync(process.execPath, [main, '--json', '--only', 'cli'], { encoding: 'utf8' });
    const [line, check] = output
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(line).toMatchObject({ name: 'lake-help-20-connectors', connectors: 20, runs: 30 });
    for (const field of ['medianMs', 'p95Ms', 'minMs']) expect(line[field], field).toBeGreaterThan(0);
    expect(line.minMs).toBeLessThanOrEqual(line.medianMs);
    expect(check).toMatchObject({ name: 'lake-sync-files-check-git', runs: 20 });
    expect(check.connector).toMatch(/^git \d+\.\d+\.\d+$/);
    // The whole closure: the SDK's database drivers and HTTP client come with it.
    expect(check.files).toBeGreaterThan(1000);
    for (const field of ['megabytes', 'medianMs', 'minMs', 'helpRatio']) expect(check[field], field).toBeGreaterThan(0);
  });
});
