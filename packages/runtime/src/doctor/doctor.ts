import { stat } from 'node:fs/promises';
import { parseDatabaseUrl } from '@lake/sdk/host';
import { planInstall } from '../install/install-plan.js';
import { readInstallSet } from '../install/install-set.js';
import { readLockfile } from '../install/lockfile.js';
import { npmContext } from '../install/npm-options.js';
import { verifyInstall } from '../install/verify.js';
import { referencesIn } from '../manifest/interpolate.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { currentRelease, type RuntimeRelease } from '../project/runtime-release.js';
import { resolveConnectorContext } from '../run/connection-context.js';
import { databaseExists } from '../run/run-records.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { checkProjectSettings, describeSettingsIssues } from '../settings/project-settings.js';
import { signaturePolicy } from '../trust/signature-policy.js';

export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface DoctorOptions {
  environment?: NodeJS.ProcessEnv;
  release?: RuntimeRelease;
  cacheDirectory?: string;
}

/**
 * `lake doctor`: every reason a sync could fail before it starts — Node, manifest, lock and
 * signatures, installed files, references, settings, database, registry, key file
 * permissions — each checked on its own, so one failure does not hide the next. It changes
 * nothing: a database that does not exist yet is reported, not created.
 */
export async function runDoctor(paths: ProjectPaths, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const environment = options.environment ?? process.env;
  const release = options.release ?? (await currentRelease());
  const checks: DoctorCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const attempt = async (check: string, run: () => Promise<string>) => {
    try {
      add(check, true, await run());
    } catch (error) {
      add(check, false, (error as Error).message);
    }
  };

  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  add('node', major > 22 || (major === 22 && minor >= 12), `Node ${process.versions.node} (needs 22.12 or newer)`);

  let manifest: Manifest | undefined;
  await attempt('manifest', async () => {
    manifest = await loadManifest(paths);
    return `${paths.manifest}: ${Object.keys(manifest.connectors).length} connector(s), ${manifest.connections.length} connection(s)`;
  });
  if (!manifest) return checks;
  const loaded = manifest;

  await attempt('lock', async () => {
    const lock = await readLockfile(paths);
    if (!lock) throw new Error(`no ${paths.lock} (run \`lake install\`)`);
    // The same comparison `lake install --frozen` makes, without touching the registry for
    // what the lock already holds.
    await planInstall({
      paths,
      manifest: loaded,
      lock,
      release,
      npm: await npmContext(paths, loaded, environment, options.cacheDirectory),
      frozen: true,
      update: new Set(),
      followShipped: false,
      policy: await signaturePolicy(paths, loaded, environment),
      warn: () => {},
    });
    return `lake.lock matches lake.yaml (${Object.keys(lock.connectors).length} connector(s), written by runtime ${lock.runtime})`;
  });

  await attempt('installed', async () => {
    const results = await verifyInstall(paths);
    const bad = results.filter((result) => !result.ok);
    if (bad.length > 0)
      throw new Error(bad.map((result) => `${result.name}: ${result.problems.join('; ')}`).join(' · '));
    const set = await readInstallSet(paths);
    return `${Object.keys(set.connectors).length} connector(s) installed, files as installed`;
  });

  await attempt('references', async () => {
    const references = referencesIn({
      database: loaded.database,
      registry: loaded.registry,
      trust: loaded.trust,
      connections: loaded.connections,
    });
    // Named the way `lake sync` names them: connections[0].settings.token.
    await resolveReferences(paths, environment, loaded.database, 'database');
    if (loaded.registry?.token) await resolveReferences(paths, environment, loaded.registry.token, 'registry.token');
    await resolveReferences(paths, environment, loaded.trust?.keys ?? [], 'trust.keys');
    for (const [index, connection] of loaded.connections.entries()) {
      for (const scopeIndex of connection.scopes.keys()) {
        await resolveConnectorContext(paths, environment, loaded, index, scopeIndex);
      }
    }
    return references.length === 0 ? 'no references to resolve' : `${references.length} reference(s) resolve`;
  });

  await attempt('settings', async () => {
    const results = await checkProjectSettings(paths, loaded, { environment });
    const problems = [
      ...results.filter((result) => result.problem).map((result) => `${result.connection}: ${result.problem}`),
      ...describeSettingsIssues(results),
    ];
    if (problems.length > 0) throw new Error(problems.join(' · '));
    return `${results.length} connection(s) fit their connectors' schemas`;
  });

  await attempt('database', async () => {
    const url = (await resolveReferences(paths, environment, loaded.database, 'database')).value;
    // Opening a missing SQLite file would create it: say what the first sync will do instead.
    if (!(await databaseExists(url, paths.root))) {
      return `${(parseDatabaseUrl(url, paths.root) as { path: string }).path} does not exist yet; the first \`lake sync\` creates it`;
    }
    const { openStore } = await import('@lake/sdk');
    const store = await openStore(url, { cwd: paths.root });
    const description = store.description;
    await store.close();
    return `${description} reachable`;
  });

  await attempt('registry', async () => {
    const { registry } = await npmContext(paths, loaded, environment, options.cacheDirectory);
    const response = await fetch(new URL('-/ping', registry), { signal: AbortSignal.timeout(5_000) }).catch(
      (error: Error) => {
        throw new Error(`${registry} unreachable: ${(error.cause as Error | undefined)?.message ?? error.message}`);
      },
    );
    if (!response.ok) throw new Error(`${registry} answered ${response.status} to its ping`);
    return `${registry} reachable`;
  });

  await attempt('secret key', async () => {
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
  });
  return checks;
}
