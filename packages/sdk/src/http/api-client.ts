import got, { type Got, type Hooks, type OptionsInit, RequestError } from 'got';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import type { LakeErrorCode } from '../errors/lake-error.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { Redactor } from '../secrets/redactor.js';
import { type ApiAuth, type Credential, CredentialPool, credentialsFor } from './api-auth.js';
import { ApiError, reasonFromBody } from './api-error.js';
import { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  RETRYABLE_NETWORK_CODES,
  type RetryPolicy,
  readRateLimit,
  retryAfterMs,
  sleep,
} from './retry-policy.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ApiRequest {
  method?: HttpMethod;
  /** Relative to the client's base URL (`/repos/octocat/hello/issues`), or absolute (`https://…` from a Link header). */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A JSON request body. */
  json?: unknown;
  /** Non-idempotent methods (POST, PATCH) are retried only when this is true; GraphQL queries are safe. */
  idempotent?: boolean;
  /** Statuses returned as responses rather than thrown (e.g. `[404]` to test for existence). */
  allowStatus?: readonly number[];
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  body: T;
  /** The final URL (secrets redacted). */
  url: string;
  /** The URL as requested, unredacted, for following it (pagination). */
  requestUrl: string;
}

export interface ApiClientHooks {
  /** Runs before every attempt; may change headers (got's `beforeRequest`). */
  beforeRequest?: Hooks['beforeRequest'];
  /** Runs on every response (got's `afterResponse`). */
  afterResponse?: Hooks['afterResponse'];
}

export interface ApiClientOptions {
  /** `https://api.github.com`, `https://github.example.com/api/v3`, … */
  baseUrl: string;
  auth?: ApiAuth;
  /** `http://proxy.internal:3128` (credentials in the URL are redacted from logs). */
  proxy?: string;
  headers?: Record<string, string>;
  /** Default `lake/<connector>`. */
  userAgent?: string;
  timeouts?: { connectMs?: number; requestMs?: number };
  retry?: Partial<RetryPolicy>;
  /** A budget shared with other clients, or the limits for this client's own. */
  budget?: RequestBudget | RequestBudgetOptions;
  hooks?: ApiClientHooks;
  logger?: Logger;
  /** Secrets known beyond the auth's (they are masked in errors and logs too). */
  redactor?: Redactor;
  signal?: AbortSignal;
  /** Prefix for error messages: `[lake] [<source>] …`. */
  source?: string;
}

/**
 * An HTTP client for one API connection, on got: auth (token, basic, bearer, a rotating
 * pool, or a provider hook), a request budget shared by all streams, retries with
 * exponential backoff and jitter on network errors, timeouts, 408, 429 and 5xx, `Retry-After`
 * honoured, quota headers (`X-RateLimit-Remaining` / `-Reset`) obeyed by waiting, and typed
 * errors with secrets redacted.
 *
 *   const client = createApiClient({ baseUrl: 'https://api.github.com', auth: { type: 'pool', tokens } });
 *   const { body } = await client.get<{ login: string }>('/user');
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return new ApiClient(options);
}

export class ApiClient {
  readonly baseUrl: string;
  readonly budget: RequestBudget;
  readonly #policy: RetryPolicy;
  readonly #pool: CredentialPool;
  readonly #redactor: Redactor;
  readonly #logger: Logger;
  readonly #signal: AbortSignal | undefined;
  readonly #source: string | undefined;
  readonly #got: Got;
  /** Requests sent, attempts included (for tests and progress). */
  requests = 0;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.budget = options.budget instanceof RequestBudget ? options.budget : new RequestBudget(options.budget);
    const { credentials, secrets } = credentialsFor(options.auth);
    this.#pool = new CredentialPool(credentials);
    this.#redactor = options.redactor ?? new Redactor();
    for (const value of secrets) this.#redactor.add(value);
    if (options.proxy) {
      const password = new URL(options.proxy).password;
      if (password) this.#redactor.add(decodeURIComponent(password));
    }
    this.#logger = options.logger ?? silentLogger;
    this.#signal = options.signal;
    this.#source = options.source;
    const gotOptions: OptionsInit = {
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: true,
      responseType: 'text',
      timeout: { connect: options.timeouts?.connectMs ?? 10_000, request: options.timeouts?.requestMs ?? 60_000 },
      headers: {
        accept: 'application/json',
        'user-agent': options.userAgent ?? `lake/${options.source ?? 'connector'}`,
        ...options.headers,
      },
      hooks: {
        beforeRequest: [...(options.hooks?.beforeRequest ?? [])],
        afterResponse: [...(options.hooks?.afterResponse ?? [])],
      },
    };
    if (options.proxy) {
      const proxy = { proxy: options.proxy, keepAlive: true };
      gotOptions.agent = { http: new HttpProxyAgent(proxy), https: new HttpsProxyAgent(proxy) };
    }
    this.#got = got.extend(gotOptions);
  }

  get<T = unknown>(path: string, request: Omit<ApiRequest, 'path' | 'method'> = {}): Promise<ApiResponse<T>> {
    return this.request<T>({ ...request, path, method: 'GET' });
  }

  /** A GraphQL query (POST, retried as it is safe); GraphQL `errors` become an ApiError. */
  async graphql<T = unknown>(query: string, variables: Record<string, unknown> = {}, path = '/graphql'): Promise<T> {
    const response = await this.request<{ data?: T; errors?: Array<{ message?: string; type?: string }> }>({
      method: 'POST',
      path,
      json: { query, variables },
      idempotent: true,
    });
    const errors = response.body.errors ?? [];
    if (errors.length > 0 || response.body.data === undefined) {
      const message =
        errors.map((error) => error.message ?? error.type ?? 'error').join('; ') || 'no data in the response';
      throw new ApiError(
        'HTTP_ERROR',
        `GraphQL: ${this.#redactor.redact(message)}`,
        {
          method: 'POST',
          url: this.#redactor.redact(this.#url(path)),
          status: response.status,
          attempts: 1,
        },
        this.#errorOptions(),
      );
    }
    return response.body.data;
  }

  /** Sends a request, waiting, rotating credentials and retrying as the policy allows. */
  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
    const method = request.method ?? 'GET';
    const url = this.#url(request.path, request.searchParams);
    const safeUrl = this.#redactor.redact(url);
    const retriable = request.idempotent ?? ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method);
    let attempts = 0;
    let retries = 0;
    let rateLimitWaited = 0;
    let refreshed = false;
    // Declared with its type so that TypeScript knows a call to it ends the path.
    const fail: (code: LakeErrorCode, reason: string, status?: number, body?: string, cause?: unknown) => never = (
      code,
      reason,
      status,
      body,
      cause,
    ) => {
      throw new ApiError(
        code,
        this.#redactor.redact(reason),
        {
          method,
          url: safeUrl,
          attempts,
          ...(status === undefined ? {} : { status }),
          ...(body === undefined ? {} : { bodyExcerpt: this.#redactor.redact(body.slice(0, 500)) }),
        },
        this.#errorOptions(cause),
      );
    };
    const waitForRateLimit = async (until: number, why: string) => {
      const wait = Math.max(0, until - Date.now());
      if (rateLimitWaited + wait > this.#policy.maxRateLimitWaitMs) {
        fail(
          'HTTP_RATE_LIMITED',
          `${why}; waiting ${Math.ceil(wait / 1000)} s more exceeds the limit of ${Math.round(this.#policy.maxRateLimitWaitMs / 1000)} s`,
        );
      }
      this.#logger.warn(`${why}: waiting ${Math.ceil(wait / 1000)} s`, { url: safeUrl });
      rateLimitWaited += wait;
      await sleep(wait, this.#signal);
    };
    const backOff = async (reason: string, status?: number, body?: string, after?: number) => {
      if (!retriable || retries >= this.#policy.limit) {
        fail(
          status === undefined
            ? 'HTTP_NETWORK'
            : status === 408
              ? 'HTTP_TIMEOUT'
              : status === 429
                ? 'HTTP_RATE_LIMITED'
                : 'HTTP_ERROR',
          reason,
          status,
          body,
        );
      }
      const delay = after ?? backoffDelay(this.#policy, retries);
      retries += 1;
      this.#logger.debug(`retrying in ${delay} ms: ${reason}`, { url: safeUrl, retry: retries });
      await sleep(delay, this.#signal);
    };

    for (;;) {
      this.#signal?.throwIfAborted();
      // Pick the credential only once a slot is ours: while this request queued, others may have
      // spent or lost the credential it would have picked.
      const release = await this.budget.acquire(this.#signal);
      const choice = this.#pool.pick();
      if ('none' in choice) {
        release();
        fail('HTTP_AUTH', 'every credential was rejected by the API');
      }
      if ('waitUntil' in choice) {
        release();
        await waitForRateLimit(choice.waitUntil + 1000, 'rate limit exhausted for every credential');
        continue;
      }
      const credential = choice.credential;
      attempts += 1;
      this.requests += 1;
      let status: number;
      let headers: ResponseHeaders;
      let text: string;
      const started = Date.now();
      try {
        const response = await this.#got(url, {
          method,
          headers: { ...(await credential.headers(refreshed)), ...request.headers },
          ...(request.json === undefined ? {} : { json: request.json }),
          ...(this.#signal ? { signal: this.#signal } : {}),
        });
        status = response.statusCode;
        headers = response.headers;
        text = response.body as string;
      } catch (error) {
        release();
        this.#signal?.throwIfAborted();
        const code = error instanceof RequestError ? error.code : undefined;
        const reason = `${code ?? 'request failed'}: ${error instanceof Error ? error.message : String(error)}`;
        if (code === 'ETIMEDOUT' || (error instanceof Error && error.name === 'TimeoutError')) {
          if (!retriable || retries >= this.#policy.limit) fail('HTTP_TIMEOUT', reason, undefined, undefined, error);
          await backOff(reason);
          continue;
        }
        if (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) {
          await backOff(reason);
          continue;
        }
        fail('HTTP_NETWORK', reason, undefined, undefined, error);
      }
      const after = retryAfterMs(headers);
      const secondaryLimit =
        (status === 403 || status === 429) && (after !== undefined || /secondary rate limit|abuse/i.test(text));
      // Pause the whole budget before giving the slot back, so no queued request slips through.
      const secondaryWait = secondaryLimit
        ? (after ?? Math.min(this.#policy.maxDelayMs * 4, 60_000 * 2 ** Math.min(retries, 4)))
        : 0;
      if (secondaryLimit) this.budget.pauseUntil(Date.now() + secondaryWait);
      release();
      this.#logger.debug(`${method} ${safeUrl} → ${status} in ${Date.now() - started} ms`, {
        credential: credential.label,
      });
      this.#noteQuota(credential, headers);

      if ((status >= 200 && status < 400) || request.allowStatus?.includes(status)) {
        const body = this.#parseBody(text, headers);
        if (body.ok) return { status, headers, body: body.value as T, url: safeUrl, requestUrl: url };
        await backOff(`response body is not valid JSON (${body.reason})`, status, text);
        continue;
      }
      const reason = reasonFromBody(text);
      if (status === 401) {
        if (credential.refreshable && !refreshed) {
          refreshed = true;
          continue;
        }
        credential.rejected = true;
        if (this.#pool.size > 1) {
          this.#logger.warn(`${credential.label} was rejected (${reason}); continuing with the others`);
          continue;
        }
        fail('HTTP_AUTH', `credentials rejected: ${reason}`, status, text);
      }
      if ((status === 403 || status === 429) && credential.remaining === 0 && credential.resetAt !== undefined) {
        // Primary rate limit (GitHub answers 403): rest this credential until its reset.
        if (this.#pool.size === 1)
          await waitForRateLimit(credential.resetAt + 1000, `rate limit exhausted (${reason})`);
        continue;
      }
      if (secondaryLimit) {
        // Secondary rate limit: everyone waits (GitHub: at least a minute when it gives no Retry-After).
        await waitForRateLimit(Date.now() + secondaryWait, `secondary rate limit (${reason})`);
        retries += 1;
        if (retries > this.#policy.limit * 2) fail('HTTP_RATE_LIMITED', reason, status, text);
        continue;
      }
      if (this.#policy.statusCodes.includes(status)) {
        await backOff(
          reason,
          status,
          text,
          after !== undefined && after <= this.#policy.maxRateLimitWaitMs ? after : undefined,
        );
        continue;
      }
      fail(status === 404 ? 'HTTP_NOT_FOUND' : status === 403 ? 'HTTP_AUTH' : 'HTTP_ERROR', reason, status, text);
    }
  }

  #noteQuota(credential: Credential, headers: ResponseHeaders): void {
    const quota = readRateLimit(headers);
    if (quota.remaining !== undefined) credential.remaining = quota.remaining;
    if (quota.resetAt !== undefined) credential.resetAt = quota.resetAt;
  }

  #parseBody(text: string, headers: ResponseHeaders): { ok: true; value: unknown } | { ok: false; reason: string } {
    if (text === '') return { ok: true, value: null };
    const type = String(headers['content-type'] ?? '');
    if (type && !/json/i.test(type)) return { ok: true, value: text };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }

  #url(path: string, searchParams?: ApiRequest['searchParams']): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`);
    for (const [name, value] of Object.entries(searchParams ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  #errorOptions(cause?: unknown): { source?: string; cause?: unknown } {
    return {
      ...(this.#source === undefined ? {} : { source: this.#source }),
      ...(cause === undefined ? {} : { cause: this.#redactor.redactError(cause) }),
    };
  }
}
