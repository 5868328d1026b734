import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { currentRelease, type RuntimeRelease } from '../project/runtime-release.js';
import { DOCTOR_CHECKS } from './doctor-checks.js';

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
  const doctor = { paths, manifest, environment, release, options };
  for (const [name, check] of DOCTOR_CHECKS) await attempt(name, () => check(doctor));
  return checks;
}
