import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  credentialsKey,
  npmrcFor,
  type RunningRegistry,
  registryUrl,
  startRegistry,
  verdaccioConfig,
} from '../src/index.ts';

/** Publishes a minimal package document straight through the registry API (what npm publish sends). */
async function publish(url: string, name: string, version: string, token?: string): Promise<Response> {
  const tarball = Buffer.from('not really a tarball').toString('base64');
  return fetch(`${url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      _id: name,
      name,
      'dist-tags': { latest: version },
      versions: { [version]: { name, version, dist: { tarball: `${url}${name}/-/x-${version}.tgz` } } },
      _attachments: { [`x-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball, length: 20 } },
    }),
  });
}

describe('the private registry', () => {
  let directory: string;
  let closed: RunningRegistry;
  let open: RunningRegistry;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-registry-'));
    closed = await startRegistry({ directory: join(directory, 'closed'), port: 0 });
    open = await startRegistry({
      directory: join(directory, 'open'),
      port: 0,
      anonymousRead: true,
      allowOtherScopes: true,
      registration: true,
    });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('lets authenticated users publish @lake packages, and only them read them by default', async () => {
    const { token } = await addUser(closed.url, 'alice', 'correct horse battery');
    expect((await publish(closed.url, '@lake/example', '1.0.0', token)).status).toBe(201);
    expect((await fetch(`${closed.url}@lake%2fexample`)).status).toBe(401);
    const read = await fetch(`${closed.url}@lake%2fexample`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await read.json()) as { 'dist-tags': { latest: string } })['dist-tags'].latest).toBe('1.0.0');
    expect((await publish(closed.url, 'unscoped-package', '1.0.0', token)).status).toBe(403);
    expect((await publish(closed.url, '@lake/example', '2.0.0')).status).toBe(401);
    // No uplink: nothing from the public registry.
    expect((await fetch(`${closed.url}left-pad`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('can allow anonymous reading and other scopes, and logs requests to a file', async () => {
    const { token } = await addUser(open.url, 'bob', 'another long passphrase');
    expect((await publish(open.url, '@lake/shared', '1.0.0', token)).status).toBe(201);
    expect((await fetch(`${open.url}@lake%2fshared`)).status).toBe(200);
    expect((await publish(open.url, 'unscoped-package', '1.0.0', token)).status).toBe(201);
    // Verdaccio's logger is process-wide: the first registry of this process owns the log file.
    expect(await readFile(join(directory, 'closed', 'verdaccio.log'), 'utf8')).toContain(
      "requested 'PUT /@lake%2fshared'",
    );
  });

  it('configures verdaccio from Lake’s options', () => {
    const config = verdaccioConfig({ directory: '/srv/registry', uplink: true, registration: false }) as {
      uplinks: Record<string, { url: string }>;
      packages: Record<string, Record<string, string>>;
      auth: { htpasswd: { max_users: number } };
    };
    expect(config.uplinks.npmjs?.url).toBe('https://registry.npmjs.org/');
    expect(config.packages['@lake/*']).toEqual({
      access: '$authenticated',
      publish: '$authenticated',
      unpublish: '$authenticated',
    });
    expect(config.packages['@lake/*']?.proxy).toBeUndefined();
    expect(config.packages['**']?.proxy).toBe('npmjs');
    expect(config.auth.htpasswd.max_users).toBe(-1);
  });

  it('takes its address from LAKE_REGISTRY_URL, and writes npm config lines for a token', () => {
    expect(registryUrl({})).toBe('http://127.0.0.1:4873/');
    expect(registryUrl({ LAKE_REGISTRY_URL: 'https://npm.lake.internal/registry' })).toBe(
      'https://npm.lake.internal/registry/',
    );
    expect(credentialsKey('https://npm.lake.internal/registry/')).toBe('//npm.lake.internal/registry/');
    expect(npmrcFor('http://127.0.0.1:4873/', 't0k3n', { scopeOnly: true })).toBe(
      '@lake:registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=t0k3n\n',
    );
  });
});
