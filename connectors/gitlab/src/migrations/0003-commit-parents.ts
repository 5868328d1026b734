import { column, key, type Migration } from '@lake/sdk';

/** Commits' parents (`parent_ids`), collected from this version on; commits already in the lake get theirs on a full sync. */
export const createCommitParents: Migration = {
  async up(context) {
    await context.createToolTable('commit_parents', {
      project_id: key(column.bigint()),
      sha: key(column.varchar(40)),
      parent_sha: key(column.varchar(40)),
      position: column.bigint(),
    });
  },
};
