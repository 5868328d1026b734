import { expect } from 'vitest';
// The fake-API kit lives in @lake/testkit and needs nothing from the SDK, so the SDK's own
// tests import its source directly (a package dependency would be a cycle).
import type { FakeApi, FakeResponse } from '../../../../testkit/src/fake-api/fake-api.js';
import { ApiError } from '../api-error.js';

/** A retry policy that backs off in milliseconds. */
export const fast = { baseDelayMs: 5, maxDelayMs: 20 };

/**
 * How long a test waits for something that happens on loopback within milliseconds on a quiet
 * machine: only a broken client gets near it, a busy machine does not.
 */
export const eventually = { timeout: 30_000, interval: 2 };

/**
 * A route whose answers wait until the test releases them, so that what is in flight is decided
 * by the test, not by how fast the machine happens to be.
 */
export function holdAnswers(
  fakeApi: FakeApi,
  path: string,
  answer: () => FakeResponse = () => ({ body: {} }),
): { held: Array<() => void>; letAllThrough: () => void } {
  const held: Array<() => void> = [];
  let open = false;
  fakeApi.route(
    'GET',
    path,
    () =>
      new Promise((resolve) => {
        const respond = () => resolve(answer());
        if (open) respond();
        else held.push(respond);
      }),
  );
  return {
    held,
    letAllThrough() {
      open = true;
      for (const respond of held.splice(0)) respond();
    },
  };
}

/** The ApiError a request fails with (the test fails if it does not fail so). */
export async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/**
 * A per-token quota announced in the IETF RateLimit fields (`RateLimit-Remaining`, and
 * `RateLimit-Reset` in seconds from now), answered with 429 once spent: what GitLab and the
 * draft's other adopters send.
 */
export function ietfQuota(fakeApi: FakeApi, path: string, options: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; used: number }>();
  fakeApi.route('GET', path, (request) => {
    const now = Date.now();
    const key = request.token ?? 'anonymous';
    let window = windows.get(key);
    if (!window || now >= window.start + options.windowMs) {
      window = { start: now, used: 0 };
      windows.set(key, window);
    }
    const spent = window.used >= options.limit;
    if (!spent) window.used += 1;
    const headers = {
      'ratelimit-limit': options.limit,
      'ratelimit-remaining': options.limit - window.used,
      'ratelimit-reset': Math.ceil((window.start + options.windowMs - now) / 1000),
    };
    return spent ? { status: 429, headers, body: { message: 'Too Many Requests' } } : { headers, body: [] };
  });
  /** When the token's window ends (epoch ms), as the server counts it. */
  return { resetAt: (token: string) => windows.get(token)!.start + options.windowMs };
}
