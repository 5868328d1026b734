import type { Secret } from './secret.js';

const MASK = '[redacted]';
/** Query parameters and header-like words whose values are masked even if nobody registered them. */
const SENSITIVE_QUERY =
  /([?&](?:access_token|token|api[_-]?key|apikey|key|password|secret|client_secret|signature|sig)=)[^&#\s"']+/gi;
const BASIC_AUTH_IN_URL = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+):([^/@\s]+)@/gi;
const BEARER = /(\b(?:bearer|token|basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

/**
 * Scrubs secrets out of text before it can reach a log, an error, `--json` output or a raw
 * table. It knows the exact values of the secrets of the current connection and, as a second
 * line of defence, masks credentials that look like credentials (URL passwords, `token=`
 * query parameters, `Bearer …`).
 */
export class Redactor {
  readonly #values = new Set<string>();

  constructor(secrets: Iterable<Secret | string> = []) {
    for (const item of secrets) this.add(item);
  }

  /** Registers a secret value; values shorter than 4 characters are ignored (they would mask ordinary words). */
  add(item: Secret | string): void {
    const value = typeof item === 'string' ? item : item.reveal();
    if (value.length >= 4) {
      this.#values.add(value);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) this.#values.add(encoded);
    }
  }

  redact(text: string): string {
    let result = text;
    for (const value of this.#values) {
      if (result.includes(value)) result = result.split(value).join(MASK);
    }
    return result
      .replace(BASIC_AUTH_IN_URL, `$1$2:${MASK}@`)
      .replace(SENSITIVE_QUERY, `$1${MASK}`)
      .replace(BEARER, `$1${MASK}`);
  }

  /**
   * Masks only the registered secret values — cheap enough for every payload of a sync
   * (the heuristic patterns of `redact` are for messages and URLs).
   */
  redactExact(text: string): string {
    let result = text;
    for (const value of this.#values) {
      if (result.includes(value)) result = result.split(value).join(MASK);
    }
    return result;
  }

  /** Redacts every string inside a JSON-like value, returning a copy. */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item)) as T;
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = this.redactValue(item);
      return copy as T;
    }
    return value;
  }

  /**
   * A copy of an error with its message, stack and cause chain redacted. Only those (and
   * `name`, `code`) are carried over: errors of HTTP libraries hold the request, its headers
   * and circular references, none of which belongs in a log.
   */
  redactError(error: unknown, depth = 0): Error {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    const copy = Object.create(Object.getPrototypeOf(error)) as Error;
    // Own properties, defined rather than assigned: some error classes (DOMException) only have getters for them.
    const define = (name: string, value: unknown) =>
      Object.defineProperty(copy, name, { value, enumerable: false, writable: true, configurable: true });
    define('message', this.redact(error.message));
    define('name', error.name);
    if (error.stack !== undefined) define('stack', this.redact(error.stack));
    const code = (error as { code?: unknown }).code;
    if (code !== undefined) define('code', code);
    if (error.cause !== undefined && depth < 5) define('cause', this.redactError(error.cause, depth + 1));
    for (const key of ['details', 'issues', 'status', 'method', 'url', 'attempts', 'source']) {
      if (Object.hasOwn(error, key)) define(key, this.redactValue((error as unknown as Record<string, unknown>)[key]));
    }
    return copy;
  }
}
