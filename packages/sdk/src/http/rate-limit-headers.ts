/** Response headers as got gives them: names in lower case, a repeated header as an array. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** One header's value (the first, when it was sent more than once), by its name in any case. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: ResponseHeaders, now = Date.now()): number | undefined {
  const value = headerValue(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What a response says about its credential's quota. */
export interface RateLimitState {
  /** Requests left in the window, when the API says. */
  remaining: number | undefined;
  /** When the window resets (epoch ms), when the API says. */
  resetAt: number | undefined;
}

/**
 * A reset this many seconds away is no delay but a Unix time: the IETF draft sends seconds
 * from now, GitLab sends `RateLimit-Reset` as a Unix time, and 10⁹ seconds (31 years) tells
 * them apart for any date after 2001.
 */
const UNIX_TIME_THRESHOLD_SECONDS = 1_000_000_000;

function resetTime(seconds: number, now: number): number {
  return seconds >= UNIX_TIME_THRESHOLD_SECONDS ? seconds * 1000 : now + seconds * 1000;
}

const finiteNumber = (value: string | undefined) =>
  value !== undefined && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;

/**
 * The quota in the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): the structured
 * `RateLimit: "policy";r=<remaining>;t=<seconds>` of drafts 07 and later (the most constrained
 * policy when several are listed), or the separate `RateLimit-Remaining` / `RateLimit-Reset` of
 * the earlier drafts, which GitLab sends. Providers with headers of their own (GitHub's
 * `X-RateLimit-*`) read them in their `readQuota` hook.
 */
export function readRateLimit(headers: ResponseHeaders, now = Date.now()): RateLimitState {
  const structured = headerValue(headers, 'ratelimit');
  if (structured !== undefined) {
    const policies = structured.split(',').map((item) => ({
      remaining: finiteNumber(/;\s*r=(\d+)/.exec(item)?.[1]),
      reset: finiteNumber(/;\s*t=(\d+)/.exec(item)?.[1]),
    }));
    const tightest = policies
      .filter((policy) => policy.remaining !== undefined)
      .sort((left, right) => left.remaining! - right.remaining!)[0];
    if (tightest)
      return {
        remaining: tightest.remaining,
        resetAt: tightest.reset === undefined ? undefined : resetTime(tightest.reset, now),
      };
  }
  const reset = finiteNumber(headerValue(headers, 'ratelimit-reset'));
  return {
    remaining: finiteNumber(headerValue(headers, 'ratelimit-remaining')),
    resetAt: reset === undefined ? undefined : resetTime(reset, now),
  };
}
