import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import { parseMemoized } from '../project/parse-memo.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { checkLockConsistency } from '../trust/lock-consistency.js';
import { readLockText } from './lock-text.js';

export const LOCKFILE_VERSION = 1;

/**
 * One package of a connector's dependency closure, as npm's lockfile (v3) records it at
 * `node_modules/<path>`: exact version, the tarball it came from, its sha512 integrity, and
 * its own dependency ranges (so the tree can be rebuilt from the lock alone).
 */
export const lockedPackageSchema = z
  .object({
    version: z.string(),
    resolved: z.string(),
    integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/, 'expected a sha512 integrity'),
  })
  .catchall(z.unknown());

/** A signature of `<name>@<version>:<integrity>` by a key lake.yaml trusts (npm's `dist.signatures` format). */
export const packageSignatureSchema = z.strictObject({
  keyid: z.string().min(1),
  sig: z.string().min(1),
});

export const lockedConnectorSchema = z.strictObject({
  package: z.string(),
  /** What lake.yaml asked for: `shipped`, a range, `path:<dir>` or `tarball:<file>`. */
  requested: z.string(),
  source: z.enum(['registry', 'path', 'tarball']),
  version: z.string(),
  resolved: z.string(),
  integrity: z.string(),
  /** The connector's `lake.contract` range. */
  contract: z.string(),
  domainTypes: z.array(z.string()),
  /** Path of the connector CLI inside its package. */
  bin: z.string(),
  /** Accepted below the runtime's shipped version (`--allow-downgrade`). */
  allowDowngrade: z.boolean().optional(),
  packages: z.record(z.string(), lockedPackageSchema),
  /**
   * Digest of the installed directory's file manifest (`filesDigest`): what `lake sync` and
   * `lake verify` compare the directory with. Absent in locks written before it existed.
   */
  filesDigest: z
    .string()
    .regex(/^sha256-[A-Za-z0-9+/]+=*$/, 'expected a sha256 digest')
    .optional(),
  /** The verified signature of each `@lake/*` package of the closure, by location. */
  signatures: z.record(z.string(), packageSignatureSchema).optional(),
});

export const lockfileSchema = z.strictObject({
  lockfileVersion: z.literal(LOCKFILE_VERSION),
  /** The runtime release whose shipped pins this lock follows. */
  runtime: z.string(),
  connectors: z.record(z.string(), lockedConnectorSchema),
  /** Metric packages, locked exactly as connectors are; absent when lake.yaml lists none. */
  metrics: z.record(z.string(), lockedConnectorSchema).optional(),
});

export type PackageSignature = z.output<typeof packageSignatureSchema>;
export type LockedPackage = z.output<typeof lockedPackageSchema>;
export type LockedConnector = z.output<typeof lockedConnectorSchema>;
export type Lockfile = z.output<typeof lockfileSchema>;

const HEADER = '# lake.lock: written by `lake install`; do not edit. Commit it with lake.yaml.\n';

export async function readLockfile(paths: ProjectPaths): Promise<Lockfile | undefined> {
  const text = await readLockText(paths);
  if (text === undefined) return undefined;
  return parseMemoized(paths.lock, text, (lockText) => parseLockfile(paths, lockText));
}

function parseLockfile(paths: ProjectPaths, text: string): Lockfile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RuntimeError('LOCK_INVALID', `${paths.lock} is not valid YAML: ${(error as Error).message}`);
  }
  const version = (raw as { lockfileVersion?: unknown } | null)?.lockfileVersion;
  if (version !== LOCKFILE_VERSION) {
    throw new RuntimeError(
      'LOCK_INVALID',
      `${paths.lock} has lockfileVersion ${String(version)}; this runtime reads version ${LOCKFILE_VERSION}`,
    );
  }
  const parsed = lockfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new RuntimeError('LOCK_INVALID', `${paths.lock} is damaged: ${issues.join('; ')}`);
  }
  checkLockConsistency(paths.lock, parsed.data);
  return parsed.data;
}

/** The lock as text: keys sorted, so the same install always writes the same bytes. */
export function formatLockfile(lock: Lockfile): string {
  return HEADER + stringify(sortKeys(lock), { lineWidth: 0 });
}

/** Whether two locks say the same, whatever order their keys came in. */
export function sameLockfile(a: Lockfile, b: Lockfile): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

export async function writeLockfile(paths: ProjectPaths, lock: Lockfile): Promise<void> {
  await writeFileAtomic(paths.lock, formatLockfile(lock));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // lockfileVersion first, for whoever opens the file.
    entries.sort(([a], [b]) => Number(b === 'lockfileVersion') - Number(a === 'lockfileVersion'));
    return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}
