import { createHash } from 'node:crypto';
import type { ApiRequest } from '../http/api-request.js';

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, entry]) => [name, sorted(entry)]),
  );
}

/**
 * What identifies a query: its method, path, search parameters (the cursor's bound among
 * them) and body. A saved page position (an offset, a page number) means something only for
 * the query it came from; a resumed run compares fingerprints before using one.
 */
export function queryFingerprint(request: ApiRequest): string {
  const identity = sorted({
    method: request.method ?? 'GET',
    path: request.path,
    searchParams: request.searchParams ?? {},
    json: request.json,
  });
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}
