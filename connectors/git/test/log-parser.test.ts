import { describe, expect, it } from 'vitest';
import { decodeGitText } from '../src/git/decode-text.js';
import { parseGitLog } from '../src/git/log-parser.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const header = (sha: string, parents: string, message: string) =>
  `\u001e${sha}\u0000${parents}\u0000Ann\u0000ann@x\u00002024-01-01T00:00:00+00:00\u0000Bob\u0000bob@x\u00002024-01-02T00:00:00+00:00\u0000${message}\u0000`;

describe('parseGitLog', () => {
  const output = Buffer.from(
    header('a'.repeat(40), '', 'first\n\nbody\n') +
      '\0\n-\t-\tlogo.bin\u00003\t1\tsrc/a.txt\0' +
      header('b'.repeat(40), 'a'.repeat(40), 'rename\n') +
      '\0\n1\t0\t\0old name.txt\0new name.txt\0' +
      header('c'.repeat(40), `${'a'.repeat(40)} ${'b'.repeat(40)}`, 'empty\n') +
      '\0',
  );

  it('reads commits, parents, numstat, binaries and renames, whatever the chunking', async () => {
    for (const size of [1, 7, 64, output.length]) {
      const commits = [];
      for await (const commit of parseGitLog(chunked(output, size))) commits.push(commit);
      expect(commits.map((commit) => commit.sha[0])).toEqual(['a', 'b', 'c']);
      expect(commits[0]).toMatchObject({
        parents: [],
        message: 'first\n\nbody',
        author: { name: 'Ann', email: 'ann@x', date: '2024-01-01T00:00:00+00:00' },
        committer: { name: 'Bob' },
        files: [
          { path: 'logo.bin', additions: 0, deletions: 0, binary: true },
          { path: 'src/a.txt', additions: 3, deletions: 1, binary: false },
        ],
      });
      expect(commits[1]!.files).toEqual([
        { path: 'new name.txt', oldPath: 'old name.txt', additions: 1, deletions: 0, binary: false },
      ]);
      expect(commits[2]!.parents).toHaveLength(2);
      expect(commits[2]!.files).toEqual([]);
    }
  });

  it('decodes invalid UTF-8 as Latin-1 instead of replacement characters', () => {
    expect(decodeGitText(Buffer.from([0x4a, 0x6f, 0x73, 0xe9]))).toBe('José');
    expect(decodeGitText(Buffer.from('Zoë', 'utf8'))).toBe('Zoë');
  });
});
