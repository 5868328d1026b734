import { LakeError } from '../errors/lake-error.js';

/** How finely a bound is written: APIs that take minutes (Jira's JQL) get the minute it falls in. */
export type TimePrecision = 'second' | 'minute';

/**
 * How a bound is written for the server: `iso` (UTC, `2026-03-29T01:59:00Z`), `epoch-seconds`,
 * `epoch-milliseconds`, or a pattern of `yyyy MM dd HH mm ss` written in the time zone
 * (`yyyy-MM-dd HH:mm` for JQL).
 */
export type TimeFormat = 'iso' | 'epoch-seconds' | 'epoch-milliseconds' | (string & {});

export interface RenderTimeOptions {
  /** IANA zone the server reads local times in (default UTC). Only patterns are written in it. */
  timeZone?: string;
  precision?: TimePrecision;
  format?: TimeFormat;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new LakeError('CONNECTOR_INVALID', `cursor.timeZone "${timeZone}" is not an IANA time zone`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at an instant (whole seconds). */
export function wallTimeAt(instant: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** A wall time read as if it were UTC: comparable, and the instant it means is this minus the zone's offset. */
function naiveMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/**
 * The latest instant a wall time can mean in a zone: after the clocks go back, an hour of wall
 * times happens twice, and a server may read it as the second one.
 */
function latestMeaning(wall: WallTime, timeZone: string): number {
  const naive = naiveMs(wall);
  let latest = Number.NEGATIVE_INFINITY;
  // Offsets change at most twice a year: those around the wall time are all it can be read with.
  for (const probe of [naive - 86_400_000, naive, naive + 86_400_000]) {
    const candidate = naive - (naiveMs(wallTimeAt(probe, timeZone)) - Math.floor(probe / 1000) * 1000);
    if (naiveMs(wallTimeAt(candidate, timeZone)) === naive) latest = Math.max(latest, candidate);
  }
  return latest;
}

function floorWall(wall: WallTime, precision: TimePrecision): WallTime {
  return precision === 'minute' ? { ...wall, second: 0 } : wall;
}

/**
 * The wall time to send for a lower bound, in `timeZone` at `precision`: never later than
 * `instant` however the server reads it. Flooring in the zone keeps it at or before the
 * instant; when the floored time falls in the hour the clocks repeat, it steps back before
 * that hour, so that a server reading the later of the two meanings misses nothing.
 */
export function lowerBoundWallTime(instant: number, timeZone: string, precision: TimePrecision): WallTime {
  let probe = instant;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const wall = floorWall(wallTimeAt(probe, timeZone), precision);
    const latest = latestMeaning(wall, timeZone);
    if (latest <= instant) return wall;
    probe -= latest - instant;
  }
  throw new LakeError('CONNECTOR_INVALID', `cannot write ${new Date(instant).toISOString()} in ${timeZone}`);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function applyPattern(pattern: string, wall: WallTime): string {
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => {
    if (token === 'yyyy') return pad(wall.year, 4);
    if (token === 'MM') return pad(wall.month);
    if (token === 'dd') return pad(wall.day);
    if (token === 'HH') return pad(wall.hour);
    if (token === 'mm') return pad(wall.minute);
    return pad(wall.second);
  });
}

/**
 * A lower bound (an instant, epoch milliseconds) as the server takes it: floored to the
 * precision in the zone, never later than the instant. `iso` and epoch formats are UTC.
 */
export function renderLowerBound(instant: number, options: RenderTimeOptions = {}): string {
  const precision = options.precision ?? 'second';
  const unit = precision === 'minute' ? 60_000 : 1000;
  const utcFloor = Math.floor(instant / unit) * unit;
  const format = options.format ?? 'iso';
  if (format === 'iso') return new Date(utcFloor).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (format === 'epoch-seconds') return String(Math.floor(utcFloor / 1000));
  if (format === 'epoch-milliseconds') return String(utcFloor);
  return applyPattern(format, lowerBoundWallTime(instant, options.timeZone ?? 'UTC', precision));
}
