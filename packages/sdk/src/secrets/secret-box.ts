import { LakeError } from '../errors/lake-error.js';

const ALGORITHM = 'aes-256-gcm';
const PREFIX = 'lake:v1:';

/**
 * node:crypto, loaded at first use: this module is part of `@lake/sdk/host`, which `lake list`
 * loads for its table formatting, and importing node:crypto costs it several milliseconds.
 */
const crypto = () => process.getBuiltinModule('node:crypto');

/**
 * Encrypts secrets at rest with AES-256-GCM (a fresh 96-bit IV per value, 128-bit tag).
 * Ciphertexts are self-describing text — `lake:v1:<iv>:<tag>:<ciphertext>` in base64url —
 * so they fit a text column or a YAML file.
 *
 *   const box = new SecretBox(await loadSecretKey());
 *   const stored = box.encrypt('ghp_…');
 *   box.decrypt(stored) === 'ghp_…';
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) {
      throw new LakeError('SECRET_KEY_INVALID', `secret key must be 32 bytes, got ${key.length}`);
    }
    this.#key = key;
  }

  encrypt(plaintext: string): string {
    const iv = crypto().randomBytes(12);
    const cipher = crypto().createCipheriv(ALGORITHM, this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${iv.toString('base64url')}:${tag.toString('base64url')}:${ciphertext.toString('base64url')}`;
  }

  decrypt(stored: string): string {
    if (!SecretBox.isEncrypted(stored)) {
      throw new LakeError('SECRET_DECRYPT_FAILED', 'value is not a Lake ciphertext');
    }
    const [iv, tag, ciphertext] = stored.slice(PREFIX.length).split(':');
    if (!iv || !tag || ciphertext === undefined) {
      throw new LakeError('SECRET_DECRYPT_FAILED', 'ciphertext is truncated');
    }
    try {
      const decipher = crypto().createDecipheriv(ALGORITHM, this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new LakeError('SECRET_DECRYPT_FAILED', 'cannot decrypt: wrong key or tampered ciphertext', {
        cause: error,
      });
    }
  }

  static isEncrypted(value: string): boolean {
    return value.startsWith(PREFIX);
  }
}
