import { describe, expect, it } from 'vitest';
import { isLoopbackHost, requestToken, tokenMatches } from './ui-token.js';

describe('the console token', () => {
  it('knows loopback addresses from the others', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', 'localhost'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'lake.internal'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('matches only the exact token, whatever the lengths', () => {
    expect(tokenMatches('s3cret-token', 's3cret-token')).toBe(true);
    expect(tokenMatches('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(tokenMatches('s3cret-token', 's3cret')).toBe(false);
    expect(tokenMatches('s3cret-token', 's3cret-token-and-more')).toBe(false);
    expect(tokenMatches('s3cret-token', '')).toBe(false);
    expect(tokenMatches('s3cret-token', undefined)).toBe(false);
  });

  it('reads the token from a Bearer header first, then from ?token=', () => {
    const url = new URL('http://x/api/live/events?token=from-query');
    expect(requestToken('Bearer from-header', url)).toBe('from-header');
    expect(requestToken('bearer from-header', url)).toBe('from-header');
    expect(requestToken(undefined, url)).toBe('from-query');
    expect(requestToken('Basic abc', new URL('http://x/api/runs'))).toBeUndefined();
  });
});
