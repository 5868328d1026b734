import { column, key, type Migration, nullable } from '@lake/sdk';

/** The git connector's tool tables as first released. */
export const createToolTables: Migration = {
  async up(context) {
    const { varchar, text, bigint, bool, datetime } = column;
    const repoId = key(varchar(255));
    await context.createToolTable('repos', {
      repo_id: repoId,
      name: varchar(),
      remote_url: text(),
      default_branch: varchar(),
      head_sha: varchar(40),
      first_commit_date: nullable(datetime()),
      last_commit_date: nullable(datetime()),
    });
    await context.createToolTable('refs', {
      repo_id: repoId,
      full_name: key(varchar(255)),
      name: varchar(),
      kind: varchar(20),
      commit_sha: varchar(40),
      is_default: bool(),
      ref_date: nullable(datetime()),
    });
    await context.createToolTable('commits', {
      repo_id: repoId,
      sha: key(varchar(40)),
      message: text(),
      author_name: varchar(),
      author_email: varchar(),
      authored_date: datetime(),
      committer_name: varchar(),
      committer_email: varchar(),
      committed_date: datetime(),
      additions: bigint(),
      deletions: bigint(),
      file_count: bigint(),
    });
    await context.createToolTable('commit_parents', {
      repo_id: repoId,
      sha: key(varchar(40)),
      parent_sha: key(varchar(40)),
      position: bigint(),
    });
    await context.createToolTable('commit_files', {
      repo_id: repoId,
      sha: key(varchar(40)),
      path_hash: key(varchar(64)),
      path: text(),
      old_path: text(),
      additions: bigint(),
      deletions: bigint(),
      binary: bool(),
    });
    await context.createToolTable('accounts', { email: key(varchar(255)), name: varchar() });
  },
};
