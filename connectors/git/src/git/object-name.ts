const OBJECT_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Whether `value` is a full object name: SHA-1 (40 hex digits) or SHA-256 (64). */
export function isObjectName(value: string): boolean {
  return OBJECT_NAME.test(value);
}
