import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LakeError } from '../errors/lake-error.js';

export interface LoadSecretKeyOptions {
  /** Environment to read `LAKE_SECRET_KEY` from. Default: `process.env`. */
  environment?: NodeJS.ProcessEnv;
  /** Key file used (and created, mode 0600) when the environment has no key. Default: `.lake/secret.key`. */
  keyFile?: string;
}

/**
 * The 32-byte key that encrypts stored secrets: `LAKE_SECRET_KEY` (64 hex characters or
 * base64 of 32 bytes) if set, otherwise the key file, generated on first use with mode 0600.
 * A key file readable by group or others is refused: the key is only as private as its file.
 */
export async function loadSecretKey(options: LoadSecretKeyOptions = {}): Promise<Buffer> {
  const environment = options.environment ?? process.env;
  const fromEnvironment = environment.LAKE_SECRET_KEY;
  if (fromEnvironment) return parseSecretKey(fromEnvironment, 'LAKE_SECRET_KEY');

  const keyFile = options.keyFile ?? '.lake/secret.key';
  const existing = await readKeyFile(keyFile);
  if (existing !== undefined) return existing;

  await mkdir(dirname(keyFile), { recursive: true });
  // node:crypto at first use, as in secret-box.ts.
  const key = process.getBuiltinModule('node:crypto').randomBytes(32);
  try {
    const handle = await open(keyFile, 'wx', 0o600);
    await handle.writeFile(`${key.toString('hex')}\n`);
    await handle.close();
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readKeyFile(keyFile);
      if (raced) return raced;
    }
    throw error;
  }
  await chmod(keyFile, 0o600);
  return key;
}

/** Problems with a key file's permissions, or an empty list when it is private to its owner. */
export async function checkKeyFilePermissions(keyFile: string): Promise<string[]> {
  const info = await stat(keyFile);
  const mode = info.mode & 0o777;
  return mode & 0o077 ? [`${keyFile} has mode ${mode.toString(8).padStart(4, '0')}; expected 0600`] : [];
}

async function readKeyFile(keyFile: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const problems = await checkKeyFilePermissions(keyFile);
  if (problems.length > 0) {
    throw new LakeError('SECRET_KEY_PERMISSIONS', `${problems[0]} (run: chmod 600 ${keyFile})`);
  }
  return parseSecretKey(text.trim(), keyFile);
}

export function parseSecretKey(text: string, where: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new LakeError(
      'SECRET_KEY_INVALID',
      `${where} must hold 32 bytes as 64 hex characters or base64 (got ${key.length} bytes)`,
    );
  }
  return key;
}
