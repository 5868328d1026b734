import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type PublishedPackage,
  packageManagerEnvironment,
  publishTarball,
  type SigningKey,
} from '@lake-tools/registry-server';
import type { WorkspacePackage } from './workspace-packages.ts';

const run = promisify(execFile);

/** Whether the registry already has this version (it refuses a republish anyway; this skips it quietly). */
async function published(registryUrl: string, token: string, name: string, version: string): Promise<boolean> {
  const response = await fetch(`${registryUrl}${name.replace('/', '%2f')}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.npm.install-v1+json' },
  });
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`[lake] ${registryUrl} answered ${response.status} for ${name}`);
  const document = (await response.json()) as { versions?: Record<string, unknown> };
  return version in (document.versions ?? {});
}

/**
 * Publishes each package whose version the registry does not have yet, the way `changeset
 * publish` would — packed by pnpm, so `workspace:` ranges become versions — but signed: the
 * tarball is packed here, its integrity signed with the release key, and the signature sent in
 * the version's `dist.signatures` (npm's own place for registry signatures; verdaccio keeps it
 * in both forms of the packument it serves). `changeset publish` hands packing and the
 * document to npm, which offers no way to add a signature of what it packed.
 */
export async function publishSigned(
  packages: readonly WorkspacePackage[],
  registryUrl: string,
  token: string,
  key: SigningKey,
  log: (line: string) => void,
): Promise<PublishedPackage[]> {
  const done: PublishedPackage[] = [];
  for (const pkg of packages) {
    const { name, version } = pkg.manifest;
    if (await published(registryUrl, token, name, version)) {
      log(`  ${name}@${version} is in the registry`);
      continue;
    }
    const destination = await mkdtemp(join(tmpdir(), 'lake-release-pack-'));
    try {
      await run('pnpm', ['pack', '--pack-destination', destination], {
        cwd: pkg.directory,
        env: packageManagerEnvironment(),
      });
      const [file] = (await readdir(destination)).filter((entry) => entry.endsWith('.tgz'));
      if (!file) throw new Error(`[lake] pnpm pack left no tarball for ${name}`);
      const result = await publishTarball(registryUrl, token, join(destination, file), { signWith: [key] });
      log(`  published ${name}@${version} (${result.integrity.slice(0, 20)}…, signed by ${key.keyid})`);
      done.push(result);
    } finally {
      await rm(destination, { recursive: true, force: true });
    }
  }
  return done;
}
