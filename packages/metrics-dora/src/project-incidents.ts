import type { LakeKysely } from '@lake/sdk';

/**
 * The project's incidents, by id: those whose (`table`, `scope_id`) is one of the project's
 * scopes in `project_mapping` (any source, not only issue-derived ones). Callers add the columns
 * they read, as `incidents.<column> as <column>`.
 */
export function projectIncidentsQuery(db: LakeKysely, projectName: string) {
  return db
    .selectFrom('incidents')
    .innerJoin('project_mapping', (join) =>
      join
        .onRef('project_mapping.table', '=', 'incidents.table')
        .onRef('project_mapping.row_id', '=', 'incidents.scope_id'),
    )
    .where('project_mapping.project_name', '=', projectName)
    .orderBy('incidents.id');
}
