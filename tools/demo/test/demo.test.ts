import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../src/sync-this-repository.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('the main job', () => {
  it('syncs this repository and reports as many commits as git does', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lake-demo-'));
    try {
      const output = execFileSync(process.execPath, [script, '--db', join(directory, 'lake.db')], { encoding: 'utf8' });
      const gitCount = Number(
        execFileSync('git', ['rev-list', '--count', '--all'], { cwd: repositoryRoot, encoding: 'utf8' }),
      );
      expect(output).toMatch(new RegExp(`^commits:\\s+${gitCount}$`, 'm'));
      expect(output).toMatch(/^authors:\s+\d+$/m);
      expect(output).toMatch(/^busiest files:\s+\d+$/m);
      expect(output).toMatch(/^refs:\s+\d+ branch/m);
      expect(output).toContain(`git rev-list --count --all: ${gitCount}`);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
