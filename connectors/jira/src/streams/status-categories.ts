import type { ScopeContext } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';

/** Status id → the key of its category (`new`, `indeterminate`, `done`). */
export type StatusCategories = ReadonlyMap<string, string>;

interface Known {
  loading: Promise<StatusCategories>;
  loaded?: StatusCategories;
}

/**
 * The status categories of `_tool_jira_statuses`, read once per lake and process, so that
 * extract pays no await per issue. The statuses stream forgets them when it collects: the
 * issues extracted after it read the statuses it just stored.
 */
const known = new WeakMap<object, Known>();

export function forgetStatusCategories(db: object): void {
  known.delete(db);
}

/** The categories, at once when already read, else once they are. */
export function statusCategories(context: ScopeContext<JiraTypes>): StatusCategories | Promise<StatusCategories> {
  const cached = known.get(context.db);
  if (cached?.loaded) return cached.loaded;
  if (cached) return cached.loading;
  const entry: Known = {
    loading: context.db
      .selectFrom('_tool_jira_statuses')
      .select(['status_id', 'category_key'])
      .where('connection_id', '=', context.connection.id)
      .execute()
      .then((rows) => {
        entry.loaded = new Map(rows.map((row) => [String(row.status_id), String(row.category_key)]));
        return entry.loaded;
      }),
  };
  entry.loading.catch(() => known.delete(context.db));
  known.set(context.db, entry);
  return entry.loading;
}
