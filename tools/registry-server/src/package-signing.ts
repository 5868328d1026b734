import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A signature as npm's registry publishes them in a version's `dist.signatures`. */
export interface PackageSignature {
  keyid: string;
  sig: string;
}

/**
 * The team's release key (ed25519). It signs `<name>@<version>:<integrity>` — npm's
 * registry-signature payload — for every tarball `pnpm release` publishes; runtimes trust its
 * public key through lake.yaml's `trust.keys`.
 */
export interface SigningKey {
  /** `SHA256:<base64 of the sha256 of the public key's DER>`, npm's key id format. */
  keyid: string;
  /** The public key as lake.yaml's `trust.keys` takes it: the base64 of its DER. */
  publicKey: string;
  sign(name: string, version: string, integrity: string): PackageSignature;
}

export function signingKey(privateKeyPem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    throw new Error('[lake] the signing key is not a PEM private key (create one with `pnpm release:keygen`)');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`[lake] the signing key is ${privateKey.asymmetricKeyType}; Lake signs with ed25519`);
  }
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const keyid = `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
  return {
    keyid,
    publicKey: der.toString('base64'),
    sign: (name, version, integrity) => ({
      keyid,
      sig: sign(null, Buffer.from(`${name}@${version}:${integrity}`), privateKey).toString('base64'),
    }),
  };
}

/** A new key pair: the private key as PEM (keep it secret, never commit it) and the key. */
export function generateSigningKey(): { privateKeyPem: string; key: SigningKey } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { privateKeyPem, key: signingKey(privateKeyPem) };
}

/**
 * The release key from the environment: `LAKE_SIGNING_KEY` (the PEM itself, for CI secrets)
 * or `LAKE_SIGNING_KEY_FILE` (a file holding it). Undefined when neither is set.
 */
export function signingKeyFromEnvironment(environment: NodeJS.ProcessEnv = process.env): SigningKey | undefined {
  if (environment.LAKE_SIGNING_KEY) return signingKey(environment.LAKE_SIGNING_KEY);
  if (environment.LAKE_SIGNING_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(environment.LAKE_SIGNING_KEY_FILE, 'utf8');
    } catch (error) {
      throw new Error(
        `[lake] cannot read LAKE_SIGNING_KEY_FILE ${environment.LAKE_SIGNING_KEY_FILE}: ${(error as Error).message}`,
      );
    }
    return signingKey(text);
  }
  return undefined;
}
