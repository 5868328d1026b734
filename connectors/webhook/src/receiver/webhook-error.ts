/** Stable codes of the receiver's refusals, with the HTTP status each answers with. */
export const WEBHOOK_ERROR_STATUS = {
  WEBHOOK_UNAUTHORIZED: 401,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_METHOD_NOT_ALLOWED: 405,
  WEBHOOK_BODY_TOO_LARGE: 413,
  WEBHOOK_BODY_INVALID: 400,
  WEBHOOK_PAYLOAD_INVALID: 422,
  WEBHOOK_STORE_FAILED: 503,
} as const;

export type WebhookErrorCode = keyof typeof WEBHOOK_ERROR_STATUS;

/** One field the payload got wrong: its path (`deploymentCommits.0.commitSha`) and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A request the receiver refuses; its body is `{"error": {"code", "message", "fields"?}}`. */
export class WebhookError extends Error {
  readonly code: WebhookErrorCode;
  readonly fields: readonly FieldProblem[];

  constructor(code: WebhookErrorCode, message: string, fields: readonly FieldProblem[] = []) {
    super(message);
    this.name = 'WebhookError';
    this.code = code;
    this.fields = fields;
  }

  get status(): number {
    return WEBHOOK_ERROR_STATUS[this.code];
  }

  toJSON() {
    return {
      error: { code: this.code, message: this.message, ...(this.fields.length > 0 ? { fields: this.fields } : {}) },
    };
  }
}
