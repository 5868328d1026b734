import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { snapshotLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepository, type TestRepository } from './make-repository.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the real `lake-connector-git` binary; resolves with its exit code, or kills it with SIGKILL after `killAfter` commits. */
async function runCli(
  contextFile: string,
  database: string,
  killAfter?: number,
): Promise<{ code: number | null; signal: string | null; commits: number }> {
  const child = spawn(
    process.execPath,
    [cli, 'sync', '--context', contextFile, '--db', `sqlite:${database}`, '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let commits = 0;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const event = JSON.parse(line) as { type: string; stream?: string };
    if (event.type === 'stream-progress' && event.stream === 'commits') {
      commits += 1;
      if (killAfter !== undefined && commits === killAfter) child.kill('SIGKILL');
    }
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal, commits };
}

describe('a sync killed with SIGKILL', () => {
  let repository: TestRepository;
  let directory: string;
  let contextFile: string;

  beforeAll(async () => {
    repository = await makeRepository({ commits: 12_000, mergeEvery: 40 });
    directory = await mkdtemp(join(tmpdir(), 'lake-sigkill-'));
    contextFile = join(directory, 'context.json');
    await writeFile(
      contextFile,
      JSON.stringify({ connection: { id: 1 }, scope: { path: repository.path }, options: { batchSize: 100 } }),
    );
  });
  afterAll(async () => {
    await repository.cleanup();
    await rm(directory, { recursive: true, force: true });
  });

  it('resumes, twice over, to exactly what an uninterrupted sync writes', async () => {
    const cleanDatabase = join(directory, 'clean.db');
    const clean = await runCli(contextFile, cleanDatabase);
    expect(clean.code).toBe(0);

    const database = join(directory, 'killed.db');
    const first = await runCli(contextFile, database, 15);
    expect(first.signal).toBe('SIGKILL');
    const afterFirstKill = await openStore(`sqlite:${database}`);
    const partial = Number(
      (
        await afterFirstKill.db
          .selectFrom('_tool_git_commits')
          .select((builder) => builder.fn.countAll().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    );
    await afterFirstKill.close();
    // Killed mid-stream: some commits are in, not all.
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(repository.countAll());

    const second = await runCli(contextFile, database, 40);
    expect(second.signal).toBe('SIGKILL');
    const resumed = await runCli(contextFile, database);
    expect(resumed.code).toBe(0);

    const expectedStore = await openStore(`sqlite:${cleanDatabase}`);
    const actualStore = await openStore(`sqlite:${database}`);
    try {
      const expected = await snapshotLake(expectedStore, 'git');
      const actual = await snapshotLake(actualStore, 'git');
      expect(actual.tables.repo_commits?.length).toBe(repository.countAll());
      expect(actual).toEqual(expected);
      const runs = await actualStore.db
        .selectFrom('_lake_runs')
        .select(['stream', 'status'])
        .where('stream', '=', 'commits')
        .execute();
      expect(runs.map((run) => run.status).sort()).toEqual(['interrupted', 'interrupted', 'succeeded']);
    } finally {
      await expectedStore.close();
      await actualStore.close();
    }
  });
});
