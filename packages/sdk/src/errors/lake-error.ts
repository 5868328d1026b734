/**
 * Every error Lake raises on purpose is a `LakeError` with a stable `code`, so callers
 * (the runtime, tests, scripts reading `--json`) branch on the code, never on the text.
 *
 * Messages are prefixed with where they come from: `[lake] [github] token is missing`.
 */
export type LakeErrorCode =
  | 'CONFIG_INVALID'
  | 'CONTEXT_INVALID'
  | 'CONNECTOR_INVALID'
  | 'DATABASE_URL_INVALID'
  | 'DATABASE_UNREACHABLE'
  | 'MIGRATION_FAILED'
  | 'STREAM_UNKNOWN'
  | 'STREAM_FAILED'
  | 'EXTRACT_FAILED'
  | 'CONVERT_FAILED'
  | 'DOMAIN_ID_INVALID'
  | 'SCOPE_LOCKED'
  | 'SYNC_ABORTED'
  | 'SECRET_KEY_INVALID'
  | 'SECRET_KEY_PERMISSIONS'
  | 'SECRET_DECRYPT_FAILED'
  | 'CONNECTION_FAILED'
  | 'NOT_SUPPORTED'
  | 'USAGE'
  | 'HTTP_ERROR'
  | 'HTTP_NETWORK'
  | 'HTTP_TIMEOUT'
  | 'HTTP_RATE_LIMITED'
  | 'HTTP_AUTH'
  | 'HTTP_NOT_FOUND'
  | 'HTTP_INVALID_BODY';

export interface LakeErrorOptions {
  /** Which connector or subsystem raised it; becomes the second prefix (`[lake] [git] …`). */
  source?: string;
  cause?: unknown;
  /** Structured facts for `--json` output and logs. Never put secrets here. */
  details?: Record<string, unknown>;
}

/**
 * The one error class of Lake. The SDK's errors carry a `LakeErrorCode`; a program built on
 * the SDK extends it with codes of its own (the runtime's `RuntimeError`), so that every
 * error raised on purpose, anywhere, is `instanceof LakeError` with a `code`.
 */
export class LakeError<Code extends string = LakeErrorCode> extends Error {
  readonly code: Code;
  readonly source: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: Code, message: string, options: LakeErrorOptions = {}) {
    super(
      new.target.formatMessage(message, options.source),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'LakeError';
    this.code = code;
    this.source = options.source;
    this.details = options.details ?? {};
  }

  /** How messages are prefixed: `[lake] [source] …` for the SDK's errors; subclasses may say otherwise. */
  static formatMessage(message: string, source: string | undefined): string {
    if (message.startsWith('[lake]')) return message;
    return source ? `[lake] [${source}] ${message}` : `[lake] ${message}`;
  }

  toJSON(): { name: string; code: Code; message: string; details: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** True when `error` is a LakeError (of the SDK or of a program built on it), optionally with the given code. */
export function isLakeError<Code extends string = LakeErrorCode>(
  error: unknown,
  code?: Code,
): error is LakeError<Code> {
  return error instanceof LakeError && (code === undefined || error.code === code);
}

/** The message of anything thrown, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    // undefined, functions and symbols have no JSON; a circular object throws.
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
