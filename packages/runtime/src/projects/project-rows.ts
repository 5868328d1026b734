import type { Store } from '@lake/sdk';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ScopeOutcome } from '../run/sync-runner.js';

/** `_raw_data_table` of the `projects` and `project_mapping` rows lake.yaml stands for; rows of other writers are left alone. */
export const MANIFEST_ORIGIN = 'lake.yaml';

type Projects = Manifest['projects'];
type SyncedScope = Pick<ScopeOutcome, 'connection' | 'scopeId' | 'domainScopes'>;

export interface ProjectRowsReport {
  project: string;
  /** `project_mapping` rows of the project after the write. */
  mapped: number;
  /** Scopes of the project with no mapping yet: not synced since they joined it (or their connector reports none). */
  unmapped: Array<{ connection: string; scope: string }>;
}

interface MappingRow {
  project_name: string;
  table: string;
  row_id: string;
  /** Which lake.yaml scope the row came from: `{"connection":…,"scope":…}`. */
  _raw_data_params: string;
}

/**
 * Writes lake.yaml's `projects:` as DevLake's `projects` and `project_mapping` rows, in one
 * transaction. A scope synced now maps to the domain rows its connector reported
 * (`domainScopes`); a scope not synced now keeps the rows an earlier sync wrote. Rows of a
 * project, or of a scope, that lake.yaml no longer lists go, and so do a synced scope's rows
 * that it no longer reports (a git scope given another `repoId`).
 */
export async function writeProjectRows(
  store: Store,
  projects: Projects,
  synced: readonly SyncedScope[],
): Promise<ProjectRowsReport[]> {
  return store.transaction(async (writer) => {
    const db = writer.db;
    const owned = (await db
      .selectFrom('project_mapping')
      .select(['project_name', 'table', 'row_id', '_raw_data_params'])
      .where('_raw_data_table', '=', MANIFEST_ORIGIN)
      .execute()) as MappingRow[];
    const everyScopeRow = wantedRows(projects, synced, owned);
    const wanted = distinctByKey(everyScopeRow);
    const wantedKeys = new Set(wanted.map(keyOf));
    for (const row of owned.filter((candidate) => !wantedKeys.has(keyOf(candidate)))) {
      await db
        .deleteFrom('project_mapping')
        .where('project_name', '=', row.project_name)
        .where('table', '=', row.table)
        .where('row_id', '=', row.row_id)
        .execute();
    }
    const ownedKeys = new Set(owned.map((row) => `${keyOf(row)}\u0000${row._raw_data_params}`));
    const changed = wanted.filter((row) => !ownedKeys.has(`${keyOf(row)}\u0000${row._raw_data_params}`));
    const { domainShape } = await import('@lake/sdk/store');
    await writer.upsert(
      domainShape('project_mapping'),
      changed.map((row) => ({ ...row, _raw_data_table: MANIFEST_ORIGIN, _raw_data_id: 0, _raw_data_remark: '' })),
    );
    await writer.upsert(
      domainShape('projects'),
      Object.entries(projects).map(([name, project]) => ({
        name,
        description: project.description ?? '',
        _raw_data_params: '',
        _raw_data_table: MANIFEST_ORIGIN,
        _raw_data_id: 0,
        _raw_data_remark: '',
      })),
    );
    const names = Object.keys(projects);
    let gone = db.deleteFrom('projects').where('_raw_data_table', '=', MANIFEST_ORIGIN);
    if (names.length > 0) gone = gone.where('name', 'not in', names);
    await gone.execute();
    return Object.entries(projects).map(([name, project]) => ({
      project: name,
      mapped: wanted.filter((row) => row.project_name === name).length,
      unmapped: project.scopes.filter(
        (reference) =>
          !everyScopeRow.some((row) => row.project_name === name && row._raw_data_params === originOf(reference)),
      ),
    }));
  });
}

function wantedRows(projects: Projects, synced: readonly SyncedScope[], owned: readonly MappingRow[]): MappingRow[] {
  const rows: MappingRow[] = [];
  for (const [name, project] of Object.entries(projects)) {
    for (const reference of project.scopes) {
      const origin = originOf(reference);
      const outcome = synced.find(
        (candidate) => candidate.connection === reference.connection && candidate.scopeId === reference.scope,
      );
      if (outcome && outcome.domainScopes.length > 0) {
        for (const scope of outcome.domainScopes)
          rows.push({ project_name: name, table: scope.table, row_id: scope.id, _raw_data_params: origin });
      } else {
        rows.push(...owned.filter((row) => row.project_name === name && row._raw_data_params === origin));
      }
    }
  }
  return rows;
}

/** Two scopes of a project may stand for one domain row (a git clone written under its GitHub repo's id). */
function distinctByKey(rows: readonly MappingRow[]): MappingRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(keyOf(row)) && seen.add(keyOf(row)));
}

function originOf(reference: { connection: string; scope: string }): string {
  return JSON.stringify({ connection: reference.connection, scope: reference.scope });
}

function keyOf(row: Pick<MappingRow, 'project_name' | 'table' | 'row_id'>): string {
  return JSON.stringify([row.project_name, row.table, row.row_id]);
}

/**
 * After a sync's scopes: opens the lake and writes the projects (`writeProjectRows`). The SDK's
 * migrations run first, for a sync whose every scope failed before its connector migrated.
 */
export async function recordProjects(
  url: string,
  cwd: string,
  projects: Projects,
  synced: readonly SyncedScope[],
): Promise<ProjectRowsReport[]> {
  if (Object.keys(projects).length === 0) return [];
  const { openStore, runMigrations, SDK_MIGRATIONS } = await import('@lake/sdk');
  const store = await openStore(url, { cwd });
  try {
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
    return await writeProjectRows(store, projects, synced);
  } finally {
    await store.close();
  }
}
