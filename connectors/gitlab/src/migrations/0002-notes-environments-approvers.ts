import { column, key, type Migration, nullable } from '@lake/sdk';

const { varchar, text, bigint, bool, datetime } = column;

/** Issue notes (issue_comments), environments (the tiers of deployments) and approvers, collected from this version on. */
export const createNotesEnvironmentsApprovers: Migration = {
  async up(context) {
    await context.createToolTable('issue_notes', {
      gitlab_id: key(bigint()),
      issue_id: bigint(),
      body: text(),
      is_system: bool(),
      author_id: bigint(),
      author_username: varchar(),
      note_created_at: datetime(),
      note_updated_at: nullable(datetime()),
    });
    await context.createToolTable('environments', {
      gitlab_id: key(bigint()),
      name: varchar(),
      slug: varchar(),
      external_url: varchar(),
      state: varchar(40),
      tier: varchar(40),
      environment_created_at: nullable(datetime()),
      environment_updated_at: nullable(datetime()),
    });
    await context.createToolTable('mr_approvers', {
      merge_request_id: key(bigint()),
      user_id: key(bigint()),
      username: varchar(),
      name: varchar(),
    });
    await context.addColumn(context.toolTableName('deployments'), 'environment_id', nullable(bigint()));
  },
};
