import type { FakeApi } from '@lake/testkit/fake-api';

/**
 * Everything GitHub throws at a long sync, in miniature: each token may make 40 requests per
 * 1.5 s window (the hourly quota), a burst of four 502s, a secondary rate limit (403 with
 * Retry-After), a reset connection, a truncated body, and a second token (`ghp_expiring`)
 * that stops working after 25 requests. The faults test and the bench's faults scenario use it.
 */
export function throwEverythingAt(api: FakeApi): void {
  api.rateLimit({ limit: 40, windowMs: 1500 });
  api.fault({ match: { path: /\/issues$/ }, after: 10, times: 4, kind: { type: 'status', status: 502 } });
  api.fault({
    match: { path: /\/issues$/ },
    after: 30,
    kind: { type: 'rate-limit', status: 403, retryAfterSeconds: 1 },
  });
  api.fault({ match: { path: /\/issues$/ }, after: 50, kind: { type: 'reset' } });
  api.fault({ match: { path: /\/issues$/ }, after: 70, kind: { type: 'truncate' } });
  let expiringUses = 0;
  api.requireToken((token) => token !== 'ghp_expiring' || ++expiringUses <= 25);
}
