import { LakeError, type LakeKysely } from '@lake/sdk';

interface LookupContext {
  db: LakeKysely;
  rawParams: string;
  ids: { connectionId: number };
}

export interface ProjectFacts {
  id: number;
  webUrl: string;
  defaultBranch: string | undefined;
}

/**
 * The project as the `project` stream stored it in this lake: its numeric id (the scope may name
 * it by path), web URL and default branch. Asked each time: a branch can be renamed between syncs.
 */
export async function projectOf(context: LookupContext): Promise<ProjectFacts> {
  const row = await context.db
    .selectFrom('_tool_gitlab_projects')
    .select(['gitlab_id', 'web_url', 'default_branch'])
    .where('connection_id', '=', context.ids.connectionId)
    .where('_raw_data_params', '=', context.rawParams)
    .executeTakeFirst();
  if (!row) {
    throw new LakeError('STREAM_FAILED', 'the project has not been synced yet (run the project stream first)', {
      source: 'gitlab',
    });
  }
  return {
    id: Number(row.gitlab_id),
    webUrl: String(row.web_url ?? ''),
    defaultBranch: row.default_branch ? String(row.default_branch) : undefined,
  };
}

/** The tier of an environment as the environments stream stored it; '' for one it has not seen. */
export async function environmentTierOf(context: LookupContext, environmentId: number): Promise<string> {
  const row = await context.db
    .selectFrom('_tool_gitlab_environments')
    .select(['tier'])
    .where('connection_id', '=', context.ids.connectionId)
    .where('gitlab_id', '=', environmentId)
    .executeTakeFirst();
  return row?.tier ? String(row.tier) : '';
}
