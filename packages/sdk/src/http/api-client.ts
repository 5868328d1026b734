import got, { type Got, type OptionsInit } from 'got';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { LakeError } from '../errors/lake-error.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { Redactor } from '../secrets/redactor.js';
import { type ApiAuth, CredentialPool, credentialsFor } from './api-auth.js';
import type { ApiClientHooks } from './api-client-hooks.js';
import { redactedApiError } from './api-error.js';
import type { ApiRequest, ApiResponse } from './api-request.js';
import { type CredentialBudget, defaultCredentialBudget } from './credential-budget.js';
import { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
import { type RequestEnvironment, RequestRun } from './request-run.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

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
  /**
   * Budgets of endpoints the API limits on their own (GitLab's pipelines), by name; a request
   * names its own with `budget: 'pipelines'` and then counts against it and the shared budget.
   */
  budgets?: Record<string, RequestBudget | RequestBudgetOptions>;
  /** The API's own rules (rate limits, error bodies, per-request headers) and got's hooks. */
  hooks?: ApiClientHooks;
  /**
   * Each credential's budget shared with other processes (a PostgreSQL token bucket that
   * workers syncing with the same token take from). Default: the process's, when the runtime
   * set one (`setDefaultCredentialBudget`); none otherwise.
   */
  credentialBudget?: CredentialBudget;
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
 * honoured, the IETF RateLimit fields obeyed by waiting, and typed errors with secrets
 * redacted. What is one API's own (GitHub's 403 rate limits, Jira's error bodies, Jenkins'
 * crumbs) comes in through `hooks`.
 *
 *   const client = createApiClient({ baseUrl: 'https://api.github.com', auth: { type: 'pool', tokens } });
 *   const { body } = await client.get<{ login: string }>('/user');
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return new ApiClient(options);
}

const toBudget = (budget: RequestBudget | RequestBudgetOptions | undefined) =>
  budget instanceof RequestBudget ? budget : new RequestBudget(budget);

export class ApiClient {
  readonly baseUrl: string;
  readonly budget: RequestBudget;
  readonly #budgets: ReadonlyMap<string, RequestBudget>;
  readonly #redactor: Redactor;
  readonly #source: string | undefined;
  readonly #environment: RequestEnvironment;
  /** Requests sent, attempts included (for tests and progress). */
  requests = 0;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.budget = toBudget(options.budget);
    this.#budgets = new Map(Object.entries(options.budgets ?? {}).map(([name, budget]) => [name, toBudget(budget)]));
    const { credentials, secrets } = credentialsFor(options.auth);
    this.#redactor = options.redactor ?? new Redactor();
    for (const value of secrets) this.#redactor.add(value);
    if (options.proxy) {
      const password = new URL(options.proxy).password;
      if (password) this.#redactor.add(decodeURIComponent(password));
    }
    this.#source = options.source;
    this.#environment = {
      got: gotFor(options),
      client: this,
      budget: this.budget,
      pool: new CredentialPool(credentials),
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      hooks: options.hooks ?? {},
      redactor: this.#redactor,
      logger: options.logger ?? silentLogger,
      signal: options.signal,
      source: options.source,
      baseUrl: this.baseUrl,
      credentialBudget: options.credentialBudget ?? defaultCredentialBudget(),
      countAttempt: () => {
        this.requests += 1;
      },
    };
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
      throw redactedApiError(
        {
          code: 'HTTP_ERROR',
          reason: `GraphQL: ${message}`,
          method: 'POST',
          url: this.#redactor.redact(this.#url(path)),
          status: response.status,
          attempts: 1,
        },
        this.#redactor,
        this.#source,
      );
    }
    return response.body.data;
  }

  /** Sends a request, waiting, rotating credentials and retrying as the policy and the hooks say. */
  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
    const url = this.#url(request.path, request.searchParams);
    return new RequestRun<T>(this.#environment, request, url, this.#endpointBudget(request)).run();
  }

  #endpointBudget(request: ApiRequest): RequestBudget | undefined {
    if (request.budget === undefined) return undefined;
    const budget = this.#budgets.get(request.budget);
    if (budget) return budget;
    const known = [...this.#budgets.keys()].join(', ') || 'none';
    throw new LakeError(
      'CONNECTOR_INVALID',
      `request budget "${request.budget}" is not one of the client's budgets (${known})`,
      this.#source === undefined ? {} : { source: this.#source },
    );
  }

  #url(path: string, searchParams?: ApiRequest['searchParams']): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`);
    for (const [name, value] of Object.entries(searchParams ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

/**
 * The got instance behind a client. Its own retry is off (`RequestRun` says why); redirects,
 * timeouts, the proxy agent and got's hooks are got's.
 */
function gotFor(options: ApiClientOptions): Got {
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
  return got.extend(gotOptions);
}
