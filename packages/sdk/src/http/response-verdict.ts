import type { LakeErrorCode } from '../errors/lake-error.js';
import type { ApiRequest } from './api-request.js';
import { type RateLimitState, type ResponseHeaders, retryAfterMs } from './rate-limit-headers.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * Who a rate limit holds back:
 * - `credential`: only the credential that hit it; a pool goes on with its other tokens (a spent quota).
 * - `budget`: every request of the client's shared budget, whatever its credential (GitHub's secondary limit).
 * - `endpoint`: the requests of the request's named budget (`ApiRequest.budget`), or of the
 *   shared budget when it has none (GitLab's per-endpoint limits).
 */
export type RateLimitScope = 'credential' | 'budget' | 'endpoint';

/**
 * What the client does with a response.
 * - `ok`: return it (its body parsed).
 * - `retry`: send it again after a backoff, or after `afterMs` (counted against the retry limit;
 *   only idempotent requests, unless `renew`). `renew` asks the `prepareRequest` hook for fresh
 *   headers first (Jenkins' crumb): the server refused the request before acting on it, so even
 *   a POST is resent.
 * - `rate-limited`: hold back `scope` until `waitUntil` (epoch ms), then send it again.
 * - `rejected`: the credential was refused (401): refresh it once if it can be, drop it from a
 *   pool, or fail with `HTTP_AUTH`.
 * - `fail`: throw an ApiError now, with `code` (by default the one the status maps to).
 */
export type ResponseVerdict =
  | { kind: 'ok' }
  | { kind: 'retry'; afterMs?: number; renew?: boolean }
  | { kind: 'rate-limited'; waitUntil: number; scope: RateLimitScope }
  | { kind: 'rejected' }
  | { kind: 'fail'; code?: LakeErrorCode };

/** A response as the rules see it, before its body is parsed. */
export interface ResponseContext {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The body as text. */
  readonly body: string;
  readonly request: ApiRequest;
  /** The quota the headers report for the credential (from `readQuota`, or the IETF fields). */
  readonly quota: RateLimitState;
  /** Rate-limit verdicts this request already had, for waits that grow with each one. */
  readonly rateLimitHits: number;
  /** When the response arrived (epoch ms). */
  readonly now: number;
}

const isSuccess = (status: number) => status >= 200 && status < 400;

/**
 * Standard HTTP semantics, for what the provider's `classifyResponse` leaves undecided:
 * - 2xx, 3xx and the request's `allowStatus` are answers; 401 rejects the credential;
 * - 429 with a spent quota (IETF RateLimit fields) rests the credential until the reset; 429
 *   with `Retry-After` holds back the whole budget that long; a bare 429 is retried with backoff;
 * - the policy's statuses (408, 5xx) are retried, after `Retry-After` when given (503);
 * - anything else fails.
 */
export function standardVerdict(response: ResponseContext, policy: RetryPolicy): ResponseVerdict {
  const { status, quota } = response;
  if (isSuccess(status) || response.request.allowStatus?.includes(status)) return { kind: 'ok' };
  if (status === 401) return { kind: 'rejected' };
  const after = retryAfterMs(response.headers, response.now);
  if (status === 429) {
    if (quota.remaining === 0 && quota.resetAt !== undefined)
      return {
        kind: 'rate-limited',
        scope: 'credential',
        waitUntil: Math.max(quota.resetAt, response.now + (after ?? 0)),
      };
    if (after !== undefined) return { kind: 'rate-limited', scope: 'budget', waitUntil: response.now + after };
  }
  if (policy.statusCodes.includes(status))
    return after === undefined ? { kind: 'retry' } : { kind: 'retry', afterMs: after };
  return { kind: 'fail' };
}

/** The error code a failed request gets from its last status (none: the network failed). */
export function errorCodeFor(status: number | undefined): LakeErrorCode {
  if (status === undefined) return 'HTTP_NETWORK';
  if (status === 401 || status === 403) return 'HTTP_AUTH';
  if (status === 404) return 'HTTP_NOT_FOUND';
  if (status === 408) return 'HTTP_TIMEOUT';
  if (status === 429) return 'HTTP_RATE_LIMITED';
  return 'HTTP_ERROR';
}
