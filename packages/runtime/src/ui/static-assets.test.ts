import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAsset } from './static-assets.js';

describe('the console assets', () => {
  it('serves files of the directory with their types, and nothing outside it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lake-console-assets-'));
    const directory = join(root, 'console');
    await mkdir(join(directory, 'assets'), { recursive: true });
    await writeFile(join(directory, 'index.html'), '<p>page</p>');
    await writeFile(join(directory, 'assets', 'app.js'), 'export {};');
    await writeFile(join(root, 'secret.txt'), 'not for the page');
    expect((await readAsset(directory, '/'))?.type).toBe('text/html; charset=utf-8');
    expect((await readAsset(directory, '/assets/app.js'))?.body.toString()).toBe('export {};');
    expect((await readAsset(directory, '/assets/app.js'))?.type).toBe('text/javascript; charset=utf-8');
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/missing.js']) {
      expect(await readAsset(directory, path), path).toBeUndefined();
    }
  });
});
