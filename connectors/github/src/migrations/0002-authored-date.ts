import type { Migration } from '@lake/sdk';

/**
 * `authored_at` becomes `authored_date` in the commits and pull request commits tool tables:
 * the name of the git connector's column and of DevLake's domain column. Each rename is one
 * statement, and a table already renamed is left alone, so a run killed between the two
 * renames (MySQL commits each one on its own) finishes the second when it runs again.
 */
export const authoredDate: Migration = {
  async up(context) {
    for (const entity of ['commits', 'pull_request_commits']) {
      await context.renameColumn(context.toolTableName(entity), 'authored_at', 'authored_date');
    }
  },
};
