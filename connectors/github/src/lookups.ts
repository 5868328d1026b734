import { LakeError, type LakeKysely } from '@lake/sdk';

interface LookupContext {
  db: LakeKysely;
  rawParams: string;
  ids: { connectionId: number };
}

/**
 * GitHub ids that later streams need and their payloads do not carry (an issue comment
 * names its issue by number). They never change once assigned, so positive answers are
 * kept for the life of the database handle.
 */
const cache = new WeakMap<LakeKysely, Map<string, number | string>>();

function remembered(db: LakeKysely): Map<string, number | string> {
  let entries = cache.get(db);
  if (!entries) {
    entries = new Map();
    cache.set(db, entries);
  }
  return entries;
}

/** The repository's numeric GitHub id and web URL, from the `repository` stream's row (which runs first). */
export async function repositoryOf(context: LookupContext): Promise<{ id: number; htmlUrl: string }> {
  const key = `repo|${context.ids.connectionId}|${context.rawParams}`;
  const entries = remembered(context.db);
  const id = entries.get(`${key}|id`);
  const htmlUrl = entries.get(`${key}|url`);
  if (id !== undefined && htmlUrl !== undefined) return { id: Number(id), htmlUrl: String(htmlUrl) };
  const row = await context.db
    .selectFrom('_tool_github_repos')
    .select(['github_id', 'html_url'])
    .where('connection_id', '=', context.ids.connectionId)
    .where('_raw_data_params', '=', context.rawParams)
    .executeTakeFirst();
  if (!row) {
    throw new LakeError('STREAM_FAILED', 'the repository has not been synced yet (run the repository stream first)', {
      source: 'github',
    });
  }
  entries.set(`${key}|id`, Number(row.github_id));
  entries.set(`${key}|url`, String(row.html_url));
  return { id: Number(row.github_id), htmlUrl: String(row.html_url) };
}

/**
 * The repository's default branch as the `repository` stream stored it in this sync (asked every
 * time: a branch can be renamed between two syncs of one lake), or undefined before it ran.
 */
export async function defaultBranchOf(context: LookupContext): Promise<string | undefined> {
  const row = await context.db
    .selectFrom('_tool_github_repos')
    .select('default_branch')
    .where('connection_id', '=', context.ids.connectionId)
    .where('_raw_data_params', '=', context.rawParams)
    .executeTakeFirst();
  return row?.default_branch ? String(row.default_branch) : undefined;
}

/** The repository's numeric GitHub id. */
export async function repoIdOf(context: LookupContext): Promise<number> {
  return (await repositoryOf(context)).id;
}

/** The GitHub id of the issue or pull request with this number in the repository, if synced. */
export async function idByNumber(
  context: LookupContext,
  table: '_tool_github_issues' | '_tool_github_pull_requests',
  repoId: number,
  number: number,
): Promise<number | undefined> {
  const key = `${table}|${context.ids.connectionId}|${repoId}|${number}`;
  const known = remembered(context.db).get(key);
  if (known !== undefined) return Number(known);
  const row = await context.db
    .selectFrom(table)
    .select('github_id')
    .where('connection_id', '=', context.ids.connectionId)
    .where('repo_id', '=', repoId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) return undefined;
  const id = Number(row.github_id);
  remembered(context.db).set(key, id);
  return id;
}

/** `…/issues/12` or `…/pulls/12` → 12. */
export function numberFromUrl(url: unknown): number | undefined {
  const match = /\/(?:issues|pulls)\/(\d+)$/.exec(String(url ?? ''));
  return match ? Number(match[1]) : undefined;
}
