import { RequestError } from 'got';
import { type LakeErrorCode, messageOf } from '../errors/lake-error.js';

/** Network failures worth another try: the request may never have reached the server, or its answer was lost. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export interface NetworkFailure {
  /** `HTTP_TIMEOUT` for a timeout, `HTTP_NETWORK` for anything else. */
  code: Extract<LakeErrorCode, 'HTTP_TIMEOUT' | 'HTTP_NETWORK'>;
  /** Whether another attempt may succeed (a timeout, a reset connection); not a bad URL or a TLS error. */
  retryable: boolean;
  /** `ECONNRESET: read ECONNRESET`, for the error and the log. */
  reason: string;
}

/** What a request that got no response failed of. */
export function classifyNetworkError(error: unknown): NetworkFailure {
  const code = error instanceof RequestError ? error.code : undefined;
  const reason = `${code ?? 'request failed'}: ${messageOf(error)}`;
  if (code === 'ETIMEDOUT' || (error instanceof Error && error.name === 'TimeoutError'))
    return { code: 'HTTP_TIMEOUT', retryable: true, reason };
  return { code: 'HTTP_NETWORK', retryable: code !== undefined && RETRYABLE_NETWORK_CODES.has(code), reason };
}
