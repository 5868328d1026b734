import { describe, expect, it } from 'vitest';
import { headerValue, readRateLimit, retryAfterMs } from './rate-limit-headers.js';

describe('rate-limit headers', () => {
  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs({ 'retry-after': '7' })).toBe(7000);
    expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });

  it('reads the IETF fields: RateLimit-Remaining with a reset in seconds from now', () => {
    expect(readRateLimit({ 'ratelimit-remaining': '5', 'ratelimit-reset': '30' }, 1000)).toEqual({
      remaining: 5,
      resetAt: 31_000,
    });
    expect(readRateLimit({ 'ratelimit-remaining': 'many' }, 1000)).toEqual({
      remaining: undefined,
      resetAt: undefined,
    });
  });

  it('takes a reset too far away to be a delay as the Unix time GitLab sends', () => {
    expect(readRateLimit({ 'ratelimit-remaining': '0', 'ratelimit-reset': '1609844400' }, 1000)).toEqual({
      remaining: 0,
      resetAt: 1_609_844_400_000,
    });
  });

  it('reads the structured RateLimit field of the later drafts, the tightest policy first', () => {
    expect(readRateLimit({ ratelimit: '"default";r=50;t=30' }, 1000)).toEqual({ remaining: 50, resetAt: 31_000 });
    expect(readRateLimit({ ratelimit: '"hour";r=900;t=3000, "burst";r=0;t=2' }, 1000)).toEqual({
      remaining: 0,
      resetAt: 3000,
    });
    expect(readRateLimit({ ratelimit: '"day";r=7' }, 1000)).toEqual({ remaining: 7, resetAt: undefined });
  });

  it('leaves headers of one provider alone (GitHub’s X-RateLimit-* are its connector’s to read)', () => {
    expect(readRateLimit({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' })).toEqual({
      remaining: undefined,
      resetAt: undefined,
    });
  });

  it('reads a header by name in any case, the first of repeated ones', () => {
    expect(headerValue({ 'retry-after': ['3', '4'] }, 'Retry-After')).toBe('3');
    expect(headerValue({}, 'retry-after')).toBeUndefined();
  });
});
