import { describe, expect, it } from 'vitest';
import { JqlError, parseJql } from './jql.js';
import { instantOfWallTime, jiraTimestamp } from './zoned-clock.js';

// The fake reads JQL the way Jira does; these pin it down independently of the connector.
describe('the fake Jira reading JQL dates in the user zone', () => {
  it('reads a wall time in the zone, to the minute', () => {
    expect(parseJql('updated >= "2026/01/15 09:30" ORDER BY updated ASC', 'Europe/Berlin')).toEqual({
      updatedFrom: Date.parse('2026-01-15T08:30:00Z'),
      orderBy: { field: 'updated', descending: false },
    });
    expect(parseJql("updated >= '2026-07-01'", 'America/New_York').updatedFrom).toBe(
      Date.parse('2026-07-01T04:00:00Z'),
    );
    expect(parseJql('', 'UTC')).toEqual({ orderBy: { field: 'key', descending: false } });
  });

  it('takes the instant after the spring gap, and the earlier of the autumn repeated hour', () => {
    const wall = (month: number, day: number, hour: number, minute: number) => ({
      year: 2026,
      month,
      day,
      hour,
      minute,
    });
    // Berlin skips 02:00–03:00 on 29 March 2026 and repeats 02:00–03:00 on 25 October.
    expect(new Date(instantOfWallTime(wall(3, 29, 2, 30), 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(new Date(instantOfWallTime(wall(3, 29, 3, 0), 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(new Date(instantOfWallTime(wall(10, 25, 2, 30), 'Europe/Berlin')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('writes timestamps in the zone, as Jira does', () => {
    expect(jiraTimestamp(Date.parse('2026-03-29T01:00:30.250Z'), 'Europe/Berlin')).toBe('2026-03-29T03:00:30.250+0200');
    expect(jiraTimestamp(Date.parse('2026-01-01T12:00:00Z'), 'America/New_York')).toBe('2026-01-01T07:00:00.000-0500');
  });

  it('refuses what it does not understand, as Jira answers a bad query', () => {
    expect(() => parseJql('updated >= "2026/01/15 09:30:15"', 'UTC')).toThrow(JqlError);
    expect(() => parseJql('project = CORE', 'UTC')).toThrow(/does not understand/);
    expect(() => parseJql('ORDER BY rank', 'UTC')).toThrow(/Not able to sort/);
  });
});
