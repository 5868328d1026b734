import type { ColumnSpec } from '../domain/columns.js';
import { parseDateText } from './iso-date.js';
import { refuseIfLonger } from './value-too-long.js';

/*
 * The one way values cross between JavaScript and a database. A dialect describes only what its
 * driver disagrees on (`DriverValues`); `ValueCodec` turns that into the writer's per-column
 * converters (`column`), query parameters (`encode`) and the reading side (`decode`, the same
 * for every dialect: it also brings API payloads into their columns' types).
 */

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

/** How one dialect wants the kinds of values that drivers disagree on: all a dialect says about values. */
export interface DriverValues {
  /** What a boolean column binds for true and false. */
  booleans: readonly [truthy: unknown, falsy: unknown];
  /** A valid Date as the driver binds it. */
  datetime: (date: Date) => unknown;
  /** Last touch on text (PostgreSQL drops NUL characters). */
  text?: (text: string) => string;
}

/** The converter of one column for a dialect: zero values for missing non-nullable values, then the driver's form. */
function buildColumnConverter(spec: ColumnSpec, values: DriverValues): Converter {
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

/** A value's column kind judged from its JavaScript type, for a parameter without a declared column. */
function specOf(value: unknown): ColumnSpec | undefined {
  if (value instanceof Date) return DATETIME;
  if (typeof value === 'boolean') return BOOL;
  if (typeof value === 'bigint') return BIGINT;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON_SPEC;
  return undefined;
}

const DATETIME: ColumnSpec = { kind: 'datetime' };
const BOOL: ColumnSpec = { kind: 'bool' };
const BIGINT: ColumnSpec = { kind: 'bigint' };
const JSON_SPEC: ColumnSpec = { kind: 'json' };

/**
 * A dialect's values in both directions, built from its `DriverValues`:
 *
 *   const codec = new ValueCodec({ booleans: [1, 0], datetime: (date) => date.toISOString() });
 *   codec.column(column.bool())(undefined); // 0: a non-nullable column gets its zero value
 *   codec.encode(undefined, column.bool()); // null: a parameter is only converted
 *   codec.decode(1, column.bool()); // true
 */
export class ValueCodec {
  readonly #driver: DriverValues;
  readonly #parameters = new WeakMap<ColumnSpec, Converter>();

  constructor(driver: DriverValues) {
    this.#driver = driver;
  }

  /**
   * The converter of one column for writing rows: missing values (undefined, null) become the
   * column's zero value ('' / 0 / false) unless it is nullable, and a varchar value longer than
   * the column is refused. The writer builds one per column and table, once: it runs for every
   * value of every row.
   */
  column(spec: ColumnSpec): Converter {
    return buildColumnConverter(spec, this.#driver);
  }

  /**
   * A query parameter compared with (or set into) a column of `spec` (judged from the value's
   * type when undefined): converted as for writing, but a missing value stays NULL and no
   * length is checked (a longer value simply matches nothing).
   */
  encode(value: unknown, spec: ColumnSpec | undefined = specOf(value)): unknown {
    if (value === undefined) return null;
    if (spec === undefined) return value;
    let converter = this.#parameters.get(spec);
    if (!converter) {
      converter = buildColumnConverter(
        { kind: spec.kind === 'varchar' ? 'text' : spec.kind, nullable: true },
        this.#driver,
      );
      this.#parameters.set(spec, converter);
    }
    return converter(value);
  }

  /** A value read from the database (or an API payload) in the JavaScript type its column holds. */
  decode(value: unknown, spec: ColumnSpec | undefined): unknown {
    return toColumnValue(spec, value);
  }
}

/**
 * What a column holds for a missing value, as the writer stores it (`buildColumnConverter`): the
 * zero value ('', 0, false) of a non-nullable text, number or boolean column, so that convert
 * sees the value the lake will hold and `ToolRow` can type the column without `| null`; NULL for
 * a nullable column, a key, a datetime and JSON, which have no zero value.
 */
function missingValue(spec: ColumnSpec): unknown {
  // A key has no default: a missing one stays NULL so that the checks of extracted rows and of
  // `replaceRows` owners refuse it, rather than filing the record under '' or 0.
  if (spec.nullable || spec.primaryKey) return null;
  switch (spec.kind) {
    case 'bigint':
    case 'float':
      return 0;
    case 'bool':
      return false;
    case 'varchar':
    case 'text':
      return '';
    default:
      return null;
  }
}

/**
 * Brings a value into the JavaScript type its column holds, whether it came from an API
 * payload (strings for dates, numbers as strings) or from a database (0/1 for booleans,
 * text for SQLite dates, JSON text). Convert sees the same types either way.
 */
export function toColumnValue(spec: ColumnSpec | undefined, value: unknown): unknown {
  if (spec === undefined) return value ?? null;
  if (value === undefined || value === null) return missingValue(spec);
  switch (spec.kind) {
    case 'datetime':
      return toDate(value);
    case 'bool':
      return typeof value === 'string' ? value === 'true' || value === '1' : Boolean(value);
    case 'bigint': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? Math.trunc(number) : missingValue(spec);
    }
    case 'float': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? number : missingValue(spec);
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
      return textOf(value);
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
