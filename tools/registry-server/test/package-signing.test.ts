import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  generateSigningKey,
  publishTarball,
  type RunningRegistry,
  signingKey,
  signingKeyFromEnvironment,
  startRegistry,
} from '../src/index.ts';

describe('release signatures', () => {
  let directory: string;
  let registry: RunningRegistry;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-signing-'));
    registry = await startRegistry({ directory: join(directory, 'registry'), port: 0 });
  });
  afterAll(async () => {
    await registry.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('reads the key from LAKE_SIGNING_KEY or LAKE_SIGNING_KEY_FILE, and refuses what is not an ed25519 key', async () => {
    const { privateKeyPem, key } = generateSigningKey();
    expect(signingKeyFromEnvironment({})).toBeUndefined();
    expect(signingKeyFromEnvironment({ LAKE_SIGNING_KEY: privateKeyPem })?.keyid).toBe(key.keyid);
    const file = join(directory, 'key.pem');
    await writeFile(file, privateKeyPem, { mode: 0o600 });
    expect(signingKeyFromEnvironment({ LAKE_SIGNING_KEY_FILE: file })?.publicKey).toBe(key.publicKey);
    expect(() => signingKeyFromEnvironment({ LAKE_SIGNING_KEY_FILE: join(directory, 'none.pem') })).toThrow(
      'cannot read LAKE_SIGNING_KEY_FILE',
    );
    expect(() => signingKey('not a key')).toThrow('is not a PEM private key');
    const rsa = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], {
      encoding: 'utf8',
    });
    expect(() => signingKey(rsa)).toThrow('the signing key is rsa; Lake signs with ed25519');
  });

  it("publishes a tarball with npm's dist.signatures over name@version:integrity, which the registry keeps", async () => {
    const { token } = await addUser(registry.url, 'signer', 'a-long-passphrase');
    const { key } = generateSigningKey();
    const packageDirectory = join(directory, 'package');
    await mkdir(packageDirectory, { recursive: true });
    await writeFile(
      join(packageDirectory, 'package.json'),
      JSON.stringify({ name: '@lake/signed-test', version: '1.0.0' }),
    );
    execFileSync('npm', ['pack', '--pack-destination', directory], { cwd: packageDirectory, stdio: 'ignore' });
    const tarball = (await readdir(directory)).find((file) => file.endsWith('.tgz'))!;
    const published = await publishTarball(registry.url, token, await readFile(join(directory, tarball)), {
      signWith: [key],
    });
    // Both forms of the packument: the full one and the abbreviated one installers read.
    for (const accept of ['application/json', 'application/vnd.npm.install-v1+json']) {
      const response = await fetch(`${registry.url}@lake%2fsigned-test`, {
        headers: { authorization: `Bearer ${token}`, accept },
      });
      const document = (await response.json()) as {
        versions: Record<string, { dist: { integrity: string; signatures: Array<{ keyid: string; sig: string }> } }>;
      };
      const { integrity, signatures } = document.versions['1.0.0']!.dist;
      expect(integrity).toBe(published.integrity);
      expect(signatures.map((signature) => signature.keyid)).toEqual([key.keyid]);
      const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
      const payload = Buffer.from(`@lake/signed-test@1.0.0:${integrity}`);
      expect(verify(null, payload, publicKey, Buffer.from(signatures[0]!.sig, 'base64'))).toBe(true);
      expect(
        verify(null, Buffer.from('@lake/signed-test@1.0.1:x'), publicKey, Buffer.from(signatures[0]!.sig, 'base64')),
      ).toBe(false);
    }
  });
});
