import type { ColumnSpec } from '../domain/columns.js';
import { parseDateText } from './iso-date.js';
import { refuseIfLonger } from './value-too-long.js';

/** Accepts a Date or a parseable date string; anything unparseable becomes null rather than garbage. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = typeof value === 'string' ? parseDateText(value) : new Date(value);
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

export type Converter = (value: unknown) => unknown;

/** Text columns: strings pass, objects become JSON, other values their string form. */
export function textConverter(fallback: string | null, clean: (text: string) => string = (text) => text): Converter {
  return (value) => {
    if (typeof value === 'string') return clean(value);
    if (value === undefined || value === null) return fallback;
    return clean(textOf(value));
  };
}

/**
 * varchar(n) columns: as text columns, and a value longer than n characters is refused with a
 * ValueTooLongError. The check costs one comparison per value (see `refuseIfLonger`).
 */
export function varcharConverter(
  fallback: string | null,
  length: number,
  clean: (text: string) => string = (text) => text,
): Converter {
  return (value) => {
    let text: string;
    if (typeof value === 'string') text = clean(value);
    else if (value === undefined || value === null) return fallback;
    else text = clean(textOf(value));
    if (text.length > length) refuseIfLonger(text, length);
    return text;
  };
}

/** The text a non-null value is stored as in a text or varchar column: dates as ISO text, objects as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Number columns: numbers pass, numeric strings and bigints convert, anything else is the fallback. */
export function numberConverter(fallback: number | null, integer: boolean): Converter {
  return (value) => {
    if (typeof value === 'number') return Number.isFinite(value) ? (integer ? Math.trunc(value) : value) : fallback;
    if (value === undefined || value === null || value === '') return fallback;
    const number = Number(value);
    return Number.isFinite(number) ? (integer ? Math.trunc(number) : number) : fallback;
  };
}

/** JSON columns: serialised, NULL when missing. */
export const jsonConverter: Converter = (value) =>
  value === undefined || value === null ? null : JSON.stringify(value);

/** Booleans from booleans, numbers and 'true'/'false' strings, as the driver wants them. */
export function booleanConverter(fallback: unknown, truthy: unknown, falsy: unknown): Converter {
  return (value) => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value === 'true' || value === '1' ? truthy : falsy;
    return value ? truthy : falsy;
  };
}

/**
 * Datetimes as the driver wants them (`toDriver` receives a valid Date); NULL when missing or
 * unparseable. The last Date converted is remembered: every row of a batch carries the same
 * `created_at`/`updated_at` instant, and formatting it once per batch instead of once per row
 * is a measurable share of a sync.
 */
export function datetimeConverter(toDriver: (date: Date) => unknown): Converter {
  let lastDate: Date | undefined;
  let lastTime = Number.NaN;
  let lastResult: unknown;
  return (value) => {
    if (value instanceof Date) {
      const time = value.getTime();
      if (Number.isNaN(time)) return null;
      if (value !== lastDate || time !== lastTime) {
        lastDate = value;
        lastTime = time;
        lastResult = toDriver(value);
      }
      return lastResult;
    }
    const date = toDate(value);
    return date ? toDriver(date) : null;
  };
}

/** How one dialect wants the kinds of values that drivers disagree on. */
export interface DriverValues {
  /** What a boolean column binds for true and false. */
  booleans: readonly [truthy: unknown, falsy: unknown];
  /** A valid Date as the driver binds it. */
  datetime: (date: Date) => unknown;
  /** Last touch on text (PostgreSQL drops NUL characters). */
  text?: (text: string) => string;
}

/** The converter of one column for a dialect: zero values for missing non-nullable values, then the driver's form. */
export function buildColumnConverter(spec: ColumnSpec, values: DriverValues): Converter {
  const nullable = Boolean(spec.nullable);
  switch (spec.kind) {
    case 'bigint':
      return numberConverter(nullable ? null : 0, true);
    case 'float':
      return numberConverter(nullable ? null : 0, false);
    case 'bool': {
      const [truthy, falsy] = values.booleans;
      return booleanConverter(nullable ? null : falsy, truthy, falsy);
    }
    case 'datetime':
      return datetimeConverter(values.datetime);
    case 'json':
      return jsonConverter;
    case 'varchar':
      return varcharConverter(nullable ? null : '', spec.length ?? 255, values.text);
    default:
      return textConverter(nullable ? null : '', values.text);
  }
}

/** `INSERT … ON CONFLICT (keys) DO UPDATE SET …` (SQLite and PostgreSQL share the syntax). */
export function onConflictClause(
  quote: (name: string) => string,
  keyColumns: string[],
  updateColumns: string[],
): string {
  const target = keyColumns.map(quote).join(', ');
  if (updateColumns.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`;
  const set = updateColumns.map((name) => `${quote(name)} = excluded.${quote(name)}`).join(', ');
  return ` ON CONFLICT (${target}) DO UPDATE SET ${set}`;
}
