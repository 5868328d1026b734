import { column, key, type Migration, nullable } from '@lake/sdk';

const { varchar, text, bigint, bool, datetime } = column;

/** Jobs, builds, their Pipeline stages and the revisions they built. */
export const createToolTables: Migration = {
  async up(context) {
    await context.createToolTable('jobs', {
      full_name: key(varchar()),
      name: varchar(),
      job_class: varchar(),
      url: varchar(),
      description: text(),
    });
    await context.createToolTable('builds', {
      job_full_name: key(varchar()),
      number: key(bigint()),
      scope_job: varchar(),
      build_class: varchar(),
      url: varchar(),
      result: varchar(40),
      building: bool(),
      started_at: nullable(datetime()),
      started_ms: bigint(),
      duration_ms: bigint(),
      display_name: varchar(),
      has_stages: bool(),
    });
    await context.createToolTable('build_stages', {
      job_full_name: key(varchar()),
      build_number: key(bigint()),
      stage_id: key(varchar(100)),
      scope_job: varchar(),
      name: varchar(),
      status: varchar(40),
      started_at: nullable(datetime()),
      duration_ms: bigint(),
    });
    await context.createToolTable('build_commits', {
      job_full_name: key(varchar()),
      build_number: key(bigint()),
      commit_sha: key(varchar(40)),
      scope_job: varchar(),
      repo_url: varchar(500),
      branch: varchar(),
      commit_msg: text(),
      build_url: varchar(),
    });
  },
};
