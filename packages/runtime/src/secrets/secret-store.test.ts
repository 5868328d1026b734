// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPaths } from '../project/project-paths.js';
import { resolveReferences } from './resolve-references.js';
import { SecretStore } from './secret-store.js';

describe('the project secret store', () => {
  it('keeps values encrypted on disk with a private key file, and resolves ${secret:…}', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-secrets-')));
    const store = await SecretStore.open(paths, {});
    await store.set('github-token', 'ghp_plaintext_value_123');
    expect((await stat(paths.secretKey)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.secrets)).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.secrets, 'utf8')).not.toContain('ghp_plaintext_value_123');

    const reopened = await SecretStore.open(paths, {});
    expect(reopened.names()).toEqual(['github-token']);
    const resolved = await resolveReferences(paths, {}, { token: '${secret:github-token}' }, 'settings');
    expect(resolved.value.token).toBe('ghp_plaintext_value_123');
    expect(resolved.substituted).toEqual(['ghp_plaintext_value_123']);

    expect(await reopened.remove('github-token')).toBe(true);
    expect(await reopened.remove('github-token')).toBe(false);
    await expect(reopened.set('bad name', 'x')).rejects.toThrow('may only hold letters');
    await expect(reopened.set('empty', '')).rejects.toThrow('is empty');
  });

  it('refuses a damaged store file', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-secrets-')));
    await SecretStore.open(paths, {}).then((store) => store.set('a', 'value-a'));
    await writeFile(paths.secrets, '{"storeVersion": 9}');
    await expect(SecretStore.open(paths, {})).rejects.toThrow('is damaged');
  });
});
