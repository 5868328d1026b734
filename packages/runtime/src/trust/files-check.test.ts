import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTALL_RECORD_FILE, saveInstallRecord, takeInstallRecord } from '../install/install-record.js';
import type { LockedConnector } from '../install/lockfile.js';
import { checkInstalledFiles } from './files-check.js';
import { compareFiles, describeChanges, filesDigest, readInstalledFiles } from './installed-files.js';

const entry: LockedConnector = {
  package: '@lake/connector-x',
  requested: '^1.0.0',
  source: 'registry',
  version: '1.0.0',
  resolved: 'http://r/x.tgz',
  integrity: `sha512-${'a'.repeat(86)}==`,
  contract: '^1.0.0',
  domainTypes: [],
  bin: 'cli.js',
  packages: {
    'node_modules/@lake/connector-x': {
      version: '1.0.0',
      resolved: 'http://r/x.tgz',
      integrity: `sha512-${'a'.repeat(86)}==`,
    },
  },
};

/** An install directory as arborist leaves it, bookkeeping included. */
async function installedTree(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-files-'));
  const files: Record<string, string> = {
    'package.json': '{"name":"lake-connector-install"}\n',
    'package-lock.json': '{"lockfileVersion":3,"resolved-by":"a resolving install"}\n',
    'node_modules/.package-lock.json': '{"hidden":"lockfile"}\n',
    'node_modules/@lake/connector-x/package.json': '{"name":"@lake/connector-x"}\n',
    'node_modules/@lake/connector-x/cli.js': 'console.log("x");\n',
    'node_modules/dependency/index.js': 'export const answer = 42;\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(directory, path, '..'), { recursive: true });
    await writeFile(join(directory, path), content);
  }
  await mkdir(join(directory, 'node_modules/.bin'));
  await symlink('../@lake/connector-x/cli.js', join(directory, 'node_modules/.bin/lake-connector-x'));
  return directory;
}

describe('the manifest of an installed directory', () => {
  it('hashes every file and link but the installer bookkeeping, sorted, into one stable digest', async () => {
    const directory = await installedTree();
    const files = await readInstalledFiles(directory);
    expect(Object.keys(files)).toEqual([
      'node_modules/.bin/lake-connector-x',
      'node_modules/@lake/connector-x/cli.js',
      'node_modules/@lake/connector-x/package.json',
      'node_modules/dependency/index.js',
      'package.json',
    ]);
    expect(files['node_modules/.bin/lake-connector-x']).toBe('link:../@lake/connector-x/cli.js');
    expect(files['package.json']).toMatch(/^sha256-/);

    // npm writes its lockfiles differently for a resolving install and a frozen one: they are
    // not part of the digest, so both installs agree on it.
    const before = filesDigest(files);
    await writeFile(join(directory, 'package-lock.json'), '{"lockfileVersion":3,"written":"from lake.lock"}\n');
    await writeFile(join(directory, 'node_modules/.package-lock.json'), '{}\n');
    expect(filesDigest(await readInstalledFiles(directory))).toBe(before);

    await writeFile(join(directory, 'node_modules/dependency/index.js'), 'export const answer = 43;\n');
    await writeFile(join(directory, 'node_modules/extra.js'), 'evil();\n');
    await rm(join(directory, 'package.json'));
    const after = await readInstalledFiles(directory);
    expect(filesDigest(after)).not.toBe(before);
    const changes = compareFiles(files, after);
    expect(changes).toEqual({
      changed: ['node_modules/dependency/index.js'],
      missing: ['package.json'],
      added: ['node_modules/extra.js'],
    });
    expect(describeChanges(changes, 2)).toBe(
      'changed node_modules/dependency/index.js, missing package.json and 1 more',
    );
  });
});

describe("an installed directory against lake.lock's digest", () => {
  it('passes as installed, and names the file that changed', async () => {
    const directory = await installedTree();
    const record = await takeInstallRecord(directory, 'x', entry);
    await saveInstallRecord(directory, record);
    expect(await checkInstalledFiles(directory, record.filesDigest)).toMatchObject({ ok: true, files: 5 });

    await writeFile(join(directory, 'node_modules/@lake/connector-x/cli.js'), 'stealTokens();\n');
    const tampered = await checkInstalledFiles(directory, record.filesDigest);
    expect(tampered.ok).toBe(false);
    expect(tampered.changes.changed).toEqual(['node_modules/@lake/connector-x/cli.js']);
    expect(tampered.problem).toBe(
      '1 file(s) differ from what was installed: changed node_modules/@lake/connector-x/cli.js',
    );
  });

  it('is not fooled by a record rewritten to match the changed files', async () => {
    const directory = await installedTree();
    const record = await takeInstallRecord(directory, 'x', entry);
    await saveInstallRecord(directory, record);
    const locked = record.filesDigest;

    await writeFile(join(directory, 'node_modules/@lake/connector-x/cli.js'), 'stealTokens();\n');
    // The attacker rewrites the file's hash (and, why not, the digest) in lake-install.json.
    const forged = JSON.parse(await readFile(join(directory, INSTALL_RECORD_FILE), 'utf8'));
    forged.files = await readInstalledFiles(directory);
    forged.filesDigest = filesDigest(forged.files);
    await writeFile(join(directory, INSTALL_RECORD_FILE), JSON.stringify(forged));

    const check = await checkInstalledFiles(directory, locked);
    expect(check.ok).toBe(false);
    expect(check.problem).toContain(`${INSTALL_RECORD_FILE} was rewritten to match them`);

    // Without the record, and without the directory, it still refuses.
    await rm(join(directory, INSTALL_RECORD_FILE));
    expect((await checkInstalledFiles(directory, locked)).problem).toContain(`${INSTALL_RECORD_FILE} is missing`);
    await rm(directory, { recursive: true });
    expect((await checkInstalledFiles(directory, locked)).problem).toBe(`${directory} is missing`);
  });

  it('refuses a lock that records no digest (written before digests), saying how to record one', async () => {
    const directory = await installedTree();
    const check = await checkInstalledFiles(directory, undefined);
    expect(check.ok).toBe(false);
    expect(check.problem).toContain('run `lake install` to record one');
  });
});
