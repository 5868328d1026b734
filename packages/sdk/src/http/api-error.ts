import { LakeError, type LakeErrorCode } from '../errors/lake-error.js';
import type { Redactor } from '../secrets/redactor.js';

export interface ApiErrorDetails {
  method: string;
  /** The request URL, secrets redacted. */
  url: string;
  status?: number;
  /** The first 500 characters of the response body, secrets redacted. */
  bodyExcerpt?: string;
  /** Attempts made, the failing one included. */
  attempts: number;
}

/**
 * A failed API request, with a stable code (`HTTP_AUTH`, `HTTP_NOT_FOUND`,
 * `HTTP_RATE_LIMITED`, `HTTP_NETWORK`, `HTTP_TIMEOUT`, `HTTP_INVALID_BODY`, `HTTP_ERROR`),
 * the method, the redacted URL, the status and an excerpt of the body.
 *
 *   [lake] [github] GET https://api.github.com/user → 401: Bad credentials (after 1 attempt)
 */
export class ApiError extends LakeError {
  readonly status: number | undefined;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string | undefined;
  readonly attempts: number;

  constructor(
    code: LakeErrorCode,
    reason: string,
    details: ApiErrorDetails,
    options: { source?: string; cause?: unknown } = {},
  ) {
    const status = details.status === undefined ? '' : ` → ${details.status}`;
    const attempts = `after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'}`;
    super(code, `${details.method} ${details.url}${status}: ${reason} (${attempts})`, {
      ...options,
      details: { ...details },
    });
    this.name = 'ApiError';
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.bodyExcerpt = details.bodyExcerpt;
    this.attempts = details.attempts;
  }
}

/** What an ApiError is made of before secrets are taken out: the whole body, the raw reason and cause. */
export interface ApiFailure {
  code: LakeErrorCode;
  reason: string;
  method: string;
  /** Already redacted. */
  url: string;
  attempts: number;
  status?: number;
  body?: string;
  cause?: unknown;
}

/** An ApiError with every secret the redactor knows masked in its reason, body excerpt and cause. */
export function redactedApiError(failure: ApiFailure, redactor: Redactor, source: string | undefined): ApiError {
  const { code, reason, method, url, attempts, status, body, cause } = failure;
  return new ApiError(
    code,
    redactor.redact(reason),
    {
      method,
      url,
      attempts,
      ...(status === undefined ? {} : { status }),
      ...(body === undefined ? {} : { bodyExcerpt: redactor.redact(body.slice(0, 500)) }),
    },
    {
      ...(source === undefined ? {} : { source }),
      ...(cause === undefined ? {} : { cause: redactor.redactError(cause) }),
    },
  );
}

/**
 * What a response body says about the failure, in the shapes that are not one provider's: RFC
 * 9457 problem details (`detail`, `title`), a JSON `message`, an `error` (text or `{ message }`),
 * an `errors` list; else the start of the text. A connector's `errorMessage` hook reads its API's own.
 */
export function reasonFromBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const error = parsed?.error as { message?: unknown } | string | undefined;
    const reason =
      text(parsed?.message) ??
      text(parsed?.detail) ??
      text(parsed?.title) ??
      text(error) ??
      (typeof error === 'object' ? text(error?.message) : undefined);
    if (reason !== undefined) return reason;
    if (Array.isArray(parsed?.errors)) return JSON.stringify(parsed.errors).slice(0, 200);
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || 'no response body';
}
