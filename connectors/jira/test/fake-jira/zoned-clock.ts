/**
 * Wall-clock times in an IANA zone, as the fake Jira reads JQL dates and writes timestamps.
 * Written from the zone's offsets (`Intl.DateTimeFormat`), independently of the SDK.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: number, zone: string): Record<string, number> {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** The zone's offset from UTC at an instant, in minutes (Berlin in summer: 120). */
export function offsetMinutes(instant: number, zone: string): number {
  const parts = partsIn(instant, zone);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall time names in a zone, as Jira reads a JQL date: in the autumn's repeated
 * hour the earlier of the two, in the spring's gap the instant after it.
 */
export function instantOfWallTime(
  wall: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const candidates = [-14, -12, -10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10, 12, 14]
    .map((hours) => naive - offsetMinutes(naive + hours * 3_600_000, zone) * 60_000)
    .filter((instant) => {
      const parts = partsIn(instant, zone);
      return parts.hour === wall.hour && parts.minute === wall.minute && parts.day === wall.day;
    });
  if (candidates.length > 0) return Math.min(...candidates);
  // In the spring gap the wall time never happens; Jira takes the first instant after it.
  return naive - offsetMinutes(naive - 3 * 3_600_000, zone) * 60_000;
}

/** Jira's timestamp form, in the user's zone: `2026-03-29T03:00:30.000+0200`. */
export function jiraTimestamp(instant: number, zone: string): string {
  const offset = offsetMinutes(instant, zone);
  const local = new Date(instant + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  return `${local}${sign}${hours}${minutes}`;
}
