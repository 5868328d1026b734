import type { Hooks } from 'got';
import type { ApiClient } from './api-client.js';
import type { ApiRequest } from './api-request.js';
import type { RateLimitState, ResponseHeaders } from './rate-limit-headers.js';
import type { ResponseContext, ResponseVerdict } from './response-verdict.js';

/** What `prepareRequest` is told about the attempt it prepares. */
export interface PrepareRequestContext {
  /** True when the last response's verdict asked for fresh headers (`retry` with `renew`). */
  renew: boolean;
  /** The client itself, to fetch what the headers need (mind that this request runs the hook too). */
  client: ApiClient;
}

/**
 * Where an API's own rules plug into the shared client, so that the client knows only standard
 * HTTP and each connector brings its provider's quirks (as vercel/ai's providers hand their
 * error parsing to the shared request helper). Every hook is optional; a hook that returns
 * undefined leaves the decision to the standard rules.
 *
 *   createApiClient({
 *     baseUrl,
 *     hooks: {
 *       classifyResponse: (response) =>
 *         response.status === 403 && /No valid crumb/.test(response.body) ? { kind: 'retry', renew: true } : undefined,
 *       errorMessage: (body) => JSON.parse(body).errorMessages?.join('; '),
 *     },
 *   });
 */
export interface ApiClientHooks {
  /**
   * Decides what a response means before the standard rules do (`standardVerdict`): a rate limit
   * the status does not tell (GitHub's 403), a retry a body asks for, a failure with its own code.
   */
  classifyResponse?: (response: ResponseContext) => ResponseVerdict | undefined;
  /** The reason a failed response gives, from its body (Jira's `errorMessages` and `errors`), for the ApiError. */
  errorMessage?: (body: string, response: ResponseContext) => string | undefined;
  /** The quota a response reports for its credential, when the API has headers of its own (GitHub's `X-RateLimit-*`). */
  readQuota?: (headers: ResponseHeaders, now: number) => RateLimitState | undefined;
  /**
   * Headers for one attempt, computed before the attempt takes its slot of the budget, so the
   * hook may fetch them through the client (Jenkins' crumb, fetched once and again on `renew`).
   * got's `beforeRequest` runs inside the slot: a fetch from there would wait for a slot the
   * attempt itself holds, which is why this hook exists beside it.
   */
  prepareRequest?: (
    request: ApiRequest,
    context: PrepareRequestContext,
  ) => Promise<Record<string, string> | undefined> | Record<string, string> | undefined;
  /** got's `beforeRequest`: runs before every attempt, inside its slot; may change headers. */
  beforeRequest?: Hooks['beforeRequest'];
  /** got's `afterResponse`: runs on every response. */
  afterResponse?: Hooks['afterResponse'];
}
