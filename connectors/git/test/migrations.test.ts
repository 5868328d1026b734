import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DialectName, openStore, runMigrations, runSync, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { KILL_POINT_VARIABLES } from '@lake/sdk/testing';
import { createScratchDatabase, killMigrationsAtEachPoint, migrateInChild, testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitConnector } from '../src/index.js';
import { migrations } from '../src/migrations/index.js';
import { makeRepository, type TestRepository } from './make-repository.js';
import { contextFor } from './support/lake-on.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const RELEASED = { '0001-create-tool-tables': migrations['0001-create-tool-tables']! };
const TOKEN_URL = 'https://deploy-bot:ghp_SECRETtoken123@git.example.org/team/project.git';
const CLEAN_URL = 'https://git.example.org/team/project.git';
/** More rows than the migration copies per page. */
const REF_COUNT = 1234;

/** The migrations of the built connector, in a process of their own that kill points can stop. */
const migrateBuiltConnector = (url: string, variables: Record<string, string>) =>
  migrateInChild({ packageDirectory, connectorExport: 'gitConnector', url, variables });

const fullNameOf = (index: number) =>
  index === 0 ? `refs/tags/${'x'.repeat(245)}` : `refs/heads/branch-${String(index).padStart(5, '0')}`;

/**
 * A lake as the first release left it: tool tables of migration 0001, refs keyed by their
 * name, and a remote URL with a token in the raw, tool and domain tables.
 */
async function releasedLake(store: Store, repository: TestRepository): Promise<void> {
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, 'git', RELEASED);
  const date = (value: Date) => store.dialect.codec.encode(value, { kind: 'datetime' });
  const bool = (value: boolean) => store.dialect.codec.encode(value, { kind: 'bool' });
  const result = await runSync({
    connector: gitConnector,
    store,
    context: contextFor(repository.path),
    streams: ['repository'],
    migrate: false,
  });
  expect(result.error?.message ?? '').toBe('');
  const raw = (await store.db.selectFrom('_raw_git_repository').selectAll().execute())[0]!;
  await store.db
    .updateTable('_raw_git_repository')
    .set({ data: JSON.stringify({ ...JSON.parse(String(raw.data)), remoteUrl: TOKEN_URL }) })
    .execute();
  await store.db.updateTable('_tool_git_repos').set({ remote_url: TOKEN_URL }).execute();
  await store.db.updateTable('repos').set({ url: TOKEN_URL }).execute();
  // Another connector's row is not this migration's to change.
  await store.db
    .insertInto('repos')
    .values({
      id: 'github:GithubRepo:1:42',
      name: 'other',
      url: TOKEN_URL,
      description: '',
      owner_id: '',
      language: '',
      forked_from: '',
      deleted: bool(false),
      created_at: date(new Date()),
      updated_at: date(new Date()),
      _raw_data_params: '{"ConnectionId":1,"Name":"team/other"}',
      _raw_data_table: '_raw_github_api_repositories',
      _raw_data_id: 1,
      _raw_data_remark: '',
    })
    .execute();
  const sha = repository.git('rev-parse', 'main');
  const rows = Array.from({ length: REF_COUNT }, (_, index) => ({
    connection_id: index % 2 === 0 ? 1 : 2,
    repo_id: repository.path,
    full_name: fullNameOf(index),
    name: fullNameOf(index).replace(/^refs\/heads\//, ''),
    kind: index === 0 ? 'tag' : 'branch',
    commit_sha: sha,
    is_default: bool(index === 1),
    ref_date: null,
    created_at: date(new Date('2024-05-01T00:00:00Z')),
    updated_at: date(new Date('2024-05-01T00:00:00Z')),
    _raw_data_params: JSON.stringify({ ConnectionId: 1, RepoPath: repository.path }),
    _raw_data_table: '_raw_git_refs',
    _raw_data_id: index + 1,
    _raw_data_remark: '',
  }));
  for (let start = 0; start < rows.length; start += 200) {
    await store.db
      .insertInto('_tool_git_refs')
      .values(rows.slice(start, start + 200))
      .execute();
  }
}

async function expectMigrated(store: Store, repository: TestRepository, label: string): Promise<void> {
  const tables = await store.db.introspection.getTables();
  expect(
    tables.map((table) => table.name),
    label,
  ).not.toContain('_tool_git_refs_0002');
  const refsTable = tables.find((table) => table.name === '_tool_git_refs');
  expect(refsTable?.columns.map((each) => each.name).sort(), label).toEqual(
    [
      'connection_id',
      'repo_id',
      'full_name_hash',
      'full_name',
      'name',
      'kind',
      'commit_sha',
      'is_default',
      'ref_date',
      'created_at',
      'updated_at',
      '_raw_data_params',
      '_raw_data_table',
      '_raw_data_id',
      '_raw_data_remark',
    ].sort(),
  );
  const refs = await store.db.selectFrom('_tool_git_refs').selectAll().orderBy('_raw_data_id').execute();
  expect(refs, label).toHaveLength(REF_COUNT);
  refs.forEach((row, index) => {
    expect(row.full_name).toBe(fullNameOf(index));
    expect(row.full_name_hash).toBe(createHash('sha256').update(fullNameOf(index)).digest('hex'));
    expect(Number(row.connection_id)).toBe(index % 2 === 0 ? 1 : 2);
    expect(Boolean(Number(row.is_default) || row.is_default === true)).toBe(index === 1);
    expect(row.repo_id).toBe(repository.path);
  });
  const applied = await store.db.selectFrom('_lake_migrations_git').select('name').orderBy('name').execute();
  expect(applied.map((row) => row.name)).toEqual(Object.keys(migrations).sort());

  const raw = await store.db.selectFrom('_raw_git_repository').select('data').execute();
  expect(JSON.parse(String(raw[0]?.data)).remoteUrl, label).toBe(CLEAN_URL);
  const tool = await store.db.selectFrom('_tool_git_repos').select('remote_url').execute();
  expect(tool.map((row) => row.remote_url)).toEqual([CLEAN_URL]);
  const domain = await store.db.selectFrom('repos').select(['id', 'url']).orderBy('id').execute();
  expect(domain.map((row) => row.url)).toEqual([CLEAN_URL, TOKEN_URL]);
  expect(domain[1]?.id).toBe('github:GithubRepo:1:42');
}

describe('migrations 0002 and 0003 on a lake the first release wrote', () => {
  let repository: TestRepository;
  let directory: string;
  beforeAll(async () => {
    repository = await makeRepository({ commits: 4 });
    repository.git('remote', 'add', 'origin', TOKEN_URL);
    directory = await mkdtemp(join(tmpdir(), 'lake-migrations-'));
  });
  afterAll(async () => {
    await repository.cleanup();
    await rm(directory, { recursive: true, force: true });
  });

  const withReleasedLake = async (dialect: DialectName, body: (url: string) => Promise<void>) => {
    const database = await createScratchDatabase(dialect);
    try {
      const store = await openStore(database.url);
      await releasedLake(store, repository).finally(() => store.close());
      await body(database.url);
    } finally {
      await database.drop();
    }
  };

  for (const dialect of testDialects()) {
    it(`keep every ref, drop every token, and end the same from any kill point on ${dialect} (a sample of them on a server in CI; all with LAKE_SOAK=1)`, {
      timeout: 900_000,
    }, async () => {
      const log = join(directory, `points-${dialect}.log`);
      await withReleasedLake(dialect, async (url) => {
        const clean = await migrateBuiltConnector(url, { [KILL_POINT_VARIABLES.log]: log });
        expect(clean.code, clean.stderr).toBe(0);
      });
      const points = (await readFile(log, 'utf8')).trim().split('\n');
      const labels = points.map((point) => point.split('\t')[1]);
      // Among them: the staging copy made, the old table dropped and the new one not yet made, each migration applied but not recorded.
      expect(labels).toEqual(
        expect.arrayContaining([
          'ddl: create table _tool_git_refs_0002',
          'ddl: create table _tool_git_refs',
          'migration git/0002-key-refs-by-name-hash: applied, not recorded',
          'migration git/0003-remote-urls-without-credentials: applied, not recorded',
        ]),
      );
      await killMigrationsAtEachPoint({
        packageDirectory,
        connectorExport: 'gitConnector',
        points,
        dialect,
        withFreshLake: (body) => withReleasedLake(dialect, body),
        afterKill: async (url, label) => {
          const store = await openStore(url);
          try {
            await runMigrations(store, 'git', migrations);
            await expectMigrated(store, repository, `re-run after a kill at ${label}`);
          } finally {
            await store.close();
          }
        },
      });
      // And the migrated lake syncs: the refs stream replaces the scope's refs in the new table.
      await withReleasedLake(dialect, async (url) => {
        const store = await openStore(url);
        try {
          const result = await runSync({ connector: gitConnector, store, context: contextFor(repository.path) });
          expect(result.error?.message ?? '').toBe('');
          const refs = await store.db.selectFrom('_tool_git_refs').selectAll().where('connection_id', '=', 1).execute();
          expect(refs.map((row) => row.full_name).sort()).toEqual(
            repository.git('for-each-ref', '--format=%(refname)').split('\n').sort(),
          );
          const otherConnection = await store.db
            .selectFrom('_tool_git_refs')
            .select('full_name')
            .where('connection_id', '=', 2)
            .execute();
          expect(otherConnection).toHaveLength(REF_COUNT / 2);
          const tool = await store.db.selectFrom('_tool_git_repos').select('remote_url').execute();
          expect(tool.map((row) => row.remote_url)).toEqual([CLEAN_URL]);
        } finally {
          await store.close();
        }
      });
    });
  }
});
