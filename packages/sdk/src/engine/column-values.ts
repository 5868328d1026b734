import type { ColumnSpec } from '../domain/columns.js';
import { toDate } from '../store/value-conversion.js';

/**
 * Brings a value into the JavaScript type its column holds, whether it came from an API
 * payload (strings for dates, numbers as strings) or from a database (0/1 for booleans,
 * text for SQLite dates, JSON text). Convert sees the same types either way.
 */
export function toColumnValue(spec: ColumnSpec | undefined, value: unknown): unknown {
  if (value === undefined || value === null || spec === undefined) return value ?? null;
  switch (spec.kind) {
    case 'datetime':
      return toDate(value);
    case 'bool':
      return typeof value === 'string' ? value === 'true' || value === '1' : Boolean(value);
    case 'bigint': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? Math.trunc(number) : null;
    }
    case 'float': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? number : null;
    }
    case 'json':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value);
        } catch {
          return value;
        }
      }
      return value;
    default:
      if (typeof value === 'string') return value;
      if (value instanceof Date) return value.toISOString();
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** Applies `toColumnValue` to every declared column of a row (undeclared columns pass through). */
export function normalizeRow(
  columns: Readonly<Record<string, ColumnSpec>>,
  row: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) result[name] = toColumnValue(columns[name], value);
  return result;
}
