import type { Store } from '@lake/sdk';
import { describeSchema as describeDatabase } from '@lake/sdk/testing';

/**
 * The database's schema (`describeSchema` of `@lake/sdk/testing`) as sorted text lines — one per
 * column, primary key and index — so that two schemas differ line by line in a failure message.
 */
export async function describeSchema(store: Store): Promise<string[]> {
  const lines: string[] = [];
  for (const table of (await describeDatabase(store)).tables) {
    for (const column of table.columns)
      lines.push(`${table.name}.${column.name} ${column.type}${column.nullable ? ' null' : ''}`);
    if (table.primaryKey.length > 0) lines.push(`${table.name} primary key (${table.primaryKey.join(', ')})`);
    for (const index of table.indexes)
      lines.push(`${table.name} index ${index.name} (${index.columns.join(', ')})${index.unique ? ' unique' : ''}`);
  }
  return lines.sort();
}
