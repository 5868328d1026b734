import { type ResponseContext, type ResponseVerdict, retryAfterMs } from '@lake/sdk';

/** The wait on a 429 that says neither when to come back nor when the quota resets. */
export const BARE_LIMIT_WAIT_MS = 60_000;

/**
 * GitLab's rate limits (docs.gitlab.com/ee/administration/settings/user_and_ip_rate_limits):
 * 429 with `Retry-After` and `RateLimit-*` headers.
 * - A request of a named budget (the pipelines API) that meets a 429 holds back only that
 *   budget: the other endpoints go on.
 * - Elsewhere a spent quota (`RateLimit-Remaining: 0`) rests the token until `RateLimit-Reset`,
 *   and `Retry-After` alone holds back the whole budget (the SDK's standard rules).
 * - A 429 with neither waits a minute, doubling while the limit persists (GitLab's documented
 *   window is a minute).
 */
export function classifyGitlabResponse(response: ResponseContext): ResponseVerdict | undefined {
  if (response.status !== 429) return undefined;
  const after = retryAfterMs(response.headers, response.now);
  const { remaining, resetAt } = response.quota;
  const known = after ?? (remaining === 0 && resetAt !== undefined ? Math.max(0, resetAt - response.now) : undefined);
  const wait = known ?? BARE_LIMIT_WAIT_MS * 2 ** Math.min(response.rateLimitHits, 2);
  if (response.request.budget !== undefined) {
    return { kind: 'rate-limited', scope: 'endpoint', waitUntil: response.now + wait };
  }
  if (known !== undefined) return undefined;
  return { kind: 'rate-limited', scope: 'budget', waitUntil: response.now + wait };
}
