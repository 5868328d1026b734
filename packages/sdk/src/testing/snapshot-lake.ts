import { DOMAIN_TABLES } from '../domain/domain-schema.js';
import type { Store } from '../store/store.js';

/** Columns that differ between two equal syncs (ids assigned by sequences, write times). */
const VOLATILE = new Set(['created_at', 'updated_at', '_raw_data_id']);
/**
 * Raw columns that legitimately differ: the row id, and the request URL, which depends on
 * where collection resumed (`since=`, page numbers).
 */
const VOLATILE_RAW = new Set(['id', 'url']);

export interface LakeSnapshot {
  /** Table name → its rows as sorted JSON strings, volatile columns removed. */
  tables: Record<string, string[]>;
}

/**
 * Everything one connector wrote — raw, tool and domain rows — in a form two databases can be
 * compared by (`expect(snapshotA).toEqual(snapshotB)`): raw ids, request URLs and write times removed, rows
 * sorted. Used to prove that an interrupted-then-resumed sync equals an uninterrupted one.
 */
export async function snapshotLake(store: Store, connector: string): Promise<LakeSnapshot> {
  const existing = await store.db.introspection.getTables();
  const names = existing
    .map((table) => table.name)
    .filter(
      (name) =>
        name.startsWith(`_raw_${connector}_`) ||
        name.startsWith(`_tool_${connector}_`) ||
        Object.hasOwn(DOMAIN_TABLES, name),
    )
    .sort();
  const tables: Record<string, string[]> = {};
  for (const name of names) {
    const rows = (await store.db.selectFrom(name).selectAll().execute()) as Record<string, unknown>[];
    const isRaw = name.startsWith('_raw_');
    tables[name] = rows
      .map((row) => {
        const kept: Record<string, unknown> = {};
        for (const column of Object.keys(row).sort()) {
          if (VOLATILE.has(column) || (isRaw && VOLATILE_RAW.has(column))) continue;
          const value = row[column];
          kept[column] = value instanceof Date ? value.toISOString() : value;
        }
        return JSON.stringify(kept);
      })
      .sort();
  }
  return { tables };
}

/** Row counts per table of a snapshot (handy in assertion messages). */
export function countRows(snapshot: LakeSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.tables).map(([name, rows]) => [name, rows.length]));
}
