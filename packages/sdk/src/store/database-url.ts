import { isAbsolute, resolve } from 'node:path';
import { LakeError } from '../errors/lake-error.js';

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

export type DatabaseLocation =
  | { dialect: 'sqlite' /** absolute path, or ':memory:' */; path: string }
  | { dialect: 'postgres' | 'mysql'; url: string };

/** The embedded default: a SQLite file under `.lake/` of the current directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:.lake/lake.db';

/**
 * Parses the database URLs Lake accepts:
 *   sqlite:<path>            relative to `cwd`, or absolute; `sqlite::memory:` for an in-memory database
 *   postgres://… / postgresql://…
 *   mysql://… / mariadb://…  (MariaDB speaks the MySQL protocol)
 */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs/path
    if (path === '') throw invalid(url, 'sqlite: needs a file path, e.g. sqlite:.lake/lake.db');
    if (path === ':memory:') return { dialect: 'sqlite', path };
    return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'expected sqlite:<path>, postgres://… or mysql://…');
  }
  switch (parsed.protocol) {
    case 'postgres:':
    case 'postgresql:':
      return { dialect: 'postgres', url };
    case 'mysql:':
    case 'mariadb:':
      parsed.protocol = 'mysql:';
      return { dialect: 'mysql', url: parsed.toString() };
    default:
      throw invalid(url, `unsupported scheme ${parsed.protocol} (expected sqlite:, postgres:// or mysql://)`);
  }
}

/** The URL with its password masked, for logs and errors. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/(\/\/[^/@:]+):[^/@]*@/, '$1:[redacted]@');
}

function invalid(url: string, reason: string): LakeError {
  return new LakeError('DATABASE_URL_INVALID', `invalid database URL ${describeDatabaseUrl(url)}: ${reason}`);
}
