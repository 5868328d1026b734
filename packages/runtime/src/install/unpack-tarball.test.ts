import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create, extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstalledFiles } from '../trust/installed-files.js';
import { storeEntryPath } from './package-store.js';
import { StoreWriter } from './store-writer.js';
import { unpackPackage } from './unpack-tarball.js';

let directory: string;
let tarball: Buffer;
const LONG = `lib/${'a-rather-long-folder-name/'.repeat(6)}and-a-file-name-that-is-long-too.js`;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'lake-unpack-'));
  const source = join(directory, 'source');
  const files: Record<string, string> = {
    'package/package.json': '{ "name": "x", "version": "1.0.0" }\n',
    'package/.gitignore': 'dist\n',
    'package/nested/.gitignore': 'tmp\n',
    'package/nested/.npmignore': 'kept\n',
    [`package/${LONG}`]: 'export const long = true;\n',
    'package/bin/cli.js': '#!/usr/bin/env node\r\nconsole.log("hi");\r\n',
    'package/run.sh': '#!/bin/sh\necho run\n',
    'package/ünïcode.txt': 'ü\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(source, path, '..'), { recursive: true });
    await writeFile(join(source, path), content);
  }
  await chmod(join(source, 'package/run.sh'), 0o755);
  await symlink('package.json', join(source, 'package/link.json'));
  const chunks: Buffer[] = [];
  for await (const chunk of create(
    { gzip: true, cwd: source, portable: true },
    Object.keys(files).concat('package/link.json'),
  ))
    chunks.push(chunk as Buffer);
  tarball = Buffer.concat(chunks);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** npm's extraction with node-tar (pacote's settings), the reference the lock's digests were made with. */
async function extractWithNodeTar(target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  const ignoreFiles = new Set<string>();
  await pipeline(
    Readable.from([tarball]),
    extract({
      cwd: target,
      strip: 1,
      filter: (_path, entry) => {
        const item = entry as unknown as { type: string; path: string };
        if (!/File$/.test(item.type)) return false;
        if (item.path.endsWith('/.npmignore')) ignoreFiles.add(item.path);
        else if (item.path.endsWith('/.gitignore')) {
          const renamed = item.path.replace(/\.gitignore$/, '.npmignore');
          if (ignoreFiles.has(renamed)) return false;
          item.path = renamed;
        }
        return true;
      },
    }),
  );
}

describe('unpacking a package tarball in memory', () => {
  it('lays out the same files, byte for byte, as npm extracting it with node-tar', async () => {
    await extractWithNodeTar(join(directory, 'reference'));
    const writer = new StoreWriter(join(directory, 'store'));
    const listed = unpackPackage(tarball, join(directory, 'unpacked'), new Set(), writer);
    const reference = await readInstalledFiles(join(directory, 'reference'));
    expect(await readInstalledFiles(join(directory, 'unpacked'))).toEqual(reference);
    expect(Object.keys(reference)).toEqual(expect.arrayContaining([LONG, '.npmignore', 'ünïcode.txt']));
    expect(Object.keys(reference)).not.toContain('link.json');
    expect(listed.map((file) => file.path).sort()).toEqual(Object.keys(reference).sort());
    // Every file is a hard link to a read-only store entry named by its hash; run.sh stays executable.
    for (const file of listed) {
      const entry = await stat(storeEntryPath(join(directory, 'store'), file.hash, file.executable));
      expect((await stat(join(directory, 'unpacked', file.path))).ino).toBe(entry.ino);
      expect(entry.mode & 0o222).toBe(0);
    }
    expect(listed.find((file) => file.path === 'run.sh')?.executable).toBe(true);
    expect(listed.find((file) => file.path === 'package.json')?.executable).toBe(false);
  });

  it('makes bins executable without the Windows line ending after #!, as npm links them', async () => {
    const writer = new StoreWriter(join(directory, 'store-bins'));
    const listed = unpackPackage(tarball, join(directory, 'bins'), new Set(['bin/cli.js']), writer);
    expect(await readFile(join(directory, 'bins/bin/cli.js'), 'utf8')).toBe(
      '#!/usr/bin/env node\nconsole.log("hi");\r\n',
    );
    expect(listed.find((file) => file.path === 'bin/cli.js')?.executable).toBe(true);
    expect((await stat(join(directory, 'bins/bin/cli.js'))).mode & 0o111).not.toBe(0);
  });

  it('replaces a damaged store entry of the right name instead of linking it, when asked to check', async () => {
    const store = join(directory, 'store-damaged');
    const first = unpackPackage(tarball, join(directory, 'first'), new Set(), new StoreWriter(store));
    const file = first.find((entry) => entry.path === 'package.json')!;
    const entry = storeEntryPath(store, file.hash, false);
    await chmod(entry, 0o644);
    await writeFile(entry, '{ "name": "y", "version": "6.6.6" }\n'.slice(0, file.size).padEnd(file.size));
    const writer = new StoreWriter(store, { verifyExisting: true });
    unpackPackage(tarball, join(directory, 'second'), new Set(), writer);
    expect(writer.counts.replaced).toBe(1);
    expect(await readFile(join(directory, 'second/package.json'), 'utf8')).toBe(
      '{ "name": "x", "version": "1.0.0" }\n',
    );
    // The first directory still links the damaged bytes: a new entry was made, nothing written through.
    expect(await readFile(join(directory, 'first/package.json'), 'utf8')).not.toContain('"x"');
  });
});
