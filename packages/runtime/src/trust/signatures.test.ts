import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRuntimeError } from '../errors.js';
import type { LockedConnector } from '../install/lockfile.js';
import { signaturePayload, signaturesIn, validSignature } from './package-signatures.js';
import {
  checkRegistrySignatures,
  checkUnsignedAllowed,
  type SignaturePolicy,
  unverifiedPackages,
} from './signature-policy.js';
import { keyIdOf, parsePublicKey, trustedKey } from './trusted-keys.js';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const text = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return {
    text,
    keyid: keyIdOf(publicKey),
    sign: (name: string, version: string, integrity: string) => ({
      keyid: keyIdOf(publicKey),
      sig: sign(null, Buffer.from(signaturePayload(name, version, integrity)), privateKey).toString('base64'),
    }),
  };
}

const INTEGRITY = `sha512-${'a'.repeat(86)}==`;
const OTHER_INTEGRITY = `sha512-${'b'.repeat(86)}==`;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isRuntimeError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('trusted keys', () => {
  it('reads ed25519 keys as base64 DER or PEM, with npm-style key ids, and refuses others', () => {
    const pair = keyPair();
    expect(trustedKey(pair.text).keyid).toBe(pair.keyid);
    expect(pair.keyid).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const pem = parsePublicKey(pair.text).export({ format: 'pem', type: 'spki' }).toString();
    expect(trustedKey(pem).keyid).toBe(pair.keyid);
    expect(() => parsePublicKey('not a key')).toThrow('not a public key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' });
    expect(() => parsePublicKey(rsa.toString())).toThrow('a rsa key; Lake signatures are ed25519');
  });
});

describe('package signatures', () => {
  const current = keyPair();
  const retired = keyPair();
  const stranger = keyPair();
  const pkg = { name: '@lake/connector-x', version: '1.0.0', integrity: INTEGRITY };
  const policy: SignaturePolicy = { keys: [trustedKey(current.text), trustedKey(retired.text)] };

  it('accepts a signature of name@version:integrity by any trusted key (a rotation lists old and new)', () => {
    expect(validSignature(policy.keys, pkg, [current.sign(pkg.name, pkg.version, pkg.integrity)])).toBeDefined();
    expect(validSignature(policy.keys, pkg, [retired.sign(pkg.name, pkg.version, pkg.integrity)])).toBeDefined();
    // The one that verifies is the one recorded, whatever else is offered.
    const offered = [
      stranger.sign(pkg.name, pkg.version, pkg.integrity),
      current.sign(pkg.name, pkg.version, pkg.integrity),
    ];
    expect(checkRegistrySignatures(policy, pkg, offered)?.keyid).toBe(current.keyid);
  });

  it('refuses unsigned, signed by an unknown key, and signed over other bytes or another version, naming why', () => {
    const refusal = (signatures: unknown) => {
      try {
        checkRegistrySignatures(policy, pkg, signatures);
      } catch (error) {
        expect(isRuntimeError(error, 'SIGNATURE_INVALID')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(undefined)).toContain('@lake/connector-x@1.0.0 is not signed');
    expect(refusal([stranger.sign(pkg.name, pkg.version, pkg.integrity)])).toContain(
      `is signed only by ${stranger.keyid}, which lake.yaml does not trust`,
    );
    expect(refusal([current.sign(pkg.name, pkg.version, OTHER_INTEGRITY)])).toContain('does not match');
    expect(refusal([current.sign(pkg.name, '1.0.1', pkg.integrity)])).toContain('does not match');
    expect(refusal([{ keyid: current.keyid, sig: '!!not base64!!' }])).toContain('does not match');
    expect(signaturesIn([{ keyid: 'k' }, null, 'x', { keyid: 'k', sig: 's' }])).toEqual([{ keyid: 'k', sig: 's' }]);
  });

  it('checks nothing without trusted keys (the migration default), and custom connectors need allowUnsigned', () => {
    expect(checkRegistrySignatures({ keys: [] }, pkg, undefined)).toBeUndefined();
    expect(codeOf(() => checkUnsignedAllowed({ keys: [] }, 'mine', false))).toBeUndefined();
    expect(codeOf(() => checkUnsignedAllowed(policy, 'mine', true))).toBeUndefined();
    expect(codeOf(() => checkUnsignedAllowed(policy, 'mine', false))).toBe('SIGNATURE_INVALID');
  });

  it("finds a lock entry's packages whose recorded signature the keys no longer accept, offline", () => {
    const sdk = { version: '1.0.0', resolved: 'http://r/sdk.tgz', integrity: OTHER_INTEGRITY };
    const entry: LockedConnector = {
      package: pkg.name,
      requested: '^1.0.0',
      source: 'registry',
      version: pkg.version,
      resolved: 'http://r/x.tgz',
      integrity: pkg.integrity,
      contract: '^1.0.0',
      domainTypes: [],
      bin: 'cli.js',
      packages: {
        'node_modules/@lake/connector-x': { version: '1.0.0', resolved: 'http://r/x.tgz', integrity: INTEGRITY },
        'node_modules/@lake/sdk': sdk,
        'node_modules/left-pad': { version: '1.3.0', resolved: 'http://npm/left-pad.tgz', integrity: INTEGRITY },
      },
      signatures: {
        'node_modules/@lake/connector-x': retired.sign(pkg.name, pkg.version, pkg.integrity),
      },
    };
    // Third-party packages need none; the SDK's is missing.
    expect(unverifiedPackages(policy, entry).map((found) => [found.location, found.reason])).toEqual([
      ['node_modules/@lake/sdk', 'lake.lock records no signature for it'],
    ]);
    entry.signatures!['node_modules/@lake/sdk'] = current.sign('@lake/sdk', '1.0.0', OTHER_INTEGRITY);
    expect(unverifiedPackages(policy, entry)).toEqual([]);
    // The retired key is removed from lake.yaml: its signature no longer counts.
    const rotated: SignaturePolicy = { keys: [trustedKey(current.text)] };
    expect(unverifiedPackages(rotated, entry).map((found) => found.reason)).toEqual([
      `it was signed by ${retired.keyid}, which trust.keys no longer lists`,
    ]);
    // An edited lock (another integrity under the same signature) is caught too.
    const edited = {
      ...entry,
      packages: { ...entry.packages, 'node_modules/@lake/sdk': { ...sdk, integrity: INTEGRITY } },
    };
    expect(unverifiedPackages(policy, edited)[0]?.reason).toContain('does not match it (lake.lock was edited)');
    expect(unverifiedPackages({ keys: [] }, entry)).toEqual([]);
  });
});
