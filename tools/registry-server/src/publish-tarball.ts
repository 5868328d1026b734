import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { packageManagerEnvironment } from './child-environment.ts';
import type { SigningKey } from './package-signing.ts';
import { RegistryError } from './registry-users.ts';

const run = promisify(execFile);

export interface PublishedPackage {
  name: string;
  version: string;
  integrity: string;
}

export interface PublishOptions {
  /**
   * Signs the tarball's integrity; the signatures go into the version's `dist.signatures`,
   * where npm's own registry puts its signatures and where `lake install` reads them.
   */
  signWith?: readonly SigningKey[];
}

/**
 * Publishes a packed tarball (`npm pack` / `pnpm pack` output) through the registry API npm
 * itself uses: one PUT of the package document with the tarball attached. For tools and
 * tests that publish many small packages without starting a package manager for each.
 */
export async function publishTarball(
  registryUrl: string,
  token: string,
  tarball: string | Buffer,
  options: PublishOptions = {},
): Promise<PublishedPackage> {
  const bytes = typeof tarball === 'string' ? await readFile(tarball) : tarball;
  const manifest = readPackageJson(bytes);
  const name = String(manifest.name);
  const version = String(manifest.version);
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  const file = `${name.split('/').at(-1)}-${version}.tgz`;
  const document = {
    _id: name,
    name,
    description: manifest.description ?? '',
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: {
          integrity,
          shasum: createHash('sha1').update(bytes).digest('hex'),
          tarball: `${registryUrl}${name}/-/${file}`,
          ...(options.signWith && options.signWith.length > 0
            ? { signatures: options.signWith.map((key) => key.sign(name, version, integrity)) }
            : {}),
        },
      },
    },
    access: 'restricted',
    _attachments: {
      [file]: { content_type: 'application/octet-stream', data: bytes.toString('base64'), length: bytes.length },
    },
  };
  const response = await fetch(`${registryUrl}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(document),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new RegistryError(
      `[lake] registry refused ${name}@${version}: ${body.error ?? response.statusText} (${response.status})`,
      response.status,
    );
  }
  return { name, version, integrity };
}

/** `package/package.json` out of a gzipped tar, read with nothing but zlib. */
function readPackageJson(tarball: Buffer): Record<string, unknown> {
  const tar = gunzipSync(tarball);
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const path = prefix ? `${prefix}/${name}` : name;
    const body = offset + 512;
    if (/^[^/]+\/package\.json$/.test(path)) return JSON.parse(tar.subarray(body, body + size).toString('utf8'));
    offset = body + Math.ceil(size / 512) * 512;
  }
  throw new Error('[lake] the tarball has no package/package.json');
}

/**
 * Packs a workspace package with pnpm (which turns `workspace:` ranges into the versions the
 * packages have) and publishes the tarball. The child gets `packageManagerEnvironment()`.
 */
export async function packAndPublish(
  registryUrl: string,
  token: string,
  directory: string,
  options: PublishOptions = {},
): Promise<PublishedPackage> {
  const destination = await mkdtemp(join(tmpdir(), 'lake-pack-'));
  try {
    await run('pnpm', ['pack', '--pack-destination', destination], {
      cwd: directory,
      env: packageManagerEnvironment(),
    });
    const [file] = (await readdir(destination)).filter((name) => name.endsWith('.tgz'));
    if (!file) throw new Error(`[lake] pnpm pack left no tarball for ${directory}`);
    return await publishTarball(registryUrl, token, join(destination, file), options);
  } finally {
    await rm(destination, { recursive: true, force: true });
  }
}
