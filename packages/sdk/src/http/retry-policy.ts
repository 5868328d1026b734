/** How the API client retries. Every field has a default fit for public SaaS APIs. */
export interface RetryPolicy {
  /** Retries after the first attempt for network errors, timeouts, 408, 429 and 5xx. Default 5. */
  limit: number;
  /** First backoff step; doubles each retry, with full jitter. Default 500 ms. */
  baseDelayMs: number;
  /** Longest single backoff. Default 30 s. */
  maxDelayMs: number;
  /** Longest wait for a rate limit to reset (Retry-After, X-RateLimit-Reset) before giving up. Default 1 hour. */
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

/** Network failures worth another try: the request may never have reached the server, or its answer was lost. */
export const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Exponential backoff with full jitter: a random delay in [0, min(max, base · 2^retry)]. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(random() * ceiling);
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = header(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RateLimitState {
  /** Requests left in the window, when the API says. */
  remaining: number | undefined;
  /** When the window resets (epoch ms), when the API says. */
  resetAt: number | undefined;
}

/**
 * Reads rate-limit headers: GitHub's `X-RateLimit-Remaining` / `X-RateLimit-Reset` (epoch
 * seconds), and the IETF draft's `RateLimit-Remaining` / `RateLimit-Reset` (seconds from now).
 */
export function readRateLimit(headers: Headers, now = Date.now()): RateLimitState {
  const remaining = header(headers, 'x-ratelimit-remaining') ?? header(headers, 'ratelimit-remaining');
  const githubReset = header(headers, 'x-ratelimit-reset');
  const ietfReset = header(headers, 'ratelimit-reset');
  let resetAt: number | undefined;
  if (githubReset !== undefined && Number.isFinite(Number(githubReset))) resetAt = Number(githubReset) * 1000;
  else if (ietfReset !== undefined && Number.isFinite(Number(ietfReset))) resetAt = now + Number(ietfReset) * 1000;
  return {
    remaining: remaining === undefined || !Number.isFinite(Number(remaining)) ? undefined : Number(remaining),
    resetAt,
  };
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
