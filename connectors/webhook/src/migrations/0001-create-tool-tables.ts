import { column, key, type Migration } from '@lake/sdk';

/** The webhook connector's tool table as first released. */
export const createToolTables: Migration = {
  async up(context) {
    await context.createToolTable('connections', {
      scope_id: key(column.varchar(255)),
      name: column.varchar(),
    });
  },
};
