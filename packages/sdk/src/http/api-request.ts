import type { ResponseHeaders } from './rate-limit-headers.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

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
  /**
   * One of the client's named `budgets` (`'pipelines'`) this request also counts against, on
   * top of the shared budget: for endpoints the API limits on their own.
   */
  budget?: string;
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
