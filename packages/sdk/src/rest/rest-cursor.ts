import type { ConnectorTypes, ScopeContext } from '../contract/context.js';
import { compilePointer } from '../engine/json-pointer.js';
import { LakeError } from '../errors/lake-error.js';
import { type Duration, durationMs } from './duration.js';
import { renderLowerBound, type TimeFormat, type TimePrecision } from './zoned-time.js';

type SearchParams = Record<string, string | number | boolean | undefined>;

/**
 * An incremental cursor: the newest value of `field` a completed run read, kept in state as a
 * UTC instant; the next run asks for everything from it, less `lookback`, written as the
 * server takes it.
 */
export interface RestCursor<Types extends ConnectorTypes> {
  /** JSON pointer to the record's change time (`/updated_at`): text the Date parser reads, or epoch seconds/ms. */
  field: string;
  /** How far before the cursor each run starts again (changes committed late, clock skew, ties). */
  lookback?: Duration;
  /**
   * How the bound is sent: a search parameter's name (`since`), or the parameters to add
   * (`(bound) => ({ jql: \`updated >= "${bound}"\` })`), perhaps after looking something up
   * (Jira: the board's filter the JQL names).
   */
  param: string | ((bound: string, context: ScopeContext<Types>) => SearchParams | Promise<SearchParams>);
  /** Default `iso` (UTC). A pattern (`yyyy-MM-dd HH:mm`) is written in `timeZone`. */
  format?: TimeFormat;
  /** IANA zone the server reads local times in (Jira: the user's zone), or how to find it. */
  timeZone?: string | ((context: ScopeContext<Types>) => string | Promise<string>);
  /** Default `second`; `minute` for APIs that take minutes. */
  precision?: TimePrecision;
  /** Where a first run starts (e.g. the scope's `timeAfter`); default: everything. */
  start?(context: ScopeContext<Types>): string | Date | undefined;
}

/** Epoch milliseconds of a cursor value, or undefined when it is not a time. */
export function instantOfValue(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value < 100_000_000_000 ? value * 1000 : value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** A cursor checked once: its pointer compiled, its lookback in milliseconds. */
export interface CompiledCursor<Types extends ConnectorTypes> {
  definition: RestCursor<Types>;
  read: (record: unknown) => number | undefined;
  lookbackMs: number;
}

export function compileCursor<Types extends ConnectorTypes>(
  cursor: RestCursor<Types>,
  stream: string,
): CompiledCursor<Types> {
  let read: (record: unknown) => unknown;
  try {
    read = compilePointer(cursor.field);
  } catch {
    throw new LakeError('CONNECTOR_INVALID', `stream "${stream}": cursor.field must be a JSON pointer ("/updated_at")`);
  }
  const lookbackMs = durationMs(cursor.lookback, `stream "${stream}": cursor.lookback`);
  return { definition: cursor, read: (record) => instantOfValue(read(record)), lookbackMs };
}

/** The search parameters that ask for everything changed since `from` (epoch ms), less the lookback. */
export async function boundParams<Types extends ConnectorTypes>(
  cursor: CompiledCursor<Types>,
  from: number,
  context: ScopeContext<Types>,
): Promise<SearchParams> {
  const { definition } = cursor;
  const timeZone = typeof definition.timeZone === 'function' ? await definition.timeZone(context) : definition.timeZone;
  const bound = renderLowerBound(from - cursor.lookbackMs, {
    format: definition.format,
    precision: definition.precision,
    ...(timeZone === undefined ? {} : { timeZone }),
  });
  return typeof definition.param === 'string' ? { [definition.param]: bound } : definition.param(bound, context);
}
