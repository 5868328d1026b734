import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DialectName, openStore, runMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { KILL_POINT_VARIABLES } from '@lake/sdk/testing';
import { createScratchDatabase, killMigrationsAtEachPoint, migrateInChild, testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/migrations/index.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const RELEASED = { '0001-create-tool-tables': migrations['0001-create-tool-tables']! };
const ROWS = 30;
const authoredAt = (index: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, index));

/** The migrations of the built connector, in a process of their own that kill points can stop. */
const migrateBuiltConnector = (url: string, variables: Record<string, string>) =>
  migrateInChild({ packageDirectory, connectorExport: 'githubConnector', url, variables });

/** A lake as the first release left it: commits and pull request commits with `authored_at`. */
async function releasedLake(store: Store): Promise<void> {
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, 'github', RELEASED);
  const date = (value: Date) => store.dialect.codec.encode(value, { kind: 'datetime' });
  const provenance = (index: number) => ({
    created_at: date(new Date('2024-05-01T00:00:00Z')),
    updated_at: date(new Date('2024-05-01T00:00:00Z')),
    _raw_data_params: '{"ConnectionId":1,"Name":"team/project"}',
    _raw_data_table: '_raw_github_commits',
    _raw_data_id: index + 1,
    _raw_data_remark: '',
  });
  const person = { message: 'm', author_name: 'Ada', author_email: 'ada@example.org' };
  const commits = Array.from({ length: ROWS }, (_, index) => ({
    connection_id: 1,
    repo_id: 7,
    sha: index.toString(16).padStart(40, '0'),
    ...person,
    authored_at: date(authoredAt(index)),
    author_login: 'ada',
    committer_name: 'Ada',
    committer_email: 'ada@example.org',
    committed_at: date(authoredAt(index)),
    ...provenance(index),
  }));
  await store.db.insertInto('_tool_github_commits').values(commits).execute();
  const pullRequestCommits = commits.map(({ sha }, index) => ({
    connection_id: 1,
    pull_request_id: 9,
    sha,
    ...person,
    authored_at: date(authoredAt(index)),
    ...provenance(index),
  }));
  await store.db.insertInto('_tool_github_pull_request_commits').values(pullRequestCommits).execute();
}

async function expectMigrated(store: Store, label: string): Promise<void> {
  for (const table of ['_tool_github_commits', '_tool_github_pull_request_commits']) {
    const rows = await store.db.selectFrom(table).selectAll().orderBy('sha').execute();
    expect(rows, `${label}: ${table}`).toHaveLength(ROWS);
    rows.forEach((row, index) => {
      expect(row, `${label}: ${table}`).not.toHaveProperty('authored_at');
      const value = store.dialect.codec.decode(row.authored_date, { kind: 'datetime' });
      expect(value, `${label}: ${table}`).toEqual(authoredAt(index));
    });
  }
  const applied = await store.db.selectFrom('_lake_migrations_github').select('name').orderBy('name').execute();
  expect(applied.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
}

describe('migration 0002 (authored_at → authored_date) on a lake the first release wrote', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-github-migrations-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const withReleasedLake = async (dialect: DialectName, body: (url: string) => Promise<void>) => {
    const database = await createScratchDatabase(dialect);
    try {
      const store = await openStore(database.url);
      await releasedLake(store).finally(() => store.close());
      await body(database.url);
    } finally {
      await database.drop();
    }
  };

  for (const dialect of testDialects()) {
    it(`keeps every authored date and ends the same from any kill point on ${dialect} (a sample of them on a server in CI; all with LAKE_SOAK=1)`, {
      timeout: 300_000,
    }, async () => {
      const log = join(directory, `points-${dialect}.log`);
      await withReleasedLake(dialect, async (url) => {
        const clean = await migrateBuiltConnector(url, { [KILL_POINT_VARIABLES.log]: log });
        expect(clean.code, clean.stderr).toBe(0);
        const store = await openStore(url);
        await expectMigrated(store, 'a clean run').finally(() => store.close());
      });
      const points = (await readFile(log, 'utf8')).trim().split('\n');
      expect(points.map((point) => point.split('\t')[1])).toEqual(
        expect.arrayContaining([
          'ddl: rename column _tool_github_commits.authored_at to authored_date',
          'ddl: rename column _tool_github_pull_request_commits.authored_at to authored_date',
          'migration github/0002-authored-date: applied, not recorded',
        ]),
      );
      await killMigrationsAtEachPoint({
        packageDirectory,
        connectorExport: 'githubConnector',
        points,
        dialect,
        withFreshLake: (body) => withReleasedLake(dialect, body),
        afterKill: async (url, label) => {
          const store = await openStore(url);
          try {
            await runMigrations(store, 'github', migrations);
            await expectMigrated(store, `re-run after a kill at ${label}`);
          } finally {
            await store.close();
          }
        },
      });
    });
  }
});
