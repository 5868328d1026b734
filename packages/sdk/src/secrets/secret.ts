import { z } from 'zod';

const REDACTED = '[redacted]';

/**
 * A secret value (token, password, key). It prints as `[redacted]` in every way a value
 * can leak — `String()`, template literals, `JSON.stringify`, `console.log`, util.inspect —
 * and hands out its value only through `reveal()`, which reads as a deliberate act.
 *
 *   const token = connection.token.reveal();
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** Marker put into the JSON Schema of a secret field (besides the standard `writeOnly: true`). */
export const SECRET_SCHEMA_KEYWORD = 'x-lake-secret';

/**
 * A secret field in a connection schema: a non-empty string in the input, a `Secret` after
 * parsing, and `writeOnly` + `x-lake-secret` in the published JSON Schema.
 *
 *   const connection = z.object({ token: secret().describe('Personal access token') });
 */
export function secret() {
  return z
    .string()
    .min(1, 'must not be empty')
    .transform((value) => new Secret(value))
    .meta({ writeOnly: true, [SECRET_SCHEMA_KEYWORD]: true });
}

/** Every Secret found anywhere inside a parsed value (objects, arrays, nested). */
export function collectSecrets(value: unknown, found: Secret[] = []): Secret[] {
  if (value instanceof Secret) {
    found.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectSecrets(item, found);
  }
  return found;
}
