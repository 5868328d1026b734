import type { Secret } from './secret.js';

const MASK = '[redacted]';
/** Fragments shorter than this could occur by chance in ordinary base64 data. */
const MIN_BASE64_FRAGMENT = 8;
const BASE64_CHARACTER = /[A-Za-z0-9+/\-_]/;
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
  /** Stretches of the base64 encodings of the secrets (see `base64Fragments`). */
  readonly #base64 = new Set<string>();

  constructor(secrets: Iterable<Secret | string> = []) {
    for (const item of secrets) this.add(item);
  }

  /**
   * Registers a secret value; values shorter than 4 characters are ignored (they would mask
   * ordinary words). Its URL-encoded and JSON-escaped forms are masked too, and its base64
   * forms (`Authorization: Basic base64("user:" + token)`).
   */
  add(item: Secret | string): void {
    const value = typeof item === 'string' ? item : item.reveal();
    if (value.length < 4) return;
    this.#values.add(value);
    for (const form of [encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
      if (form !== value) this.#values.add(form);
    }
    for (const fragment of base64Fragments(value)) this.#base64.add(fragment);
  }

  redact(text: string): string {
    return this.redactExact(text)
      .replace(BASIC_AUTH_IN_URL, `$1$2:${MASK}@`)
      .replace(SENSITIVE_QUERY, `$1${MASK}`)
      .replace(BEARER, `$1${MASK}`);
  }

  /**
   * Masks only the registered secret values and their encodings — cheap enough for every
   * payload of a sync (the heuristic patterns of `redact` are for messages and URLs).
   */
  redactExact(text: string): string {
    let result = text;
    for (const value of this.#values) {
      if (result.includes(value)) result = result.split(value).join(MASK);
    }
    for (const fragment of this.#base64) {
      if (result.includes(fragment)) result = maskBase64Words(result, fragment);
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

/**
 * The stretches of base64 text that only `value` determines, wherever it sits in the encoded
 * bytes. Base64 turns 3 bytes into 4 characters, so a secret preceded by n bytes (n mod 3 =
 * 0, 1, 2) encodes in one of three ways; in each, the characters at its two ends also carry
 * bits of the neighbouring bytes and are left out. Both alphabets: base64 and base64url.
 */
export function base64Fragments(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const fragments = new Set<string>();
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Characters before `start` hold bits of the bytes before the secret (offset 1: two, offset 2: three).
    const start = [0, 2, 3][offset]!;
    const total = offset + bytes.length;
    // Characters from `end` on hold bits of the bytes after it (or padding).
    const end = Math.floor(total / 3) * 4 + [0, 1, 2][total % 3]!;
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) {
      fragments.add(fragment);
      fragments.add(fragment.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return [...fragments];
}

/**
 * Replaces every base64 word that contains `fragment` with the mask. The whole word goes, not
 * only the fragment: the characters around it still carry bits of the secret, and a half-masked
 * base64 string would look like a valid one that decodes to garbage. `Basic dXNlcjpzM2NyZXQ=`
 * becomes `Basic [redacted]`.
 */
function maskBase64Words(text: string, fragment: string): string {
  let result = '';
  let from = 0;
  for (let at = text.indexOf(fragment); at !== -1; at = text.indexOf(fragment, from)) {
    let start = at;
    while (start > from && BASE64_CHARACTER.test(text[start - 1]!)) start -= 1;
    let end = at + fragment.length;
    while (end < text.length && BASE64_CHARACTER.test(text[end]!)) end += 1;
    while (text[end] === '=') end += 1;
    result += `${text.slice(from, start)}${MASK}`;
    from = end;
  }
  return result + text.slice(from);
}
