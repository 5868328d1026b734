import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { KILL_POINT_VARIABLES } from '@lake/sdk/testing';
import { snapshotLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepository, type TestRepository } from './make-repository.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** End-to-end runs of the real binary on a busy machine: budgets far beyond what they need. */
const BUDGET = { timeout: 900_000 };

interface CliRun {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/**
 * Runs the real `lake-connector-git` binary. With `killAt`, the SDK's kill points make the
 * process SIGKILL itself on reaching the `killAt`-th point (a place where durability is
 * decided): deterministic, unlike a kill sent from here, which a fast child could outrun.
 * Every run lists the points it reached in `pointsLog`.
 */
async function runCli(
  contextFile: string,
  database: string,
  options: { killAt?: number; pointsLog?: string; full?: boolean } = {},
): Promise<CliRun> {
  const args = [cli, 'sync', '--context', contextFile, '--db', `sqlite:${database}`, '--json'];
  if (options.full) args.push('--full');
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      ...(options.pointsLog ? { [KILL_POINT_VARIABLES.log]: options.pointsLog } : {}),
      ...(options.killAt ? { [KILL_POINT_VARIABLES.killAt]: String(options.killAt) } : {}),
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal, stderr };
}

/** The kill point of the `count`-th committed transaction, given the points a run reached before its first transaction. */
async function afterCommittedTransactions(referenceLog: string | undefined, count: number): Promise<number> {
  if (!referenceLog) return 2 * count;
  const labels = (await readFile(referenceLog, 'utf8')).trim().split('\n');
  const committed = labels.filter((line) => line.endsWith('\ttransaction: committed'));
  return Number(committed[count - 1]!.split('\t')[0]);
}

async function commitCount(database: string): Promise<number> {
  const store = await openStore(`sqlite:${database}`);
  try {
    const row = await store.db
      .selectFrom('_tool_git_commits')
      .select((builder) => builder.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  } finally {
    await store.close();
  }
}

async function shasIn(database: string): Promise<string[]> {
  const store = await openStore(`sqlite:${database}`);
  try {
    const rows = await store.db.selectFrom('repo_commits').select('commit_sha').execute();
    return rows.map((row) => String(row.commit_sha)).sort();
  } finally {
    await store.close();
  }
}

async function expectSameLake(actualDatabase: string, expectedDatabase: string): Promise<void> {
  const expectedStore = await openStore(`sqlite:${expectedDatabase}`);
  const actualStore = await openStore(`sqlite:${actualDatabase}`);
  try {
    expect(await snapshotLake(actualStore, 'git')).toEqual(await snapshotLake(expectedStore, 'git'));
  } finally {
    await expectedStore.close();
    await actualStore.close();
  }
}

describe('a sync killed with SIGKILL', () => {
  let repository: TestRepository;
  let directory: string;
  let contextFile: string;

  beforeAll(async () => {
    repository = await makeRepository({ commits: 3_000, mergeEvery: 40 });
    directory = await mkdtemp(join(tmpdir(), 'lake-sigkill-'));
    contextFile = join(directory, 'context.json');
    await writeFile(
      contextFile,
      JSON.stringify({ connection: { id: 1 }, scope: { path: repository.path }, options: { batchSize: 25 } }),
    );
  }, BUDGET.timeout);
  afterAll(async () => {
    await repository.cleanup();
    await rm(directory, { recursive: true, force: true });
  });

  /** Syncs a fresh lake to the end, listing the kill points it reached. */
  const cleanSync = async (name: string) => {
    const database = join(directory, `${name}.db`);
    const pointsLog = join(directory, `${name}.points`);
    const run = await runCli(contextFile, database, { pointsLog });
    expect(run.code, run.stderr).toBe(0);
    return { database, pointsLog };
  };

  /** Syncs a fresh lake until `transactions` batches are committed, then dies; checks it died mid-stream. */
  const killedSync = async (name: string, referenceLog: string, transactions: number) => {
    const database = join(directory, `${name}.db`);
    const killed = await runCli(contextFile, database, {
      killAt: await afterCommittedTransactions(referenceLog, transactions),
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const partial = await commitCount(database);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(repository.countAll());
    return database;
  };

  it('resumes, twice over, to exactly what an uninterrupted sync writes', BUDGET, async () => {
    const clean = await cleanSync('clean');
    const database = await killedSync('killed', clean.pointsLog, 8);
    // The second run starts with no migration left to apply: its first points are its transactions.
    const second = await runCli(contextFile, database, { killAt: await afterCommittedTransactions(undefined, 20) });
    expect(second.signal, second.stderr).toBe('SIGKILL');
    const resumed = await runCli(contextFile, database);
    expect(resumed.code, resumed.stderr).toBe(0);

    await expectSameLake(database, clean.database);
    expect((await shasIn(database)).length).toBe(repository.countAll());
    const store = await openStore(`sqlite:${database}`);
    try {
      const runs = await store.db
        .selectFrom('_lake_runs')
        .select(['stream', 'status'])
        .where('stream', '=', 'commits')
        .execute();
      expect(runs.map((run) => run.status).sort()).toEqual(['interrupted', 'interrupted', 'succeeded']);
    } finally {
      await store.close();
    }
  });

  it('resumes after refs moved, and reads what they added too', BUDGET, async () => {
    const reference = await cleanSync('before-moving');
    const database = await killedSync('moved', reference.pointsLog, 6);
    repository.addCommits(3, 'while interrupted');
    try {
      const resumed = await runCli(contextFile, database);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await shasIn(database)).toEqual(repository.git('rev-list', '--all').split('\n').sort());
      // The change marker now describes the moved refs: an unchanged repository is skipped,
      // and the lake must already hold everything.
      const again = await runCli(contextFile, database);
      expect(again.code, again.stderr).toBe(0);
      await expectSameLake(database, (await cleanSync('after-moving')).database);
    } finally {
      repository.git('reset', '-q', '--hard', 'HEAD~3');
      repository.git('reflog', 'expire', '--expire=now', '--all');
    }
  });

  it('resumes after the history it was reading was rewritten and garbage-collected', BUDGET, async () => {
    const reference = await cleanSync('before-rewrite');
    const database = await killedSync('rewritten', reference.pointsLog, 6);
    // Rewrite: main loses its last 150 commits and gets 4 new ones; the old tips are pruned.
    const oldTip = repository.git('rev-parse', 'main');
    repository.git('reset', '-q', '--hard', 'main~150');
    repository.addCommits(4, 'rewritten');
    repository.git('reflog', 'expire', '--expire=now', '--all');
    repository.git('gc', '-q', '--prune=now');
    expect(() => repository.git('cat-file', '-e', oldTip)).toThrow();

    const resumed = await runCli(contextFile, database);
    expect(resumed.code, resumed.stderr).toBe(0);
    const stored = new Set(await shasIn(database));
    const reachable = repository.git('rev-list', '--all').split('\n');
    expect(reachable.filter((sha) => !stored.has(sha))).toEqual([]);

    // Commits the killed run stored before the rewrite stay until a full sync removes them,
    // as after any rewrite; then the lake is exactly a clean sync of the rewritten repository.
    const full = await runCli(contextFile, database, { full: true });
    expect(full.code, full.stderr).toBe(0);
    await expectSameLake(database, (await cleanSync('after-rewrite')).database);
    expect(await shasIn(database)).toEqual([...reachable].sort());
  });
});
