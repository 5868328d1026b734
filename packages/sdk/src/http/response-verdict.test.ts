import { describe, expect, it } from 'vitest';
import type { ApiRequest } from './api-request.js';
import type { RateLimitState, ResponseHeaders } from './rate-limit-headers.js';
import { errorCodeFor, type ResponseContext, standardVerdict } from './response-verdict.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

const NOW = 1_000_000;
const noQuota: RateLimitState = { remaining: undefined, resetAt: undefined };

function response(
  status: number,
  options: { headers?: ResponseHeaders; quota?: RateLimitState; request?: Partial<ApiRequest> } = {},
): ResponseContext {
  return {
    status,
    headers: options.headers ?? {},
    body: '',
    request: { path: '/things', ...options.request },
    quota: options.quota ?? noQuota,
    rateLimitHits: 0,
    now: NOW,
  };
}

const verdict = (context: ResponseContext) => standardVerdict(context, DEFAULT_RETRY_POLICY);

describe('the standard rate-limit and retry decision', () => {
  it('answers 2xx, 3xx and allowed statuses; rejects the credential on 401', () => {
    expect(verdict(response(200))).toEqual({ kind: 'ok' });
    expect(verdict(response(304))).toEqual({ kind: 'ok' });
    expect(verdict(response(404, { request: { allowStatus: [404] } }))).toEqual({ kind: 'ok' });
    expect(verdict(response(401))).toEqual({ kind: 'rejected' });
  });

  it('rests the credential on a 429 with a spent quota, until its reset or Retry-After, whichever is later', () => {
    const spent = { remaining: 0, resetAt: NOW + 30_000 };
    expect(verdict(response(429, { quota: spent }))).toEqual({
      kind: 'rate-limited',
      scope: 'credential',
      waitUntil: NOW + 30_000,
    });
    expect(verdict(response(429, { quota: spent, headers: { 'retry-after': '60' } }))).toEqual({
      kind: 'rate-limited',
      scope: 'credential',
      waitUntil: NOW + 60_000,
    });
  });

  it('holds the whole budget back on a 429 with Retry-After, and backs off on a bare 429', () => {
    expect(verdict(response(429, { headers: { 'retry-after': '2' } }))).toEqual({
      kind: 'rate-limited',
      scope: 'budget',
      waitUntil: NOW + 2000,
    });
    expect(verdict(response(429, { quota: { remaining: 3, resetAt: NOW } }))).toEqual({ kind: 'retry' });
  });

  it('retries 408 and 5xx, after Retry-After when a 503 gives one', () => {
    expect(verdict(response(503, { headers: { 'retry-after': '5' } }))).toEqual({ kind: 'retry', afterMs: 5000 });
    expect(verdict(response(502))).toEqual({ kind: 'retry' });
    expect(verdict(response(408))).toEqual({ kind: 'retry' });
    expect(standardVerdict(response(502), { ...DEFAULT_RETRY_POLICY, statusCodes: [503] })).toEqual({ kind: 'fail' });
  });

  it('fails on other client errors, 403 included: a limit told by a 403 is a provider’s rule', () => {
    expect(verdict(response(403, { headers: { 'retry-after': '60' } }))).toEqual({ kind: 'fail' });
    expect(verdict(response(400))).toEqual({ kind: 'fail' });
    expect(verdict(response(422))).toEqual({ kind: 'fail' });
  });

  it('maps the last status to an error code', () => {
    expect([undefined, 400, 401, 403, 404, 408, 409, 429, 500].map((status) => [status, errorCodeFor(status)])).toEqual(
      [
        [undefined, 'HTTP_NETWORK'],
        [400, 'HTTP_ERROR'],
        [401, 'HTTP_AUTH'],
        [403, 'HTTP_AUTH'],
        [404, 'HTTP_NOT_FOUND'],
        [408, 'HTTP_TIMEOUT'],
        [409, 'HTTP_ERROR'],
        [429, 'HTTP_RATE_LIMITED'],
        [500, 'HTTP_ERROR'],
      ],
    );
  });
});
