import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { isSyncResult, parseProtocolLine, protocolMessagesOf } from '@lake/sdk/protocol';
import { type LakeSnapshot, snapshotLake } from '@lake/testkit';
import type { FakeRequest, Hostility } from '@lake/testkit/fake-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSizes, GithubDataset } from './fake-github/dataset.js';
import { type GithubFixture, githubFixture } from './fixture.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const SIZES: DatasetSizes = {
  issues: 1_200,
  pullRequests: 20,
  commentsPerIssue: 1,
  commits: 10,
  workflowRuns: 3,
  deployments: 1,
};

interface HostileMode {
  name: string;
  sizes?: Partial<DatasetSizes>;
  hostility(dataset: GithubDataset): Hostility;
  /** The issues listing request to kill the sync at (once some issues are committed). */
  killAt(request: FakeRequest, issuesRequests: number): boolean;
}

const byRequests = (count: number) => (_request: FakeRequest, issuesRequests: number) => issuesRequests >= count;
/** From the first request for a page past the first of one `since` (inside items sharing one updated_at) on. */
function insideTies(): HostileMode['killAt'] {
  let entered = false;
  return (request) => {
    entered ||= Number(request.query.get('page') ?? 1) >= 2;
    return entered;
  };
}

/** Plain issues, least recently updated first. */
const oldestChanged = (dataset: GithubDataset) =>
  dataset.issues
    .filter((record) => !record.pull && !record.deleted)
    .sort((left, right) => left.updatedAt - right.updatedAt || left.number - right.number);

const MODES: HostileMode[] = [
  { name: 'lists in a shuffled order', hostility: () => ({ order: 'shuffled' }), killAt: byRequests(4) },
  { name: 'lists in reverse', hostility: () => ({ order: 'reversed' }), killAt: byRequests(4) },
  {
    name: 'repeats the last item of a page first on the next',
    sizes: { bulkEditedIssues: 300 },
    hostility: () => ({ duplicateAcrossPages: true }),
    killAt: insideTies(),
  },
  {
    name: 'changes issues while the sync pages (updates moving them to the last page, a new comment, a transfer)',
    hostility: (dataset) => ({
      whilePaging: () => {
        const oldest = oldestChanged(dataset);
        // The first three are on the page just answered; the transferred one is on a later page.
        for (const record of oldest.slice(0, 3))
          dataset.touchIssue(record.number, { title: `${record.title} (edited)` });
        dataset.addIssueComment(oldest[3]!.number, 'written while paging');
        dataset.deleteIssue(oldest[150]!.number);
      },
    }),
    killAt: byRequests(4),
  },
  {
    name: 'has 300 issues sharing one updated_at over several pages',
    sizes: { bulkEditedIssues: 300 },
    hostility: () => ({}),
    killAt: insideTies(),
  },
];

interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
}

describe.each(MODES)('lake-connector-github killed with SIGKILL mid-issues, against a GitHub that $name', (mode) => {
  let fixture: GithubFixture;
  let directory: string;
  let contextFile: string;
  beforeAll(async () => {
    fixture = await githubFixture({ ...SIZES, ...mode.sizes });
    directory = await mkdtemp(join(tmpdir(), 'lake-github-hostile-'));
    contextFile = join(directory, 'context.json');
    await writeFile(contextFile, JSON.stringify({ ...fixture.context, options: { batchSize: 50 } }));
  });
  afterAll(async () => {
    await fixture.close();
    await rm(directory, { recursive: true, force: true });
  });

  /**
   * Runs a sync; with `kill`, SIGKILLs it at the first issues request `kill` picks once three
   * batches of issues were committed (so that the killed run saved a bookmark past its start).
   */
  function sync(database: string, kill?: HostileMode['killAt']): Promise<CliRun> {
    const child: ChildProcess = spawn(
      process.execPath,
      [cli, 'sync', '--context', contextFile, '--db', `sqlite:${join(directory, database)}`, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let commits = 0;
    let issuesRequests = 0;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout += `${line}\n`;
      const parsed = parseProtocolLine(line);
      if (parsed.ok && parsed.message.type === 'stream-progress' && parsed.message.stream === 'issues') commits += 1;
    });
    child.stderr!.resume();
    fixture.github.onRequest = (request) => {
      if (!kill || !request.path.endsWith('/issues')) return;
      issuesRequests += 1;
      if (commits >= 3 && kill(request, issuesRequests)) child.kill('SIGKILL');
    };
    return once(child, 'exit').then(([code, signal]) => {
      fixture.github.onRequest = undefined;
      return { code, signal, stdout } as CliRun;
    });
  }

  async function snapshotOf(database: string): Promise<LakeSnapshot> {
    const store = await openStore(`sqlite:${join(directory, database)}`);
    try {
      const snapshot = await snapshotLake(store, 'github');
      // Raw rows keep every answer as received (a repeated item twice); tool and domain rows are what the lake says.
      return {
        tables: Object.fromEntries(Object.entries(snapshot.tables).filter(([name]) => !name.startsWith('_raw_'))),
      };
    } finally {
      await store.close();
    }
  }

  it('resumes, and one more incremental sync leaves exactly the issues and comments of a clean sync', async () => {
    fixture.github.api.setHostility(mode.hostility(fixture.dataset));
    const killed = await sync('hostile.db', mode.killAt);
    expect(killed.signal, killed.stdout.slice(-2000)).toBe('SIGKILL');

    const resumed = await sync('hostile.db');
    expect(resumed.code, resumed.stdout.slice(-2000)).toBe(0);
    const result = protocolMessagesOf(resumed.stdout).findLast(isSyncResult);
    expect(result?.streams.find((stream) => stream.name === 'issues')?.resumed).toBe(true);
    expect((await sync('hostile.db')).code).toBe(0);

    fixture.github.api.setHostility(undefined);
    expect((await sync('clean.db')).code).toBe(0);
    const [hostile, clean] = await Promise.all([snapshotOf('hostile.db'), snapshotOf('clean.db')]);
    const { dataset } = fixture;
    const issueKeys = (snapshot: LakeSnapshot) =>
      (snapshot.tables.issues ?? [])
        .map((row) => Number(JSON.parse(row).issue_key))
        .sort((left, right) => left - right);
    expect(issueKeys(hostile)).toEqual(dataset.issueNumbers());
    const commentIds = (snapshot: LakeSnapshot) =>
      (snapshot.tables._tool_github_issue_comments ?? [])
        .map((row) => JSON.parse(row) as { github_id: number; on_pull_request: unknown })
        .filter((row) => !row.on_pull_request)
        .map((row) => Number(row.github_id))
        .sort((left, right) => left - right);
    const servedComments = dataset.issueComments
      .filter((comment) => dataset.isVisible(comment) && !dataset.issue(comment.issueNumber)?.pull)
      .map((comment) => comment.id)
      .sort((left, right) => left - right);
    expect(commentIds(hostile)).toEqual(servedComments);
    expect(hostile).toEqual(clean);
  });
});
