import { stat } from 'node:fs/promises';
import { parseDatabaseUrl } from '@lake/sdk/host';
import { planInstall } from '../install/install-plan.js';
import { readInstallSet } from '../install/install-set.js';
import { readLockfile } from '../install/lockfile.js';
import { npmContext } from '../install/npm-options.js';
import { packageLabel } from '../install/package-kind.js';
import { verifyInstall } from '../install/verify.js';
import { referencesIn } from '../manifest/interpolate.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { RuntimeRelease } from '../project/runtime-release.js';
import { resolveConnectorContext } from '../run/connection-context.js';
import { databaseExists } from '../run/run-records.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { checkProjectSettings, describeSettingsIssues } from '../settings/project-settings.js';
import { signaturePolicy } from '../trust/signature-policy.js';
import type { DoctorOptions } from './doctor.js';

/** What every check of `lake doctor` reads: the project, its loaded manifest, the environment. */
export interface DoctorContext {
  paths: ProjectPaths;
  manifest: Manifest;
  environment: NodeJS.ProcessEnv;
  release: RuntimeRelease;
  options: DoctorOptions;
}

/** A check returns what it found when all is well and throws what is wrong otherwise. */
type Check = (doctor: DoctorContext) => Promise<string>;

/** The lock matches the manifest, as `lake install --frozen` would find it. */
async function checkLock({ paths, manifest, environment, release, options }: DoctorContext): Promise<string> {
  const lock = await readLockfile(paths);
  if (!lock) throw new Error(`no ${paths.lock} (run \`lake install\`)`);
  // The same comparison `lake install --frozen` makes, without touching the registry for
  // what the lock already holds.
  await planInstall({
    paths,
    manifest,
    lock,
    release,
    npm: await npmContext(paths, manifest, environment, options.cacheDirectory),
    frozen: true,
    update: new Set(),
    followShipped: false,
    policy: await signaturePolicy(paths, manifest, environment),
    warn: () => {},
  });
  return `lake.lock matches lake.yaml (${Object.keys(lock.connectors).length} connector(s), ${Object.keys(lock.metrics ?? {}).length} metric(s), written by runtime ${lock.runtime})`;
}

/** Installed connector files are as installed. */
async function checkInstalled({ paths }: DoctorContext): Promise<string> {
  const results = await verifyInstall(paths);
  const bad = results.filter((result) => !result.ok);
  if (bad.length > 0)
    throw new Error(bad.map((result) => `${packageLabel(result)}: ${result.problems.join('; ')}`).join(' · '));
  const set = await readInstallSet(paths);
  return `${Object.keys(set.connectors).length} connector(s) and ${Object.keys(set.metrics ?? {}).length} metric(s) installed, files as installed`;
}

/** Every secret reference of the manifest resolves. */
async function checkReferences({ paths, manifest, environment }: DoctorContext): Promise<string> {
  const references = referencesIn({
    database: manifest.database,
    registry: manifest.registry,
    trust: manifest.trust,
    connections: manifest.connections,
  });
  // Named the way `lake sync` names them: connections[0].settings.token.
  await resolveReferences(paths, environment, manifest.database, 'database');
  if (manifest.registry?.token) await resolveReferences(paths, environment, manifest.registry.token, 'registry.token');
  await resolveReferences(paths, environment, manifest.trust?.keys ?? [], 'trust.keys');
  for (const [index, connection] of manifest.connections.entries()) {
    for (const scopeIndex of connection.scopes.keys()) {
      await resolveConnectorContext(paths, environment, manifest, index, scopeIndex);
    }
  }
  return references.length === 0 ? 'no references to resolve' : `${references.length} reference(s) resolve`;
}

/** Every connection's settings fit its connector's schemas. */
async function checkSettings({ paths, manifest, environment }: DoctorContext): Promise<string> {
  const results = await checkProjectSettings(paths, manifest, { environment });
  const problems = [
    ...results.filter((result) => result.problem).map((result) => `${result.connection}: ${result.problem}`),
    ...describeSettingsIssues(results),
  ];
  if (problems.length > 0) throw new Error(problems.join(' · '));
  return `${results.length} connection(s) fit their connectors' schemas`;
}

/** The database is reachable, or does not exist yet. */
async function checkDatabase({ paths, manifest, environment }: DoctorContext): Promise<string> {
  const url = (await resolveReferences(paths, environment, manifest.database, 'database')).value;
  // Opening a missing SQLite file would create it: say what the first sync will do instead.
  if (!(await databaseExists(url, paths.root))) {
    return `${(parseDatabaseUrl(url, paths.root) as { path: string }).path} does not exist yet; the first \`lake sync\` creates it`;
  }
  const { openStore } = await import('@lake/sdk');
  const store = await openStore(url, { cwd: paths.root });
  const description = store.description;
  await store.close();
  return `${description} reachable`;
}

/** The npm registry answers its ping. */
async function checkRegistry({ paths, manifest, environment, options }: DoctorContext): Promise<string> {
  const { registry } = await npmContext(paths, manifest, environment, options.cacheDirectory);
  const response = await fetch(new URL('-/ping', registry), { signal: AbortSignal.timeout(5_000) }).catch(
    (error: Error) => {
      throw new Error(`${registry} unreachable: ${(error.cause as Error | undefined)?.message ?? error.message}`);
    },
  );
  if (!response.ok) throw new Error(`${registry} answered ${response.status} to its ping`);
  return `${registry} reachable`;
}

/** The secret key file, if any, is readable by its owner only. */
async function checkSecretKey({ paths, environment }: DoctorContext): Promise<string> {
  if (environment.LAKE_SECRET_KEY) return 'LAKE_SECRET_KEY is set';
  const info = await stat(paths.secretKey).catch(() => undefined);
  if (!info) return `no ${paths.secretKey} (created by \`lake secret set\`)`;
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${paths.secretKey} has mode ${mode.toString(8)}; others can read it (chmod 600 ${paths.secretKey})`,
    );
  }
  return `${paths.secretKey} is private (mode ${mode.toString(8)})`;
}

/** The checks after the manifest, in the order they are reported. */
export const DOCTOR_CHECKS: ReadonlyArray<readonly [name: string, check: Check]> = [
  ['lock', checkLock],
  ['installed', checkInstalled],
  ['references', checkReferences],
  ['settings', checkSettings],
  ['database', checkDatabase],
  ['registry', checkRegistry],
  ['secret key', checkSecretKey],
];
