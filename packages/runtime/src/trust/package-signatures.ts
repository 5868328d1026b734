import { verify } from 'node:crypto';
import type { PackageSignature } from '../install/lockfile.js';
import type { TrustedKey } from './trusted-keys.js';

/** What a signature covers: npm's registry-signature payload, `<name>@<version>:<integrity>`. */
export function signaturePayload(name: string, version: string, integrity: string): string {
  return `${name}@${version}:${integrity}`;
}

export interface SignedPackage {
  name: string;
  version: string;
  integrity: string;
}

/** `dist.signatures` of a packument, or a lock's record, as a list; anything else as none. */
export function signaturesIn(value: unknown): PackageSignature[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  return list.filter(
    (item): item is PackageSignature =>
      item !== null &&
      typeof item === 'object' &&
      typeof (item as PackageSignature).keyid === 'string' &&
      typeof (item as PackageSignature).sig === 'string',
  );
}

/** The first of `signatures` made by one of `keys` over `pkg`, or undefined. */
export function validSignature(
  keys: readonly TrustedKey[],
  pkg: SignedPackage,
  signatures: readonly PackageSignature[],
): PackageSignature | undefined {
  const payload = Buffer.from(signaturePayload(pkg.name, pkg.version, pkg.integrity));
  for (const signature of signatures) {
    const key = keys.find((candidate) => candidate.keyid === signature.keyid);
    if (!key) continue;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(signature.sig, 'base64');
    } catch {
      continue;
    }
    if (verify(null, payload, key.key, bytes)) return { keyid: signature.keyid, sig: signature.sig };
  }
  return undefined;
}
