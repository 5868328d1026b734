import { RuntimeError } from '../errors.js';

/** Resolves a `${…}` reference: an environment variable name, or `secret:<name>`. */
export type ReferenceResolver = (reference: string) => string | undefined;

export interface Interpolated<T> {
  value: T;
  /** Every value substituted in: treated as secrets (redacted from logs and output). */
  substituted: string[];
}

const REFERENCE = /\$(\$)?\{([^}]*)\}/g;
const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^secret:[A-Za-z0-9._-]+$/;

/**
 * Replaces `${NAME}` (environment) and `${secret:name}` (the project's encrypted secret store)
 * in every string of `value`; `$${…}` stays literal `${…}`. The manifest on disk only ever
 * holds the reference, so no secret is written there in clear.
 */
export function interpolate<T>(value: T, resolve: ReferenceResolver, path: string): Interpolated<T> {
  const substituted: string[] = [];
  const visit = (current: unknown, at: string): unknown => {
    if (typeof current === 'string') {
      return current.replace(REFERENCE, (_whole, escaped: string | undefined, reference: string) => {
        if (escaped) return `\${${reference}}`;
        if (!ENVIRONMENT_NAME.test(reference) && !SECRET_NAME.test(reference)) {
          throw new RuntimeError(
            'MANIFEST_INVALID',
            `${at}: "\${${reference}}" is not a reference (use \${ENV_VAR} or \${secret:name}; $\${…} for a literal)`,
          );
        }
        const resolved = resolve(reference);
        if (resolved === undefined) {
          throw new RuntimeError(
            'SECRET_MISSING',
            reference.startsWith('secret:')
              ? `${at}: secret "${reference.slice(7)}" is not in the secret store (set it with \`lake secret set ${reference.slice(7)}\`)`
              : `${at}: environment variable ${reference} is not set`,
            { details: { path: at, reference } },
          );
        }
        substituted.push(resolved);
        return resolved;
      });
    }
    if (Array.isArray(current)) return current.map((item, index) => visit(item, `${at}[${index}]`));
    if (current !== null && typeof current === 'object') {
      return Object.fromEntries(Object.entries(current).map(([key, item]) => [key, visit(item, `${at}.${key}`)]));
    }
    return current;
  };
  return { value: visit(value, path) as T, substituted };
}

/** The references a value makes, e.g. for `lake doctor` to check that they all resolve. */
export function referencesIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (current: unknown) => {
    if (typeof current === 'string') {
      for (const match of current.matchAll(REFERENCE)) if (!match[1] && match[2]) found.push(match[2]);
    } else if (Array.isArray(current)) current.forEach(visit);
    else if (current !== null && typeof current === 'object') Object.values(current).forEach(visit);
  };
  visit(value);
  return found;
}
