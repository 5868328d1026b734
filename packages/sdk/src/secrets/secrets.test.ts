import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaOf } from '../contract/connector-info.js';
import { Redactor } from './redactor.js';
import { collectSecrets, Secret, secret } from './secret.js';
import { SecretBox } from './secret-box.js';
import { checkKeyFilePermissions, loadSecretKey, parseSecretKey } from './secret-key.js';

describe('Secret and secret()', () => {
  it('never prints its value, however it is printed', () => {
    const token = new Secret('ghp_abcdef123456');
    const connection = { token, nested: [{ password: new Secret('hunter22') }] };
    for (const rendering of [
      String(token),
      `${token}`,
      JSON.stringify(connection),
      inspect(connection),
      inspect(token),
    ]) {
      expect(rendering).not.toContain('ghp_abcdef123456');
      expect(rendering).not.toContain('hunter22');
    }
    expect(token.reveal()).toBe('ghp_abcdef123456');
    expect(collectSecrets(connection).map((each) => each.reveal())).toEqual(['ghp_abcdef123456', 'hunter22']);
  });

  it('parses a string into a Secret and marks the field in the JSON Schema', () => {
    const schema = z.object({ token: secret(), endpoint: z.string() });
    const parsed = schema.parse({ token: 'abc123', endpoint: 'https://x' });
    expect(parsed.token).toBeInstanceOf(Secret);
    expect(schema.safeParse({ token: '', endpoint: 'x' }).success).toBe(false);
    const json = jsonSchemaOf(schema) as { properties: Record<string, Record<string, unknown>> };
    expect(json.properties.token).toMatchObject({ type: 'string', writeOnly: true, 'x-lake-secret': true });
    expect(json.properties.endpoint?.writeOnly).toBeUndefined();
  });
});

describe('Redactor', () => {
  const redactor = new Redactor([new Secret('s3cr3t-token'), 'a/b c']);

  it('masks registered values, URL-encoded too, and credential-looking text', () => {
    expect(redactor.redact('GET /x?token=s3cr3t-token failed')).toBe('GET /x?token=[redacted] failed');
    expect(redactor.redact('path a%2Fb%20c')).toBe('path [redacted]');
    expect(redactor.redact('https://user:pa55@host/x')).toBe('https://user:[redacted]@host/x');
    expect(redactor.redact('https://h/api?access_token=zzz&x=1')).toBe('https://h/api?access_token=[redacted]&x=1');
    expect(redactor.redact('Authorization: Bearer abcdefghijkl')).toBe('Authorization: Bearer [redacted]');
    expect(redactor.redact('nothing to hide')).toBe('nothing to hide');
  });

  it('redacts values deep inside objects and the whole cause chain of an error', () => {
    expect(redactor.redactValue({ list: ['s3cr3t-token'], when: new Date(0), count: 3 })).toEqual({
      list: ['[redacted]'],
      when: new Date(0),
      count: 3,
    });
    const error = new Error('outer s3cr3t-token', { cause: new Error('inner s3cr3t-token') });
    const redacted = redactor.redactError(error);
    expect(redacted.message).toBe('outer [redacted]');
    expect((redacted.cause as Error).message).toBe('inner [redacted]');
    expect(redacted.stack).not.toContain('s3cr3t-token');
    expect(redacted).toBeInstanceOf(Error);
  });

  it('masks the base64 forms of a secret at every byte alignment, whole base64 words at a time', () => {
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const base64 = new Redactor([token]);
    const basic = `Basic ${Buffer.from(`user:${token}`).toString('base64')}`;
    expect(base64.redact(`Authorization: ${basic}`)).toBe('Authorization: Basic [redacted]');
    expect(base64.redactExact(`{"header":"${basic}"}`)).toBe('{"header":"Basic [redacted]"}');
    for (let before = 0; before < 6; before += 1) {
      for (let after = 0; after < 4; after += 1) {
        const bytes = Buffer.from(`${'p'.repeat(before)}${token}${'s'.repeat(after)}`);
        for (const encoding of ['base64', 'base64url'] as const) {
          const encoded = bytes.toString(encoding);
          expect(base64.redactExact(`before ${encoded} after`), `${before}/${after} ${encoding}`).toBe(
            'before [redacted] after',
          );
        }
      }
    }
    expect(base64.redactExact(Buffer.from('nothing secret here at all').toString('base64'))).toBe(
      Buffer.from('nothing secret here at all').toString('base64'),
    );
  });

  it('masks the JSON-escaped form of a secret', () => {
    const quoted = new Redactor(['pa"ss\\word']);
    expect(quoted.redactExact(JSON.stringify({ password: 'pa"ss\\word' }))).toBe('{"password":"[redacted]"}');
  });

  it('ignores values too short to mask safely', () => {
    expect(new Redactor(['abc']).redact('abc abc')).toBe('abc abc');
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('round-trips, with a fresh IV per value', () => {
    const first = box.encrypt('ghp_token');
    const second = box.encrypt('ghp_token');
    expect(first).not.toBe(second);
    expect(first.startsWith('lake:v1:')).toBe(true);
    expect(first).not.toContain('ghp_token');
    expect(box.decrypt(first)).toBe('ghp_token');
    expect(SecretBox.isEncrypted(first)).toBe(true);
    expect(SecretBox.isEncrypted('ghp_token')).toBe(false);
  });

  it('refuses a wrong key, a tampered ciphertext and garbage', () => {
    const stored = box.encrypt('value');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).decrypt(stored)).toThrow(/wrong key or tampered/);
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.decrypt(tampered)).toThrow(/SECRET|tampered/);
    expect(() => box.decrypt('plain')).toThrow(/not a Lake ciphertext/);
    expect(() => box.decrypt('lake:v1:abc')).toThrow(/truncated/);
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('secret keys', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-key-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('generates a key file with mode 0600 on first use and reads it back after', async () => {
    const keyFile = join(directory, 'nested', 'secret.key');
    const key = await loadSecretKey({ environment: {}, keyFile });
    expect(key).toHaveLength(32);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await loadSecretKey({ environment: {}, keyFile })).toEqual(key);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(key.toString('hex'));
  });

  it('prefers LAKE_SECRET_KEY (hex or base64)', async () => {
    const hex = 'ab'.repeat(32);
    expect(await loadSecretKey({ environment: { LAKE_SECRET_KEY: hex }, keyFile: join(directory, 'unused') })).toEqual(
      Buffer.from(hex, 'hex'),
    );
    const base64 = Buffer.alloc(32, 9).toString('base64');
    expect(parseSecretKey(base64, 'x')).toEqual(Buffer.alloc(32, 9));
    expect(() => parseSecretKey('short', 'LAKE_SECRET_KEY')).toThrow(/LAKE_SECRET_KEY must hold 32 bytes/);
  });

  it('refuses a key file others can read, and says how to fix it', async () => {
    const keyFile = join(directory, 'open.key');
    await writeFile(keyFile, `${'cd'.repeat(32)}\n`);
    await chmod(keyFile, 0o644);
    expect(await checkKeyFilePermissions(keyFile)).toEqual([`${keyFile} has mode 0644; expected 0600`]);
    await expect(loadSecretKey({ environment: {}, keyFile })).rejects.toThrow(`chmod 600 ${keyFile}`);
  });
});
