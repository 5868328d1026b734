import type { ColumnSpec } from '../domain/columns.js';

/** Accepts a Date or a parseable date string; anything unparseable becomes null rather than garbage. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** Conversions every dialect shares; dialect files handle the rest (dates, booleans). */
export function toPortableValue(value: unknown, spec: ColumnSpec | undefined): unknown {
  if (value === undefined) return null;
  if (spec?.kind === 'json') return value === null ? null : JSON.stringify(value);
  if (typeof value === 'bigint') return Number(value);
  if (spec?.kind === 'bigint' && typeof value === 'string' && value !== '') return Number(value);
  if (spec?.kind === 'text' || spec?.kind === 'varchar') {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  }
  return value;
}
