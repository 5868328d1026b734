import {
  headerValue,
  type RateLimitState,
  type ResponseContext,
  type ResponseHeaders,
  type ResponseVerdict,
  retryAfterMs,
} from '@lake/sdk';

/** GitHub names its secondary limits in the message (older servers say "abuse detection"). */
const SECONDARY_LIMIT = /secondary rate limit|abuse/i;

/** The wait GitHub asks for on a secondary limit that comes without `Retry-After`: at least a minute. */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;

export interface GithubRateLimitOptions {
  /**
   * The wait on a secondary limit without `Retry-After`, doubled for each further limit the same
   * request meets (at most four times this). Default one minute, as GitHub's documentation asks.
   */
  secondaryWaitMs?: number;
}

/**
 * A token's hourly quota, from GitHub's `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix
 * seconds); undefined when the response carries neither (the client then reads the IETF fields).
 */
export function readGithubQuota(headers: ResponseHeaders): RateLimitState | undefined {
  const number = (name: string) => {
    const value = headerValue(headers, name);
    return value === undefined || value.trim() === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
  };
  const remaining = number('x-ratelimit-remaining');
  const reset = number('x-ratelimit-reset');
  if (remaining === undefined && reset === undefined) return undefined;
  return { remaining, resetAt: reset === undefined ? undefined : reset * 1000 };
}

/**
 * GitHub's rate limits, which it answers with 403 as often as 429
 * (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * - primary: `X-RateLimit-Remaining: 0` — that token rests until `X-RateLimit-Reset`, and a pool
 *   goes on with its other tokens;
 * - secondary (its message says so, or it sends `Retry-After`): limits on bursts and concurrency
 *   that count every token of the user, so every request of the client waits, for `Retry-After`,
 *   else a minute, doubling while the limit persists.
 * Any other 403 is left to the standard rules (a token without access: `HTTP_AUTH`).
 */
export function classifyGithubResponse(
  response: ResponseContext,
  options: GithubRateLimitOptions = {},
): ResponseVerdict | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined;
  const after = retryAfterMs(response.headers, response.now);
  const secondary = SECONDARY_LIMIT.test(response.body);
  const { remaining, resetAt } = response.quota;
  if (!secondary && remaining === 0 && resetAt !== undefined) {
    return { kind: 'rate-limited', scope: 'credential', waitUntil: Math.max(resetAt, response.now + (after ?? 0)) };
  }
  if (!secondary && after === undefined) return undefined;
  const wait = after ?? (options.secondaryWaitMs ?? SECONDARY_LIMIT_WAIT_MS) * 2 ** Math.min(response.rateLimitHits, 2);
  return { kind: 'rate-limited', scope: 'budget', waitUntil: response.now + wait };
}
