import type { Migration, MigrationContext } from '@lake/sdk';
import { withoutCredentials } from '../git/remote-url.js';

/**
 * Versions before this one stored `remote.origin.url` verbatim, so a remote such as
 * `https://user:token@host/…` put the token in the raw, tool and domain tables. The next sync
 * would rewrite those rows, but an unchanged repository is skipped: clean them here. Running
 * it again changes nothing, so a run killed half-way is simply run again.
 */
export const remoteUrlsWithoutCredentials: Migration = {
  async up(context) {
    const tables = new Set((await context.db.introspection.getTables()).map((table) => table.name));
    const reposTable = context.toolTableName('repos');
    if (tables.has(reposTable)) {
      await cleanColumn(
        context,
        { table: reposTable, keys: ['connection_id', 'repo_id'], column: 'remote_url' },
        withoutCredentials,
      );
    }
    // The domain rows this connector wrote: their ids start with `git:GitRepo:`.
    if (tables.has('repos')) {
      await cleanColumn(
        context,
        { table: 'repos', keys: ['id'], column: 'url', idLike: 'git:GitRepo:%' },
        withoutCredentials,
      );
    }
    // The raw table exists once the repository stream has run; its records are JSON.
    const rawTable = '_raw_git_repository';
    if (tables.has(rawTable)) {
      await cleanColumn(context, { table: rawTable, keys: ['id'], column: 'data' }, (value) => {
        const record = JSON.parse(value) as { remoteUrl?: unknown } | null;
        if (typeof record?.remoteUrl !== 'string') return value;
        return JSON.stringify({ ...record, remoteUrl: withoutCredentials(record.remoteUrl) });
      });
    }
  },
};

interface CleanedColumn {
  table: string;
  /** The columns that identify a row. */
  keys: string[];
  column: string;
  /** Only rows whose `id` matches this LIKE pattern. */
  idLike?: string;
}

/** Rewrites a column's values where `clean` changes them. */
async function cleanColumn(
  context: MigrationContext,
  target: CleanedColumn,
  clean: (value: string) => string,
): Promise<void> {
  let query = context.db.selectFrom(target.table).select([...target.keys, target.column]);
  if (target.idLike) query = query.where('id', 'like', target.idLike);
  // A row per repository: few enough to read at once.
  const rows = (await query.execute()) as Record<string, unknown>[];
  for (const row of rows) {
    const value = row[target.column];
    if (typeof value !== 'string' || value === '') continue;
    const cleaned = clean(value);
    if (cleaned === value) continue;
    let update = context.db.updateTable(target.table).set({ [target.column]: cleaned });
    for (const name of target.keys) update = update.where(name, '=', row[name]);
    await update.execute();
  }
}
