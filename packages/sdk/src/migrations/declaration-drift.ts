import type { Connector } from '../contract/define-connector.js';
import type { ToolTable } from '../contract/tool-table.js';
import type { ColumnDescription, TableDescription } from '../store/schema-description.js';
import type { Store } from '../store/store.js';
import { CONNECTION_ID_COLUMN, createTable } from './table-ddl.js';

/**
 * How the tool tables a connector's migrations made differ from the tables it declares with
 * `defineToolTable`, one line per difference, naming the table and column: a column declared
 * and not migrated or the reverse, another type, other nullability, another primary key, an
 * index declared and not made. An empty list means they agree.
 *
 * Columns are declared twice (the declaration and the first migration), and a mismatch shows
 * only when a sync writes a row. Rather than map each dialect's type names back to column
 * kinds, the declaration is compiled by the SDK's own DDL into a scratch table beside the
 * migrated one, and both are read back from the database: "type" is what this dialect made of
 * each. Run it on a lake the connector's migrations have just migrated (the conformance suite does).
 */
export async function toolTableDrift(store: Store, connector: Connector): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const stream of connector.orderedStreams) {
    for (const table of stream.tables) {
      if (seen.has(table.entity)) continue;
      seen.add(table.entity);
      problems.push(...(await oneTableDrift(store, `_tool_${connector.name}_${table.entity}`, table)));
    }
  }
  return problems;
}

async function oneTableDrift(store: Store, name: string, table: ToolTable): Promise<string[]> {
  const migrated = await store.dialect.introspector.describeTable(store.db, name);
  if (!migrated) return [`${name}: declared, but no migration creates it`];
  const scratch = '_lake_declared_tool_table';
  await store.db.schema.dropTable(scratch).ifExists().execute();
  try {
    await createTable(store.db, store.dialect, scratch, { ...CONNECTION_ID_COLUMN, ...table.databaseColumns }, true);
    const declared = await store.dialect.introspector.describeTable(store.db, scratch);
    return compareTables(name, declared as TableDescription, migrated);
  } finally {
    await store.db.schema.dropTable(scratch).ifExists().execute();
  }
}

/** The differences between a table as declared and as migrated, named after the migrated table. */
export function compareTables(name: string, declared: TableDescription, migrated: TableDescription): string[] {
  const problems: string[] = [];
  const migratedColumns = new Map(migrated.columns.map((column) => [column.name, column]));
  const declaredNames = new Set(declared.columns.map((column) => column.name));
  for (const column of declared.columns) {
    const other = migratedColumns.get(column.name);
    if (!other) problems.push(`${name}.${column.name}: declared, but no migration creates it`);
    else problems.push(...columnDrift(`${name}.${column.name}`, column, other));
  }
  for (const column of migrated.columns) {
    if (!declaredNames.has(column.name)) problems.push(`${name}.${column.name}: migrated, but not declared`);
  }
  const keyOf = (description: TableDescription) => description.primaryKey.join(', ');
  if (keyOf(declared) !== keyOf(migrated)) {
    problems.push(`${name}: primary key declared (${keyOf(declared)}), migrated (${keyOf(migrated)})`);
  }
  const migratedIndexes = new Set(migrated.indexes.map((index) => index.columns.join(', ')));
  for (const index of declared.indexes) {
    const columns = index.columns.join(', ');
    if (!migratedIndexes.has(columns)) problems.push(`${name}: index on (${columns}) declared, but not migrated`);
  }
  return problems;
}

function columnDrift(where: string, declared: ColumnDescription, migrated: ColumnDescription): string[] {
  const problems: string[] = [];
  if (declared.type !== migrated.type) {
    problems.push(`${where}: declared ${declared.type}, migrated ${migrated.type}`);
  }
  if (declared.nullable !== migrated.nullable) {
    const say = (nullable: boolean) => (nullable ? 'nullable' : 'not null');
    problems.push(`${where}: declared ${say(declared.nullable)}, migrated ${say(migrated.nullable)}`);
  }
  return problems;
}
