import { expect, it } from 'vitest';
import { queryFingerprint } from './query-fingerprint.js';

it('a query is known by its path, parameters and body, not by the order its parameters were written in', () => {
  const query = queryFingerprint({ path: '/search', searchParams: { jql: 'project = A', maxResults: 50 } });
  expect(queryFingerprint({ path: '/search', searchParams: { maxResults: 50, jql: 'project = A' } })).toBe(query);
  expect(
    queryFingerprint({ path: '/search', searchParams: { jql: 'project = A', maxResults: 50, x: undefined } }),
  ).toBe(query);
  expect(queryFingerprint({ path: '/search', searchParams: { jql: 'project = B', maxResults: 50 } })).not.toBe(query);
  expect(queryFingerprint({ path: '/other', searchParams: { jql: 'project = A', maxResults: 50 } })).not.toBe(query);
  expect(
    queryFingerprint({ path: '/search', method: 'POST', searchParams: { jql: 'project = A', maxResults: 50 } }),
  ).not.toBe(query);
  expect(queryFingerprint({ path: '/search', json: { a: 1, b: 2 } })).toBe(
    queryFingerprint({ path: '/search', json: { b: 2, a: 1 } }),
  );
});
