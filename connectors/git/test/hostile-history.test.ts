import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadState } from '@lake/sdk/testing';
import { createTestLake, testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository, gitConnector } from '../src/index.js';
import type { CommitsState } from '../src/streams/commits-stream.js';
import { importRepository, makeRepository, type TestRepository } from './make-repository.js';
import { contextFor, withLakeOn } from './support/lake-on.js';

const RS = '\u001e';
const fakeSha = (digit: string) => digit.repeat(40);

/**
 * A history whose authors try to break the log parser: messages that start with the record
 * separator and a sha of their choosing (with NULs, which git accepts in a message), paths
 * and renamed paths that start with it, Latin-1 and control characters in paths and names.
 */
function hostileHistory(): Buffer {
  const parts: Buffer[] = [];
  const write = (text: string) => parts.push(Buffer.from(text, 'latin1'));
  const data = (text: string) => {
    const bytes = Buffer.from(text, 'latin1');
    write(`data ${bytes.length}\n`);
    parts.push(bytes, Buffer.from('\n'));
  };
  let time = 1_700_000_000;
  const commit = (mark: number, options: { message: string; from?: number; merge?: number; author?: string }) => {
    time += 60;
    write(`commit refs/heads/${options.merge === undefined && mark >= 50 ? 'side' : 'main'}\nmark :${mark}\n`);
    write(`author ${options.author ?? 'Ada Lovelace <ada@example.org>'} ${time} +0000\n`);
    write(`committer Grace Hopper <grace@example.org> ${time} +0000\n`);
    data(options.message);
    if (options.from !== undefined) write(`from :${options.from}\n`);
    if (options.merge !== undefined) write(`merge :${options.merge}\n`);
  };
  write('blob\nmark :1\n');
  data('content\n');
  write('blob\nmark :2\n');
  data('other content\nwith two lines\n');
  write('blob\nmark :3\n');
  data('caf\u00e9 au lait\n');

  commit(10, { message: 'root\n' });
  write('M 100644 :1 normal.txt\n\n');
  // The old parser took this message for the start of a commit named "fff…f\n" (41 characters).
  commit(11, { message: `${RS}${fakeSha('f')}\n\nforged by the message\n`, from: 10 });
  write('M 100644 :2 normal.txt\n\n');
  // NULs, as the old format separated fields with them: git prints the message up to the first.
  commit(12, {
    message: `${RS}${fakeSha('e')}\u0000${fakeSha('f')}\u0000Eve\u0000eve@example.org\u00002024-01-01T00:00:00+00:00\u0000`,
    from: 11,
  });
  write(`M 100644 :1 "\\036forged.txt"\nM 100644 :3 "caf\\351.txt"\nM 100644 :2 "tab\\there\\nnewline.txt"\n`);
  write(`M 100644 :1 "\\036${fakeSha('c')}"\n\n`);
  commit(13, { message: 'renames\n', from: 12, author: `${RS}Eve ${RS}${fakeSha('9')} <eve@example.org>` });
  write(`R "\\036forged.txt" "\\036${fakeSha('d')}"\nR "caf\\351.txt" "\\036caf\\351-renamed.txt"\n\n`);
  commit(50, { message: `${RS}\n`, from: 13 });
  write('M 100644 :2 side.txt\n\n');
  commit(14, { message: `Merge side\n${RS}${fakeSha('a')}\n`, from: 13, merge: 50 });
  write('\n');
  return Buffer.concat(parts);
}

describe('a history written to fool the log parser', () => {
  let repository: TestRepository;
  beforeAll(async () => {
    repository = await importRepository(hostileHistory());
  });
  afterAll(() => repository.cleanup());

  for (const dialect of testDialects()) {
    it(`is stored whole and exactly, commit for commit, on ${dialect}`, async () => {
      await withLakeOn(dialect, async (lake) => {
        const first = await lake.sync(contextFor(repository.path));
        expect(first.error?.message ?? '').toBe('');
        const known = repository.git('rev-list', '--all').split('\n').sort();
        expect(known).toHaveLength(repository.countAll());
        const stored = (await lake.rows('commits')).map((row) => String(row.sha)).sort();
        expect(stored).toEqual(known);
        expect((await lake.rows('_tool_git_commits')).map((row) => String(row.sha)).sort()).toEqual(known);
        expect(await lake.count('repo_commits')).toBe(repository.countAll());
        expect(await lake.count('commit_parents')).toBe(
          repository
            .git('rev-list', '--all', '--parents')
            .split('\n')
            .reduce((sum, line) => sum + line.split(' ').length - 1, 0),
        );

        const forgedBy = await lake.rows('commits', { sha: repository.git('rev-parse', 'main~3') });
        expect(forgedBy[0]?.message).toBe(`${RS}${fakeSha('f')}\n\nforged by the message`);
        const withNul = await lake.rows('commits', { sha: repository.git('rev-parse', 'main~2') });
        expect(withNul[0]?.message).toBe(`${RS}${fakeSha('e')}`);
        const renamed = await lake.rows('_tool_git_commit_files', { sha: repository.git('rev-parse', 'main~1') });
        expect(renamed.map((row) => [row.old_path, row.path]).sort()).toEqual(
          [
            [`${RS}forged.txt`, `${RS}${fakeSha('d')}`],
            ['café.txt', `${RS}café-renamed.txt`],
          ].sort(),
        );
        const added = await lake.rows('commit_files', { commit_sha: repository.git('rev-parse', 'main~2') });
        expect(added.map((row) => row.file_path).sort()).toEqual(
          [`${RS}forged.txt`, 'café.txt', 'tab\there\nnewline.txt', `${RS}${fakeSha('c')}`].sort(),
        );
        const authors = await lake.rows('accounts');
        expect(authors.map((row) => row.full_name).sort()).toEqual(
          ['Ada Lovelace', `${RS}Eve ${RS}${fakeSha('9')}`, 'Grace Hopper'].sort(),
        );

        // Every later sync works too (a forged 41-character sha used to fail them all on PostgreSQL).
        const again = await lake.sync(contextFor(repository.path), { streams: ['commits', 'refs', 'repository'] });
        expect(again.error?.message ?? '').toBe('');
        expect(await lake.count('repo_commits')).toBe(repository.countAll());
      });
    });
  }
});

describe('git output the parser cannot read', () => {
  let repository: TestRepository;
  let directory: string;
  beforeAll(async () => {
    repository = await makeRepository({ commits: 30, mergeEvery: 7 });
    directory = await mkdtemp(join(tmpdir(), 'lake-git-wrapper-'));
  });
  afterAll(async () => {
    await repository.cleanup();
    await rm(directory, { recursive: true, force: true });
  });

  it('fails the sync naming the commit, keeps the state where it was, and a later sync reads everything', async () => {
    // Real git, with one byte put into the parent list of the second record of `git log`.
    const wrapper = join(directory, 'corrupting-git');
    await writeFile(
      wrapper,
      `#!${process.execPath}
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
const input = args.includes('--stdin') ? require('node:fs').readFileSync(0) : undefined;
const result = spawnSync('git', args, { input, maxBuffer: 1 << 30 });
let output = result.stdout;
const format = args.find((arg) => arg.startsWith('--format=%x1e'));
if (format) {
  const marker = format.slice('--format=%x1e'.length).split('%')[0];
  const start = Buffer.from('\\u001e' + marker);
  const second = output.indexOf(start, output.indexOf(start) + 1);
  if (second >= 0) {
    const sha = second + start.length + (marker ? 1 : 0);
    const parents = output.indexOf(0, sha) + 1;
    output = Buffer.concat([output.subarray(0, parents), Buffer.from('X'), output.subarray(parents)]);
  }
}
process.stderr.write(result.stderr);
process.stdout.write(output);
process.exitCode = result.status;
`,
    );
    await chmod(wrapper, 0o755);
    const lake = await createTestLake({ connector: gitConnector });
    try {
      const context = { ...contextFor(repository.path), connection: { id: 1, gitBinary: wrapper } };
      const failed = await lake.sync(context);
      expect(failed.status).toBe('failed');
      const named = /commit ([0-9a-f]{40}) has an invalid parent list/.exec(failed.error?.message ?? '');
      expect(named, failed.error?.message).not.toBeNull();
      expect(repository.git('rev-list', '--all').split('\n')).toContain(named![1]);
      const stateKey = { connector: 'git', connectionId: 1, scopeId: repository.path, stream: 'commits' };
      const state = await loadState<{ cursor: CommitsState }>(lake.store, stateKey);
      expect(state?.cursor.tips ?? []).toEqual([]);
      expect(await lake.count('commits')).toBeLessThan(repository.countAll());

      await lake.syncOrThrow(contextFor(repository.path));
      expect((await lake.rows('commits')).map((row) => String(row.sha)).sort()).toEqual(
        repository.git('rev-list', '--all').split('\n').sort(),
      );
      const synced = await loadState<{ cursor: CommitsState }>(lake.store, stateKey);
      expect(synced?.cursor.tips).toEqual(await new GitRepository(repository.path).commitTips());
    } finally {
      await lake.close();
    }
  });
});
