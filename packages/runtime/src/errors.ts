import { LakeError } from '@lake/sdk/host';
/**
 * Errors the runtime raises on purpose. Each has a stable `code`; scripts reading
 * `lake … --json` branch on it, never on the text. Messages name the file, field, package
 * and versions involved, and never carry a secret.
 */
export type RuntimeErrorCode =
  | 'USAGE'
  | 'MANIFEST_NOT_FOUND'
  | 'MANIFEST_INVALID'
  | 'LOCK_MISSING'
  | 'LOCK_INVALID'
  | 'LOCK_MISMATCH'
  | 'CONNECTOR_UNKNOWN'
  | 'CONNECTOR_INVALID'
  | 'CONNECTOR_INCOMPATIBLE'
  | 'CONNECTOR_IN_USE'
  | 'DOWNGRADE_REFUSED'
  | 'INTEGRITY_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'SETTINGS_INVALID'
  | 'REGISTRY_ERROR'
  | 'INSTALL_FAILED'
  | 'INSTALL_BUSY'
  | 'NOT_INSTALLED'
  | 'SECRET_MISSING'
  | 'SECRET_STORE_INVALID'
  | 'CONNECTION_UNKNOWN'
  | 'SCOPE_UNKNOWN'
  | 'PROJECT_UNKNOWN'
  | 'COMMAND_FAILED'
  | 'INTERRUPTED';

export interface RuntimeErrorOptions {
  cause?: unknown;
  /** Structured facts for `--json` output. Never secrets. */
  details?: Record<string, unknown>;
}

/** The runtime's errors: `LakeError`s with the runtime's codes (one hierarchy with the SDK's). */
export class RuntimeError extends LakeError<RuntimeErrorCode> {
  constructor(code: RuntimeErrorCode, message: string, options: RuntimeErrorOptions = {}) {
    super(code, message, options);
    this.name = 'RuntimeError';
  }

  /** The runtime's messages go out as written: the CLI prefixes them with the command (`lake install: …`). */
  static override formatMessage(message: string): string {
    return message;
  }
}

export function isRuntimeError(error: unknown, code?: RuntimeErrorCode): error is RuntimeError {
  return error instanceof RuntimeError && (code === undefined || error.code === code);
}
