import type { LakeKysely } from '@lake/sdk';
import { chunks } from './values.js';

/**
 * Deletes the rows of `table` that the step `subtaskName` wrote for the given cicd scopes (the
 * rows' own `cicd_scope_id`), leaving other writers' rows alone; returns how many went.
 */
export async function deleteGeneratedRows(
  db: LakeKysely,
  table: 'cicd_deployments' | 'cicd_deployment_commits',
  subtaskName: string,
  scopeIds: readonly string[],
): Promise<number> {
  let deleted = 0;
  for (const scopes of chunks(scopeIds)) {
    const result = await db
      .deleteFrom(table)
      .where('subtask_name', '=', subtaskName)
      .where('cicd_scope_id', 'in', scopes)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
