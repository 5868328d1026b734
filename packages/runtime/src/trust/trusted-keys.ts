import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** A public key lake.yaml trusts to sign connector packages. */
export interface TrustedKey {
  /** `SHA256:<base64 of the sha256 of the key's DER>`, npm's key id format. */
  keyid: string;
  key: KeyObject;
}

/**
 * An ed25519 public key as lake.yaml writes it: the base64 of its DER (SubjectPublicKeyInfo,
 * one line, as npm's `/-/npm/v1/keys` publishes keys), or a PEM block.
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new Error(
      'not a public key (expected the base64 of an ed25519 public key, as `pnpm release:keygen` prints it)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key; Lake signatures are ed25519`);
  }
  return key;
}

export function keyIdOf(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

export function trustedKey(text: string): TrustedKey {
  const key = parsePublicKey(text);
  return { keyid: keyIdOf(key), key };
}
