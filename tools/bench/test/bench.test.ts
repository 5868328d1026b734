import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('pnpm bench --json', () => {
  // Checks what the benchmark prints, never how fast anything was.
  it('prints one JSON object per size with the lake and baseline figures', () => {
    const output = execFileSync(process.execPath, [main, '--json', '--records', '2000,3000'], { encoding: 'utf8' });
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
