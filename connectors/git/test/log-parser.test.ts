import { describe, expect, it } from 'vitest';
import { decodeGitText } from '../src/git/decode-text.js';
import { type GitCommitRecord, logFormat, newRecordMarker, parseGitLog } from '../src/git/log-parser.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function parse(bytes: Buffer, marker: string, size = bytes.length): Promise<GitCommitRecord[]> {
  const commits: GitCommitRecord[] = [];
  for await (const commit of parseGitLog(chunked(bytes, size), marker)) commits.push(commit);
  return commits;
}

const MARKER = 'lake-0123456789abcdef';
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

/** One record as `git log -z --format=logFormat(marker)` writes it, ending with git's -z terminator. */
const record = (sha: string, parents: string, message: string, marker = MARKER) =>
  `\u001e${marker}\u0000${sha}\u0000${parents}\u0000Ann\u0000ann@x\u00002024-01-01T00:00:00+00:00\u0000Bob\u0000bob@x\u00002024-01-02T00:00:00Z\u0000${message}\u0000\u0000`;

describe('parseGitLog', () => {
  const output = Buffer.from(
    `${record(A, '', 'first\n\nbody\n')}\n-\t-\tlogo.bin\u00003\t1\tsrc/a.txt\u0000${record(B, A, 'rename\n')}\n1\t0\t\u0000old name.txt\u0000new name.txt\u0000${record(C, `${A} ${B}`, 'empty\n')}`,
  );

  it('reads commits, parents, numstat, binaries and renames, whatever the chunking', async () => {
    for (const size of [1, 7, 64, output.length]) {
      const commits = await parse(output, MARKER, size);
      expect(commits.map((commit) => commit.sha[0])).toEqual(['a', 'b', 'c']);
      expect(commits[0]).toMatchObject({
        parents: [],
        message: 'first\n\nbody',
        author: { name: 'Ann', email: 'ann@x', date: '2024-01-01T00:00:00+00:00' },
        committer: { name: 'Bob', date: '2024-01-02T00:00:00Z' },
        files: [
          { path: 'logo.bin', additions: 0, deletions: 0, binary: true },
          { path: 'src/a.txt', additions: 3, deletions: 1, binary: false },
        ],
      });
      expect(commits[1]!.files).toEqual([
        { path: 'new name.txt', oldPath: 'old name.txt', additions: 1, deletions: 0, binary: false },
      ]);
      expect(commits[2]!.parents).toEqual([A, B]);
      expect(commits[2]!.files).toEqual([]);
    }
  });

  it('takes a message and rename paths as they are, even when they are the marker itself', async () => {
    // git never prints a NUL inside a field, so this is the closest a field comes to a record start.
    const forged = `\u001e${MARKER}`;
    const bytes = Buffer.from(
      `${record(A, '', forged)}\n1\t0\t\u0000${forged}\u0000${forged}\u00002\t0\t${forged}\u0000${record(B, A, `${forged}\n${B}`)}`,
    );
    const commits = await parse(bytes, MARKER);
    expect(commits.map((commit) => commit.sha)).toEqual([A, B]);
    expect(commits[0]!.message).toBe(forged);
    expect(commits[0]!.files).toEqual([
      { path: forged, oldPath: forged, additions: 1, deletions: 0, binary: false },
      { path: forged, additions: 2, deletions: 0, binary: false },
    ]);
    expect(commits[1]!.message).toBe(`${forged}\n${B}`);
  });

  it('reads SHA-256 object names', async () => {
    const sha = '1'.repeat(64);
    const commits = await parse(Buffer.from(record(sha, '2'.repeat(64), 'x')), MARKER);
    expect(commits[0]).toMatchObject({ sha, parents: ['2'.repeat(64)] });
  });

  it.each([
    ['a record that starts with another marker', record(A, '', 'x', 'lake-guessed'), /the output does not start/],
    ['an object name of 41 characters', record(`${A}f`, '', 'x'), /invalid commit name/],
    ['an upper-case object name', record(A.toUpperCase(), '', 'x'), /invalid commit name/],
    [
      'a parent that is not an object name',
      record(A, `${B} nope`, 'x'),
      new RegExp(`commit ${A} has an invalid parent`),
    ],
    ['a parent of another length', record(A, '2'.repeat(64), 'x'), /invalid parent list/],
    [
      'a date that is not ISO 8601',
      record(A, '', 'x').replace('2024-01-01T00:00:00+00:00', 'yesterday'),
      /invalid date/,
    ],
    ['bytes after the message', `${record(A, '', 'x').slice(0, -1)}more\u0000`, /unexpected bytes after the message/],
    ['a change without counts', `${record(A, '', 'x')}\nsrc/a.txt\u0000`, /not "added<TAB>deleted<TAB>path"/],
    ['counts that are not numbers', `${record(A, '', 'x')}\nx\t1\tsrc/a.txt\u0000`, /invalid line counts/],
    ['half a binary marker', `${record(A, '', 'x')}\n-\t1\tsrc/a.txt\u0000`, /invalid line counts/],
    ['an empty path', `${record(A, '', 'x')}\n1\t1\t\u0000\u0000b\u0000`, /empty path/],
    ['a rename cut short', `${record(A, '', 'x')}\n1\t1\t\u0000old\u0000`, /ends in the middle/],
    ['a header cut short', `\u001e${MARKER}\u0000${A}\u0000`, /ends in the middle/],
    ['bytes after the last NUL', `${record(A, '', 'x')}\n1\t1\tpath`, /ends in the middle/],
  ])('fails on %s, naming where', async (_case, text, message) => {
    await expect(parse(Buffer.from(text), MARKER)).rejects.toThrow(message);
  });

  it('names the commit before a record it cannot read', async () => {
    const bytes = Buffer.from(`${record(A, '', 'x')}${record('not-a-sha', '', 'y')}`);
    await expect(parse(bytes, MARKER)).rejects.toThrow(`the record after commit ${A} has an invalid commit name`);
  });

  it('uses a new random marker for every run, made only of characters safe in --format', () => {
    const first = newRecordMarker();
    expect(first).toMatch(/^lake-[0-9a-f]{32}$/);
    expect(newRecordMarker()).not.toBe(first);
    expect(logFormat(first)).toContain(`%x1e${first}%x00%H%x00%P`);
    expect(() => logFormat('50%')).toThrow(/letters, digits and dashes/);
  });

  it('decodes invalid UTF-8 as Latin-1 instead of replacement characters', () => {
    expect(decodeGitText(Buffer.from([0x4a, 0x6f, 0x73, 0xe9]))).toBe('José');
    expect(decodeGitText(Buffer.from('Zoë', 'utf8'))).toBe('Zoë');
  });
});
