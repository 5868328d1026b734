import { createHash } from 'node:crypto';
import type { Store } from '@lake/sdk';
import { type LakeSnapshot, snapshotLake } from '@lake/sdk/testing';

/** Which layers a comparison covers: raw tables legitimately differ when a server repeats itself. */
export type Layer = 'raw' | 'tool' | 'domain';

export interface TablePrint {
  rows: number;
  /** Sum of the rows' hashes modulo 2^64: equal multisets of rows, equal sums, whatever the order. */
  checksum: string;
}

/**
 * What a connector wrote, reduced to a row count and an order-independent checksum per table
 * (every column but write times, `_raw_data_id`, and a raw row's id and request URL). Two lakes
 * with equal prints hold the same rows; `differences` says where two prints part.
 */
export interface LakeFingerprint {
  tables: Record<string, TablePrint>;
  /** The rows behind the print, kept to explain a difference. */
  snapshot: LakeSnapshot;
}

export async function fingerprintLake(
  store: Store,
  connector: string,
  layers: readonly Layer[] = ['raw', 'tool', 'domain'],
): Promise<LakeFingerprint> {
  const full = await snapshotLake(store, connector);
  const snapshot: LakeSnapshot = { tables: {} };
  const tables: Record<string, TablePrint> = {};
  for (const [name, rows] of Object.entries(full.tables)) {
    if (!layers.includes(layerOf(name))) continue;
    snapshot.tables[name] = rows;
    let sum = 0n;
    for (const row of rows) sum = (sum + rowHash(row)) & 0xffff_ffff_ffff_ffffn;
    tables[name] = { rows: rows.length, checksum: sum.toString(16).padStart(16, '0') };
  }
  return { tables, snapshot };
}

function layerOf(table: string): Layer {
  if (table.startsWith('_raw_')) return 'raw';
  if (table.startsWith('_tool_')) return 'tool';
  return 'domain';
}

function rowHash(row: string): bigint {
  return createHash('sha256').update(row).digest().readBigUInt64BE(0);
}

/**
 * Where `actual` differs from `expected`, one line per table (counts, then a few rows only one
 * side has). Empty when the prints are equal. Tables empty on both sides are equal whether or
 * not they exist.
 */
export function differences(expected: LakeFingerprint, actual: LakeFingerprint, limit = 3): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])].sort();
  for (const name of names) {
    const left = expected.tables[name] ?? { rows: 0, checksum: '0'.padStart(16, '0') };
    const right = actual.tables[name] ?? { rows: 0, checksum: '0'.padStart(16, '0') };
    if (left.rows === right.rows && left.checksum === right.checksum) continue;
    const missing = multisetMinus(expected.snapshot.tables[name] ?? [], actual.snapshot.tables[name] ?? []);
    const extra = multisetMinus(actual.snapshot.tables[name] ?? [], expected.snapshot.tables[name] ?? []);
    lines.push(
      `${name}: ${right.rows} rows, expected ${left.rows}; ${missing.length} missing, ${extra.length} unexpected` +
        missing
          .slice(0, limit)
          .map((row) => `\n    missing:    ${shorten(row)}`)
          .join('') +
        extra
          .slice(0, limit)
          .map((row) => `\n    unexpected: ${shorten(row)}`)
          .join(''),
    );
  }
  return lines;
}

function multisetMinus(from: readonly string[], remove: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const row of remove) counts.set(row, (counts.get(row) ?? 0) + 1);
  const result: string[] = [];
  for (const row of from) {
    const left = counts.get(row) ?? 0;
    if (left > 0) counts.set(row, left - 1);
    else result.push(row);
  }
  return result;
}

function shorten(row: string): string {
  return row.length > 300 ? `${row.slice(0, 300)}…` : row;
}
