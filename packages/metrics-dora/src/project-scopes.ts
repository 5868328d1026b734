import type { LakeKysely } from '@lake/sdk';

/** The scope tables `project_mapping.table` names. */
export type ScopeTable = 'repos' | 'cicd_scopes' | 'boards';

/** The ids (`project_mapping.row_id`) of the project's scopes of one kind, sorted. */
export async function projectScopeIds(db: LakeKysely, projectName: string, table: ScopeTable): Promise<string[]> {
  const rows = await db
    .selectFrom('project_mapping')
    .select('row_id')
    .where('project_name', '=', projectName)
    .where('table', '=', table)
    .orderBy('row_id')
    .execute();
  return rows.map((row) => String(row.row_id));
}
