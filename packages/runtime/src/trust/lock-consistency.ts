import { RuntimeError } from '../errors.js';
import type { Lockfile } from '../install/lockfile.js';
import { entryOf, packageRefs, sectionOf } from '../install/package-kind.js';

/**
 * A connector's top-level `version` and `integrity` repeat what its own package's entry in
 * the closure says (`packages["node_modules/<package>"]`), and that entry is what an install
 * checks the tarball's bytes against. So the top-level values are derived, and an edited one
 * is refused here — before it can reach an install record, a verify or a sync — instead of
 * being believed on its own.
 */
export function checkLockConsistency(file: string, lock: Lockfile): void {
  for (const ref of packageRefs(lock)) {
    const entry = entryOf(lock, ref)!;
    const name = `${sectionOf(ref.kind)}.${ref.name}`;
    const location = `node_modules/${entry.package}`;
    const own = entry.packages[location];
    if (!own) {
      throw new RuntimeError(
        'LOCK_INVALID',
        `${file}: ${name}.packages has no "${location}", the connector's own package; restore lake.lock from version control or run \`lake install\` after removing the entry`,
      );
    }
    for (const field of ['version', 'integrity'] as const) {
      if (entry[field] !== own[field]) {
        throw new RuntimeError(
          'INTEGRITY_MISMATCH',
          `${file}: ${name}.${field} is ${entry[field]}, but the tarball it installs (packages["${location}"], the entry an install checks the bytes against) has ${own[field]}: lake.lock was edited; restore it from version control`,
          { details: { connector: ref.name, kind: ref.kind, field, top: entry[field], package: own[field] } },
        );
      }
    }
    for (const signed of Object.keys(entry.signatures ?? {})) {
      if (!(signed in entry.packages)) {
        throw new RuntimeError(
          'LOCK_INVALID',
          `${file}: ${name}.signatures names "${signed}", which is not in its packages`,
        );
      }
    }
  }
}
