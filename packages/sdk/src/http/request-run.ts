import type { Got, Response } from 'got';
import { type LakeErrorCode, messageOf } from '../errors/lake-error.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../secrets/redactor.js';
import type { Credential, CredentialPool } from './api-auth.js';
import type { ApiClient } from './api-client.js';
import type { ApiClientHooks } from './api-client-hooks.js';
import { reasonFromBody, redactedApiError } from './api-error.js';
import type { ApiRequest, ApiResponse, HttpMethod } from './api-request.js';
import { type CredentialBudget, credentialKey } from './credential-budget.js';
import { classifyNetworkError } from './network-failure.js';
import { readRateLimit } from './rate-limit-headers.js';
import type { RequestBudget } from './request-budget.js';
import { errorCodeFor, type ResponseContext, type ResponseVerdict, standardVerdict } from './response-verdict.js';
import { backoffDelay, type RetryPolicy, sleep } from './retry-policy.js';

/** What every request of a client shares: its got instance, budget, credentials, rules and policy. */
export interface RequestEnvironment {
  readonly got: Got;
  readonly client: ApiClient;
  readonly budget: RequestBudget;
  readonly pool: CredentialPool;
  readonly policy: RetryPolicy;
  readonly hooks: ApiClientHooks;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  readonly source: string | undefined;
  readonly baseUrl: string;
  /** Each credential's budget shared with other processes, when there is one. */
  readonly credentialBudget: CredentialBudget | undefined;
  /** Counts an attempt sent (the client's `requests`). */
  countAttempt(): void;
}

type Attempt =
  | { kind: 'network'; error: unknown }
  | { kind: 'response'; response: ResponseContext; verdict: ResponseVerdict; credential: Credential };

/** What a failure is reported as, when the retries run out. */
interface FailureFacts {
  code: LakeErrorCode;
  response?: ResponseContext;
  cause?: unknown;
}

/** Each credential's shared-budget key, computed once (a provider's headers may cost a call). */
const sharedKeys = new WeakMap<Credential, string>();

const IDEMPOTENT_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'PUT', 'DELETE'];

/**
 * One request, from its first attempt to its answer or its ApiError: each attempt takes a slot of
 * the budget (and of its named budget) and a credential, the response is judged (the provider's
 * `classifyResponse`, then `standardVerdict`), and the verdict is acted on: answer, back off,
 * wait out a rate limit, drop a credential, or fail.
 *
 * got's own retry is off, and this loop does the retrying: every attempt must pass the shared
 * budget (its in-flight and per-second limits, and its pauses after a rate limit), may go out
 * with another credential of the pool, and gives its slot back while it waits; got retries
 * inside one call, holding whatever slot the call took and reusing its headers.
 */
export class RequestRun<T> {
  readonly #environment: RequestEnvironment;
  readonly #request: ApiRequest;
  readonly #endpointBudget: RequestBudget | undefined;
  readonly #method: HttpMethod;
  /** The URL to send to, unredacted. */
  readonly #url: string;
  readonly #safeUrl: string;
  readonly #retriable: boolean;
  #attempts = 0;
  #retries = 0;
  #rateLimitHits = 0;
  #rateLimitWaited = 0;
  #lastRateLimit = '';
  #refreshed = false;
  #renew = false;

  constructor(environment: RequestEnvironment, request: ApiRequest, url: string, endpointBudget?: RequestBudget) {
    this.#environment = environment;
    this.#request = request;
    this.#endpointBudget = endpointBudget;
    this.#method = request.method ?? 'GET';
    this.#url = url;
    this.#safeUrl = environment.redactor.redact(url);
    this.#retriable = request.idempotent ?? IDEMPOTENT_METHODS.includes(this.#method);
  }

  /** Sends the request until it is answered, or fails with an ApiError. */
  async run(): Promise<ApiResponse<T>> {
    for (;;) {
      this.#environment.signal?.throwIfAborted();
      const attempt = await this.#attempt();
      if (attempt === undefined) continue;
      const answer =
        attempt.kind === 'network' ? await this.#afterNetworkError(attempt.error) : await this.#afterResponse(attempt);
      if (answer !== undefined) return answer;
    }
  }

  /** One attempt, from preparing its headers to giving its slot back; undefined when it waited for a credential instead. */
  async #attempt(): Promise<Attempt | undefined> {
    const prepared = await this.#prepareHeaders();
    const slot = await this.#takeSlot();
    if (slot === undefined) return undefined;
    try {
      return await this.#send(slot.credential, prepared);
    } finally {
      slot.release();
    }
  }

  async #prepareHeaders(): Promise<Record<string, string>> {
    const { hooks, client } = this.#environment;
    const renew = this.#renew;
    this.#renew = false;
    return (await hooks.prepareRequest?.(this.#request, { renew, client })) ?? {};
  }

  /** A slot of the budgets, then a credential; or a wait for the first credential to come back. */
  async #takeSlot(): Promise<{ credential: Credential; release: () => void } | undefined> {
    const { budget, pool, signal } = this.#environment;
    // The named budget first: a request queued behind its endpoint's limit holds no shared slot.
    const releaseEndpoint = await this.#endpointBudget?.acquire(signal);
    const releaseShared = await budget.acquire(signal).catch((error: unknown) => {
      releaseEndpoint?.();
      throw error;
    });
    const release = () => {
      releaseShared();
      releaseEndpoint?.();
    };
    // Pick the credential only once a slot is ours: while this request queued, others may have
    // spent or lost the credential it would have picked.
    const choice = pool.pick();
    if ('credential' in choice) return { credential: choice.credential, release };
    release();
    if ('none' in choice) this.#fail('every credential was rejected by the API', { code: 'HTTP_AUTH' });
    const why = `rate limit exhausted for every credential${this.#lastRateLimit && ` (${this.#lastRateLimit})`}`;
    await this.#waitForRateLimit(choice.waitUntil + 1000, why);
    return undefined;
  }

  async #send(credential: Credential, prepared: Record<string, string>): Promise<Attempt> {
    const { got, signal, logger } = this.#environment;
    const sharedKey = await this.#takeShared(credential);
    this.#attempts += 1;
    this.#environment.countAttempt();
    const started = Date.now();
    let answer: Response<string>;
    try {
      answer = await got(this.#url, {
        method: this.#method,
        headers: { ...(await credential.headers(this.#refreshed)), ...prepared, ...this.#request.headers },
        ...(this.#request.json === undefined ? {} : { json: this.#request.json }),
        ...(signal ? { signal } : {}),
        responseType: 'text',
      });
    } catch (error) {
      return { kind: 'network', error };
    }
    logger.debug(`${this.#method} ${this.#safeUrl} → ${answer.statusCode} in ${Date.now() - started} ms`, {
      credential: credential.label,
    });
    const response = this.#context(answer.statusCode, answer.headers, answer.body, credential);
    const verdict = this.#environment.hooks.classifyResponse?.(response) ?? standardVerdict(response, this.#policy);
    this.#applyBeforeRelease(verdict, credential);
    if (sharedKey !== undefined) await this.#tellShared(sharedKey, response, verdict);
    return { kind: 'response', response, verdict, credential };
  }

  /** A request of the credential's shared budget (other workers use the same token); its key. */
  async #takeShared(credential: Credential): Promise<string | undefined> {
    const { credentialBudget, baseUrl, signal } = this.#environment;
    if (!credentialBudget) return undefined;
    let key = sharedKeys.get(credential);
    if (key === undefined) {
      key = credentialKey(baseUrl, await credential.headers(false));
      sharedKeys.set(credential, key);
    }
    await credentialBudget.take(key, signal);
    return key;
  }

  /** What the response says of the quota, for every process sharing the credential; a 429 with no headers spends it until its wait ends. */
  async #tellShared(key: string, response: ResponseContext, verdict: ResponseVerdict): Promise<void> {
    const quota =
      verdict.kind === 'rate-limited' && response.quota.remaining === undefined
        ? { remaining: 0, resetAt: verdict.waitUntil }
        : response.quota;
    await this.#environment.credentialBudget?.observe(key, quota).catch((error: unknown) => {
      this.#environment.logger.debug(`the shared credential budget did not take the quota: ${messageOf(error)}`);
    });
  }

  /** The response as the rules see it; the quota it reports is noted on its credential. */
  #context(status: number, headers: ResponseContext['headers'], body: string, credential: Credential): ResponseContext {
    const now = Date.now();
    const quota = this.#environment.hooks.readQuota?.(headers, now) ?? readRateLimit(headers, now);
    if (quota.remaining !== undefined) credential.remaining = quota.remaining;
    if (quota.resetAt !== undefined) credential.resetAt = quota.resetAt;
    return { status, headers, body, request: this.#request, quota, rateLimitHits: this.#rateLimitHits, now };
  }

  /**
   * What a verdict changes for every request, done before the slot is given back so that no
   * queued request slips through on stale state: the budget paused, the credential resting or
   * rejected.
   */
  #applyBeforeRelease(verdict: ResponseVerdict, credential: Credential): void {
    if (verdict.kind === 'rejected') {
      if (credential.refreshable && !this.#refreshed) this.#refreshed = true;
      else credential.rejected = true;
    }
    if (verdict.kind !== 'rate-limited') return;
    if (verdict.scope === 'credential') {
      credential.remaining = 0;
      credential.resetAt = verdict.waitUntil;
      return;
    }
    // A pause longer than this request may wait would hold back every other request for nothing: it fails instead.
    if (this.#rateLimitWaited + verdict.waitUntil - Date.now() > this.#policy.maxRateLimitWaitMs) return;
    const budget =
      verdict.scope === 'endpoint' ? (this.#endpointBudget ?? this.#environment.budget) : this.#environment.budget;
    budget.pauseUntil(verdict.waitUntil);
  }

  async #afterResponse(attempt: Extract<Attempt, { kind: 'response' }>): Promise<ApiResponse<T> | undefined> {
    const { response, verdict, credential } = attempt;
    switch (verdict.kind) {
      case 'ok':
        return this.#answer(response);
      case 'retry':
        this.#renew = verdict.renew === true;
        await this.#backOff(this.#reason(response), { code: errorCodeFor(response.status), response }, verdict);
        return undefined;
      case 'rate-limited':
        await this.#afterRateLimit(verdict, response);
        return undefined;
      case 'rejected':
        this.#afterRejection(credential, response);
        return undefined;
      case 'fail':
        return this.#fail(this.#reason(response), { code: verdict.code ?? errorCodeFor(response.status), response });
    }
  }

  async #answer(response: ResponseContext): Promise<ApiResponse<T> | undefined> {
    const body = parseResponseBody(response.body, response.headers);
    if (body.ok) {
      const { status, headers } = response;
      return { status, headers, body: body.value as T, url: this.#safeUrl, requestUrl: this.#url };
    }
    await this.#backOff(`response body is not valid JSON (${body.reason})`, { code: 'HTTP_INVALID_BODY', response });
    return undefined;
  }

  async #afterNetworkError(error: unknown): Promise<undefined> {
    this.#environment.signal?.throwIfAborted();
    const failure = classifyNetworkError(error);
    if (!failure.retryable) this.#fail(failure.reason, { code: failure.code, cause: error });
    await this.#backOff(failure.reason, { code: failure.code, cause: error });
    return undefined;
  }

  async #afterRateLimit(verdict: Extract<ResponseVerdict, { kind: 'rate-limited' }>, response: ResponseContext) {
    const reason = this.#reason(response);
    this.#rateLimitHits += 1;
    this.#lastRateLimit = reason;
    // A server that keeps limiting without ever letting a request through is not waited for forever.
    if (this.#rateLimitHits > this.#policy.limit * 2 + this.#environment.pool.size)
      this.#fail(reason, { code: 'HTTP_RATE_LIMITED', response });
    // A credential's limit is waited for by the next attempt's pick, which may find another credential.
    if (verdict.scope !== 'credential')
      await this.#waitForRateLimit(verdict.waitUntil, `rate limited (${reason})`, response);
  }

  #afterRejection(credential: Credential, response: ResponseContext): void {
    // Not rejected yet: its provider gets one chance to refresh it.
    if (!credential.rejected) return;
    const reason = this.#reason(response);
    if (this.#environment.pool.size > 1) {
      this.#environment.logger.warn(`${credential.label} was rejected (${reason}); continuing with the others`);
      return;
    }
    this.#fail(`credentials rejected: ${reason}`, { code: 'HTTP_AUTH', response });
  }

  /**
   * Waits before the next attempt: `Retry-After` when the server gave one the policy accepts,
   * else exponential backoff. Fails instead when the retries are spent or the request may not be
   * resent (a POST not marked idempotent, unless the server asked for it to be `renew`ed).
   */
  async #backOff(reason: string, failure: FailureFacts, retry: { afterMs?: number; renew?: boolean } = {}) {
    const policy = this.#policy;
    if ((!this.#retriable && !retry.renew) || this.#retries >= policy.limit) this.#fail(reason, failure);
    const delay =
      retry.afterMs !== undefined && retry.afterMs <= policy.maxRateLimitWaitMs
        ? retry.afterMs
        : backoffDelay(policy, this.#retries);
    this.#retries += 1;
    this.#environment.logger.debug(`retrying in ${delay} ms: ${reason}`, { url: this.#safeUrl, retry: this.#retries });
    await sleep(delay, this.#environment.signal);
  }

  async #waitForRateLimit(until: number, why: string, response?: ResponseContext): Promise<void> {
    const wait = Math.max(0, until - Date.now());
    const limit = this.#policy.maxRateLimitWaitMs;
    if (this.#rateLimitWaited + wait > limit) {
      const more = `waiting ${Math.ceil(wait / 1000)} s more exceeds the limit of ${Math.round(limit / 1000)} s`;
      this.#fail(`${why}; ${more}`, { code: 'HTTP_RATE_LIMITED', ...(response === undefined ? {} : { response }) });
    }
    this.#environment.logger.warn(`${why}: waiting ${Math.ceil(wait / 1000)} s`, { url: this.#safeUrl });
    this.#rateLimitWaited += wait;
    await sleep(wait, this.#environment.signal);
  }

  /** The reason a failed response gives: the provider's reading of its body, or the standard one. */
  #reason(response: ResponseContext): string {
    try {
      const reason = this.#environment.hooks.errorMessage?.(response.body, response);
      if (reason) return reason;
    } catch {
      // A hook that cannot read this body (HTML from a proxy) must not hide the failure it describes.
    }
    return reasonFromBody(response.body);
  }

  #fail(reason: string, failure: FailureFacts): never {
    const { redactor, source } = this.#environment;
    const { response, code, cause } = failure;
    throw redactedApiError(
      {
        code,
        reason,
        method: this.#method,
        url: this.#safeUrl,
        attempts: this.#attempts,
        ...(response === undefined ? {} : { status: response.status, body: response.body }),
        ...(cause === undefined ? {} : { cause }),
      },
      redactor,
      source,
    );
  }

  get #policy(): RetryPolicy {
    return this.#environment.policy;
  }
}

/** A body as JSON when it says it is (or says nothing), as text otherwise. */
export function parseResponseBody(
  text: string,
  headers: ResponseContext['headers'],
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (text === '') return { ok: true, value: null };
  const type = String(headers['content-type'] ?? '');
  if (type && !/json/i.test(type)) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
}
