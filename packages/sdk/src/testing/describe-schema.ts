import type { TableDescription } from '../store/schema-description.js';
import type { Store } from '../store/store.js';

export interface SchemaDescription {
  /** Every table of the database, sorted by name. */
  tables: TableDescription[];
}

/**
 * The schema of a Lake database as the database itself reports it: tables; columns with their
 * types and nullability, in table order; primary keys; indexes with their columns and
 * uniqueness. Two databases of one dialect that went through the same migrations compare
 * equal (`expect(await describeSchema(resumed)).toEqual(await describeSchema(clean))`),
 * however often the migrations were interrupted on the way.
 */
export async function describeSchema(store: Store): Promise<SchemaDescription> {
  const tables: TableDescription[] = [];
  for (const name of await store.dialect.introspector.listTables(store.db)) {
    const table = await store.dialect.introspector.describeTable(store.db, name);
    if (table) tables.push(table);
  }
  return { tables };
}
