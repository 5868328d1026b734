import { createHash } from 'node:crypto';

const DIGEST_LENGTH = 16;

/**
 * `value` if it has at most `maxLength` characters, else a shortened form that is still
 * unique and always the same for the same value: its first characters, `~`, and the first 16
 * hex digits of the SHA-256 of the whole value (`refs/tags/very-long…~3f2a9c0d1e4b5a67`).
 * `~` cannot occur in a git ref name, so a shortened ref name never equals a real one.
 *
 * DevLake's domain columns are `varchar(255)` (`refs.id` 500): PostgreSQL and MySQL refuse
 * longer values, and git allows much longer names. Lengths are counted in characters (code
 * points), as both databases count them.
 */
export function fitToLength(value: string, maxLength: number): string {
  // UTF-16 length is at least the number of code points: most values are accepted here.
  if (value.length <= maxLength) return value;
  const characters = Array.from(value);
  if (characters.length <= maxLength) return value;
  const digest = createHash('sha256').update(value).digest('hex').slice(0, DIGEST_LENGTH);
  return `${characters.slice(0, Math.max(0, maxLength - DIGEST_LENGTH - 1)).join('')}~${digest}`;
}
