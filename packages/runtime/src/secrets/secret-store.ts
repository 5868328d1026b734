import { readFile } from 'node:fs/promises';
import { loadSecretKey, SecretBox } from '@lake/sdk/host';
import { RuntimeError } from '../errors.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';

interface SecretFile {
  storeVersion: 1;
  secrets: Record<string, string>;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The project's secrets, encrypted at rest (AES-256-GCM) in `.lake/secrets.json` with the key
 * from `LAKE_SECRET_KEY` or `.lake/secret.key` (created with mode 0600). lake.yaml refers to
 * them as `${secret:<name>}`.
 */
export class SecretStore {
  readonly #paths: ProjectPaths;
  readonly #box: SecretBox;
  readonly #file: SecretFile;

  private constructor(paths: ProjectPaths, box: SecretBox, file: SecretFile) {
    this.#paths = paths;
    this.#box = box;
    this.#file = file;
  }

  static async open(paths: ProjectPaths, environment: NodeJS.ProcessEnv = process.env): Promise<SecretStore> {
    const key = await loadSecretKey({ environment, keyFile: paths.secretKey });
    let file: SecretFile = { storeVersion: 1, secrets: {} };
    try {
      const parsed = JSON.parse(await readFile(paths.secrets, 'utf8')) as SecretFile;
      if (parsed.storeVersion !== 1 || typeof parsed.secrets !== 'object') throw new Error('unknown format');
      file = parsed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new RuntimeError('SECRET_STORE_INVALID', `${paths.secrets} is damaged: ${(error as Error).message}`);
      }
    }
    return new SecretStore(paths, new SecretBox(key), file);
  }

  names(): string[] {
    return Object.keys(this.#file.secrets).sort();
  }

  get(name: string): string | undefined {
    const stored = this.#file.secrets[name];
    return stored === undefined ? undefined : this.#box.decrypt(stored);
  }

  async set(name: string, value: string): Promise<void> {
    if (!NAME.test(name)) throw new RuntimeError('USAGE', `secret name "${name}" may only hold letters, digits, . _ -`);
    if (value.length === 0) throw new RuntimeError('USAGE', `secret "${name}" is empty`);
    this.#file.secrets[name] = this.#box.encrypt(value);
    await this.#save();
  }

  async remove(name: string): Promise<boolean> {
    if (!(name in this.#file.secrets)) return false;
    delete this.#file.secrets[name];
    await this.#save();
    return true;
  }

  async #save(): Promise<void> {
    await writeFileAtomic(this.#paths.secrets, `${JSON.stringify(this.#file, null, 2)}\n`, 0o600);
  }
}
