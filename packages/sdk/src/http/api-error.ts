import { LakeError, type LakeErrorCode } from '../errors/lake-error.js';

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

/** What a response body says about the failure, for the error message: a JSON `message`, or the start of the text. */
export function reasonFromBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown; errors?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.error === 'string') return parsed.error;
    if (Array.isArray(parsed.errors)) return JSON.stringify(parsed.errors).slice(0, 200);
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || 'no response body';
}
