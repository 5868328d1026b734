import { LakeError } from '../errors/lake-error.js';
import type { DatabaseLocation, DialectFactory } from './dialects/dialect-factory.js';
import { DIALECTS, type DialectName } from './dialects/registry.js';

export type { DatabaseLocation } from './dialects/dialect-factory.js';
export type { DialectName } from './dialects/registry.js';

/** The embedded default: a SQLite file under `.lake/` of the current directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:.lake/lake.db';

/**
 * Parses the database URLs Lake accepts, each dialect's by its scheme (`DIALECTS`):
 *   sqlite:<path>            relative to `cwd`, or absolute; `sqlite::memory:` for an in-memory database
 *   postgres://… / postgresql://…
 *   mysql://… / mariadb://…  (MariaDB speaks the MySQL protocol)
 */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseLocation {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase();
  const entry = Object.entries(DIALECTS).find(([, factory]) => scheme && factory.schemes.includes(scheme));
  const expected = Object.values(DIALECTS).map((factory) => factory.example);
  const list = `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}`;
  if (!entry) {
    try {
      new URL(url);
    } catch {
      throw invalid(url, `expected ${list}`);
    }
    throw invalid(url, `unsupported scheme ${scheme} (expected ${list})`);
  }
  const [dialect, factory] = entry as [DialectName, DialectFactory];
  let located: ReturnType<DialectFactory['locate']>;
  try {
    located = factory.locate(url, cwd);
  } catch {
    throw invalid(url, `expected ${list}`);
  }
  if (typeof located === 'string') throw invalid(url, located);
  return { dialect, ...located };
}

/** Query parameters whose values are credentials (libpq's and the drivers' names). */
const SECRET_PARAMETER =
  /([?&](?:password|passwd|pwd|pass|sslpassword|sslkey|sslcert|secret|token|access_token|api[_-]?key)=)[^&#\s'"]*/gi;
/** Where a URL starts in a text (drivers echo URLs inside their messages). */
const URL_START = /\b[a-z][a-z0-9+.-]*:\/\//gi;

/**
 * A database URL — or a message with database URLs in it — with the passwords masked, for
 * logs and errors: the password of the userinfo (everything from the first `:` up to the
 * LAST `@` before the host, so a password with an unencoded `@` is masked whole) and the
 * values of password-like query parameters (`?password=`, `sslpassword`, `sslkey`, …).
 *
 *   describeDatabaseUrl('postgres://lake:p@ss@db:5432/lake?sslpassword=x')
 *   // 'postgres://lake:[redacted]@db:5432/lake?sslpassword=[redacted]'
 */
export function describeDatabaseUrl(url: string): string {
  let result = '';
  let from = 0;
  const starts = [...url.matchAll(URL_START)];
  for (const [position, match] of starts.entries()) {
    if (match.index < from) continue;
    const authority = match.index + match[0].length;
    // The userinfo ends at the last '@' before the query, the fragment, a quote or the next
    // URL: an unencoded password may hold '/', '@' and even spaces, so none of them ends it.
    const next = starts[position + 1]?.index ?? url.length;
    const stop = url.slice(authority, next).search(/[?#'"<>]/);
    const end = stop === -1 ? next : authority + stop;
    const at = url.lastIndexOf('@', end);
    const colon = url.indexOf(':', authority);
    if (at > authority && colon !== -1 && colon < at) {
      result += `${url.slice(from, colon)}:[redacted]`;
      from = at;
    }
  }
  return (result + url.slice(from)).replace(SECRET_PARAMETER, '$1[redacted]');
}

/**
 * The credentials a database URL carries (the userinfo's password, password-like query
 * parameters), decoded as the driver sees them: registered with a Redactor, they are masked
 * wherever a driver's message echoes them, URL or not.
 */
export function databaseUrlSecrets(url: string): string[] {
  const secrets: string[] = [];
  const decoded = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^?#]*)@/i.exec(url);
  const colon = authority?.[1]?.indexOf(':') ?? -1;
  if (authority && colon !== -1) secrets.push(decoded(authority[1]!.slice(colon + 1)));
  for (const match of url.matchAll(SECRET_PARAMETER)) {
    const value = match[0].slice(match[1]!.length);
    if (value) secrets.push(decoded(value));
  }
  return secrets.filter((secret) => secret.length > 0);
}

function invalid(url: string, reason: string): LakeError {
  return new LakeError('DATABASE_URL_INVALID', `invalid database URL ${describeDatabaseUrl(url)}: ${reason}`);
}
