import { LakeError, type LakeKysely } from '@lake/sdk';

/**
 * Refuses a project name that neither `projects` nor `project_mapping` knows (a typo would
 * otherwise compute nothing, silently), naming the projects that exist.
 */
export async function assertKnownProject(db: LakeKysely, projectName: string): Promise<void> {
  const named = await db.selectFrom('projects').select('name').execute();
  const mapped = await db.selectFrom('project_mapping').select('project_name').distinct().execute();
  const known = new Set([...named.map((row) => String(row.name)), ...mapped.map((row) => String(row.project_name))]);
  if (known.has(projectName)) return;
  const list = [...known].sort();
  throw new LakeError(
    'USAGE',
    `project "${projectName}" is in neither projects nor project_mapping; ${list.length === 0 ? 'the database has no projects' : `the projects are ${list.join(', ')}`}`,
    { source: 'metrics-dora', details: { field: 'project', known: list } },
  );
}
