/** How the API client retries. Every field has a default fit for public SaaS APIs. */
export interface RetryPolicy {
  /** Retries after the first attempt for network errors, timeouts, 408, 429 and 5xx. Default 5. */
  limit: number;
  /** First backoff step; doubles each retry, with full jitter. Default 500 ms. */
  baseDelayMs: number;
  /** Longest single backoff. Default 30 s. */
  maxDelayMs: number;
  /** Longest wait, over one request, for rate limits to reset (Retry-After, a quota's reset) before giving up. Default 1 hour. */
  maxRateLimitWaitMs: number;
  /** Statuses retried with backoff. Default 408, 429, 500, 502, 503, 504. */
  statusCodes: readonly number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 60 * 60_000,
  statusCodes: [408, 429, 500, 502, 503, 504],
};

/** Exponential backoff with full jitter: a random delay in [0, min(max, base · 2^retry)]. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(random() * ceiling);
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
