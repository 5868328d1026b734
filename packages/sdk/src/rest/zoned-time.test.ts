import { describe, expect, it } from 'vitest';
import { LakeError } from '../errors/lake-error.js';
import { boundParams, compileCursor } from './rest-cursor.js';
import { renderLowerBound } from './zoned-time.js';

const at = (iso: string) => Date.parse(iso);
const jql = { format: 'yyyy-MM-dd HH:mm', timeZone: 'Europe/Berlin', precision: 'minute' } as const;

describe('lower bounds written in a time zone', () => {
  it('floors to the minute in the zone on both sides of the spring-forward gap', () => {
    // Berlin skips 02:00–02:59 on 2026-03-29 (01:00Z): 01:59 CET is followed by 03:00 CEST.
    expect(renderLowerBound(at('2026-03-29T00:59:30Z'), jql)).toBe('2026-03-29 01:59');
    expect(renderLowerBound(at('2026-03-29T01:00:00Z'), jql)).toBe('2026-03-29 03:00');
    expect(renderLowerBound(at('2026-03-29T01:02:59.999Z'), jql)).toBe('2026-03-29 03:02');
  });

  it('never writes a repeated wall time that a server could read as the later of its two meanings', () => {
    // Berlin repeats 02:00–02:59 on 2026-10-25: first as CEST (00:xxZ), then as CET (01:xxZ).
    const firstPass = renderLowerBound(at('2026-10-25T00:30:20Z'), jql);
    expect(firstPass).toBe('2026-10-25 01:30');
    // The second 02:30 is the latest meaning of "02:30": it is safe to write.
    expect(renderLowerBound(at('2026-10-25T01:30:20Z'), jql)).toBe('2026-10-25 02:30');
    // An unambiguous time is written as it is.
    expect(renderLowerBound(at('2026-10-25T02:30:20Z'), jql)).toBe('2026-10-25 03:30');
  });

  it('writes UTC formats at the precision asked for', () => {
    const instant = at('2026-03-29T01:02:59.999Z');
    expect(renderLowerBound(instant)).toBe('2026-03-29T01:02:59Z');
    expect(renderLowerBound(instant, { precision: 'minute' })).toBe('2026-03-29T01:02:00Z');
    expect(renderLowerBound(instant, { format: 'epoch-seconds' })).toBe(String(Math.floor(instant / 1000)));
    expect(renderLowerBound(instant, { format: 'epoch-milliseconds', precision: 'minute' })).toBe(
      String(at('2026-03-29T01:02:00Z')),
    );
  });

  it('handles zones whose offset is not whole hours', () => {
    expect(renderLowerBound(at('2026-01-01T00:00:45Z'), { ...jql, timeZone: 'Asia/Kolkata' })).toBe('2026-01-01 05:30');
    expect(renderLowerBound(at('2026-01-01T00:00:45Z'), { ...jql, timeZone: 'Asia/Kathmandu' })).toBe(
      '2026-01-01 05:45',
    );
  });

  it('names the field when the zone is not an IANA zone', () => {
    expect(() => renderLowerBound(0, { ...jql, timeZone: 'Mars/Olympus' })).toThrow(/cursor\.timeZone "Mars\/Olympus"/);
  });
});

describe('cursor bounds', () => {
  const context = { scope: { project: 'LAKE' } } as never;

  it('takes the lookback off the cursor, then floors in the zone (Jira JQL across the DST change)', async () => {
    const cursor = compileCursor(
      {
        field: '/fields/updated',
        lookback: '1m',
        // JQL takes minutes in the user's zone (a function of the context may look it up).
        format: 'yyyy-MM-dd HH:mm',
        timeZone: 'Europe/Berlin',
        precision: 'minute',
        param: (bound, context) => ({
          jql: `project = ${(context.scope as { project: string }).project} AND updated >= "${bound}"`,
        }),
      },
      'issues',
    );
    // 03:00:30 CEST less a minute is 01:59:30 CET.
    expect(await boundParams(cursor, at('2026-03-29T01:00:30Z'), context)).toEqual({
      jql: 'project = LAKE AND updated >= "2026-03-29 01:59"',
    });
  });

  it('asks the zone of the context when it is a function', async () => {
    const cursor = compileCursor(
      { field: '/updated', param: 'since', ...jql, timeZone: async () => 'America/New_York' },
      'issues',
    );
    expect(await boundParams(cursor, at('2026-03-08T07:00:00Z'), context)).toEqual({ since: '2026-03-08 03:00' });
  });

  it('rejects a lookback that is not a duration, naming the field', () => {
    const error = (() => {
      try {
        compileCursor({ field: '/updated', param: 'since', lookback: '5 minutes' as never }, 'issues');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LakeError);
    expect((error as LakeError).message).toMatch(/stream "issues": cursor\.lookback must be a duration/);
  });
});
