import { openStore, runMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '@lake/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest/manifest-schema.js';
import { MANIFEST_ORIGIN, recordProjects, writeProjectRows } from './project-rows.js';

const GIT = { table: 'repos', id: 'git:GitRepo:1:/srv/shop' } as const;
const GITHUB_REPO = { table: 'repos', id: 'github:GithubRepo:1:42' } as const;
const GITHUB_RUNS = { table: 'cicd_scopes', id: 'github:GithubRepo:1:42' } as const;
const BOARD = { table: 'boards', id: 'github:GithubRepo:1:42' } as const;

const code = { connection: 'code', scope: 'shop' };
const hub = { connection: 'hub', scope: 'acme/shop' };

function synced(connection: string, scopeId: string, domainScopes: Array<{ table: string; id: string }>) {
  return { connection, scopeId, domainScopes: domainScopes as Array<{ table: 'repos'; id: string }> };
}

async function mapping(store: Store) {
  const rows = await store.db
    .selectFrom('project_mapping')
    .select(['project_name', 'table', 'row_id', '_raw_data_table', '_raw_data_params'])
    .orderBy('project_name')
    .orderBy('table')
    .orderBy('row_id')
    .execute();
  return rows.map((row) => [row.project_name, row.table, row.row_id, row._raw_data_table, row._raw_data_params]);
}

async function projectRows(store: Store) {
  const rows = await store.db
    .selectFrom('projects')
    .select(['name', 'description', '_raw_data_table'])
    .orderBy('name')
    .execute();
  return rows.map((row) => [row.name, row.description, row._raw_data_table]);
}

const origin = (reference: { connection: string; scope: string }) => JSON.stringify(reference);

describe.each(testDialects())('projects and project_mapping from lake.yaml on %s', (dialect) => {
  let scratch: ScratchDatabase;
  let store: Store;
  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    store = await openStore(scratch.url);
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  });
  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
  });

  it('maps each synced scope to the domain rows its connector reported, keeps unsynced scopes, drops what lake.yaml dropped', async () => {
    // Someone else's project (imported from DevLake, say) is never touched.
    await store
      .writer()
      .upsert(domainShape('project_mapping'), [
        { project_name: 'theirs', table: 'repos', row_id: 'gitlab:GitlabProject:1:7', _raw_data_table: '' },
      ]);
    await store.writer().upsert(domainShape('projects'), [{ name: 'theirs', description: 'imported' }]);

    const projects: Manifest['projects'] = {
      shop: { description: 'the shop', scopes: [code, hub] },
      ops: { scopes: [hub] },
    };
    const first = await writeProjectRows(store, projects, [
      synced('code', 'shop', [GIT]),
      synced('hub', 'acme/shop', [GITHUB_REPO, GITHUB_RUNS, BOARD]),
    ]);
    expect(first).toEqual([
      { project: 'shop', mapped: 4, unmapped: [] },
      { project: 'ops', mapped: 3, unmapped: [] },
    ]);
    expect(await mapping(store)).toEqual([
      ['ops', 'boards', BOARD.id, MANIFEST_ORIGIN, origin(hub)],
      ['ops', 'cicd_scopes', GITHUB_RUNS.id, MANIFEST_ORIGIN, origin(hub)],
      ['ops', 'repos', GITHUB_REPO.id, MANIFEST_ORIGIN, origin(hub)],
      ['shop', 'boards', BOARD.id, MANIFEST_ORIGIN, origin(hub)],
      ['shop', 'cicd_scopes', GITHUB_RUNS.id, MANIFEST_ORIGIN, origin(hub)],
      ['shop', 'repos', GIT.id, MANIFEST_ORIGIN, origin(code)],
      ['shop', 'repos', GITHUB_REPO.id, MANIFEST_ORIGIN, origin(hub)],
      ['theirs', 'repos', 'gitlab:GitlabProject:1:7', '', ''],
    ]);
    expect(await projectRows(store)).toEqual([
      ['ops', '', MANIFEST_ORIGIN],
      ['shop', 'the shop', MANIFEST_ORIGIN],
      ['theirs', 'imported', ''],
    ]);

    // Only the git scope syncs now, written under the GitHub repo's id (repoId); ops is gone from lake.yaml.
    const second = await writeProjectRows(store, { shop: { scopes: [code, hub] } }, [
      synced('code', 'shop', [GITHUB_REPO]),
    ]);
    expect(second).toEqual([{ project: 'shop', mapped: 3, unmapped: [] }]);
    expect(await mapping(store)).toEqual([
      ['shop', 'boards', BOARD.id, MANIFEST_ORIGIN, origin(hub)],
      ['shop', 'cicd_scopes', GITHUB_RUNS.id, MANIFEST_ORIGIN, origin(hub)],
      // One row for the two scopes that stand for the same repo; the old git id is gone.
      ['shop', 'repos', GITHUB_REPO.id, MANIFEST_ORIGIN, expect.any(String)],
      ['theirs', 'repos', 'gitlab:GitlabProject:1:7', '', ''],
    ]);
    expect(await projectRows(store)).toEqual([
      ['shop', '', MANIFEST_ORIGIN],
      ['theirs', 'imported', ''],
    ]);

    // A scope removed from the project loses its rows even though it did not sync.
    await writeProjectRows(store, { shop: { scopes: [code] } }, []);
    expect((await mapping(store)).filter((row) => row[0] === 'shop')).toEqual([
      ['shop', 'repos', GITHUB_REPO.id, MANIFEST_ORIGIN, expect.any(String)],
    ]);
  });

  it('names the scopes that have no mapping yet, and keeps a failed scope’s earlier rows', async () => {
    const projects: Manifest['projects'] = { fresh: { scopes: [code, hub] } };
    const report = await writeProjectRows(store, projects, [synced('hub', 'acme/shop', [])]);
    expect(report).toEqual([{ project: 'fresh', mapped: 0, unmapped: [code, hub] }]);
    await writeProjectRows(store, projects, [synced('code', 'shop', [GIT])]);
    // The git scope's connector then dies before reporting (no domainScopes): its row stays.
    const again = await writeProjectRows(store, projects, [synced('code', 'shop', [])]);
    expect(again).toEqual([{ project: 'fresh', mapped: 1, unmapped: [hub] }]);
  });
});

describe('recordProjects', () => {
  it('opens nothing when lake.yaml has no projects', async () => {
    // A URL no driver could open: reaching the database would throw.
    await expect(recordProjects('postgres://nobody@127.0.0.1:1/none', '.', {}, [])).resolves.toEqual([]);
  });
});
