import { randomBytes } from 'node:crypto';
import { LakeError } from '@lake/sdk';
import { decodeGitText } from './decode-text.js';
import { isObjectName } from './object-name.js';

/** One commit as read from `git log`, stored verbatim as the raw record. */
export interface GitCommitRecord {
  sha: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
  files: GitFileChange[];
}

export interface GitFileChange {
  path: string;
  /** Set when the file was renamed or copied from another path. */
  oldPath?: string;
  additions: number;
  deletions: number;
  binary: boolean;
}

/** Header fields after the marker, in `--format` order; the message comes last. */
const HEADER_FIELDS = 9;
const MARKER_TEXT = /^[A-Za-z0-9-]+$/;
/** `%aI` / `%cI`: strict ISO 8601, as git prints it for every commit (broken dates become 1970). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;
const LINE_COUNT = /^(?:\d+|-)$/;
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * A record marker for one `git log` run: random, so that no commit message, name or path (all
 * written by whoever made the commit) can contain it and pass for the start of a record.
 */
export function newRecordMarker(): string {
  return `lake-${randomBytes(16).toString('hex')}`;
}

/**
 * The `--format` the parser reads: a record-separator byte and the run's marker, then
 * NUL-terminated fields (git ends the formatted part with one more NUL under `-z`). With
 * `--numstat -z`, changes follow as NUL-terminated tokens: `added\tdeleted\tpath`, or
 * `added\tdeleted\t` then the old and the new path as two more tokens for a rename or copy.
 */
export function logFormat(marker: string): string {
  if (!MARKER_TEXT.test(marker)) throw new Error(`record marker "${marker}" must be letters, digits and dashes`);
  return `%x1e${marker}%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x00`;
}

type Expecting =
  | { kind: 'marker' }
  | { kind: 'header'; fields: Buffer[] }
  | { kind: 'terminator' }
  | { kind: 'change' }
  | { kind: 'rename-source'; counts: LineCounts }
  | { kind: 'rename-target'; counts: LineCounts; oldPath: string };

interface LineCounts {
  additions: number;
  deletions: number;
  binary: boolean;
}

/**
 * Reads `git log -z [--numstat] --format=logFormat(marker)` structurally, one NUL-terminated
 * token at a time: a record starts only with the run's exact marker and only where a record
 * may start; the header is a fixed number of fields, the message one field whatever its bytes,
 * and the two paths after a rename's counts are paths whatever they look like. Anything that
 * does not fit fails, naming the commit: a commit is never skipped and never invented.
 */
export class GitLogParser {
  readonly #marker: Buffer;
  #expecting: Expecting = { kind: 'marker' };
  #current: GitCommitRecord | undefined;
  /** The commit being read and the last complete one, to say where a broken record is. */
  #readingSha: string | undefined;
  #previousSha: string | undefined;

  constructor(marker: string) {
    this.#marker = Buffer.from(`\u001e${marker}`, 'latin1');
  }

  /** Feeds one token (without its NUL); returns the commit this token completed, if any. */
  push(token: Buffer): GitCommitRecord | undefined {
    const expecting = this.#expecting;
    switch (expecting.kind) {
      case 'marker':
        if (!token.equals(this.#marker)) this.#fail('does not start with a record marker');
        this.#expecting = { kind: 'header', fields: [] };
        return undefined;
      case 'header':
        expecting.fields.push(token);
        if (expecting.fields.length === HEADER_FIELDS) {
          this.#current = this.#commitOf(expecting.fields);
          this.#expecting = { kind: 'terminator' };
        }
        return undefined;
      case 'terminator':
        if (token.length > 0) this.#fail('has unexpected bytes after the message');
        this.#expecting = { kind: 'change' };
        return undefined;
      case 'change':
        return this.#change(token);
      case 'rename-source':
        this.#expecting = { kind: 'rename-target', counts: expecting.counts, oldPath: this.#path(token) };
        return undefined;
      case 'rename-target':
        this.#current!.files.push({ path: this.#path(token), oldPath: expecting.oldPath, ...expecting.counts });
        this.#expecting = { kind: 'change' };
        return undefined;
    }
  }

  /**
   * The end of git's output (`unterminated`: bytes after the last NUL): returns the last
   * commit, or fails if the output stopped inside one.
   */
  end(unterminated = false): GitCommitRecord | undefined {
    const kind = this.#expecting.kind;
    if (unterminated || (kind !== 'change' && kind !== 'marker')) this.#fail('ends in the middle of a record');
    if (kind === 'marker') return undefined;
    const last = this.#current;
    this.#current = undefined;
    this.#readingSha = undefined;
    this.#expecting = { kind: 'marker' };
    return last;
  }

  #change(token: Buffer): GitCommitRecord | undefined {
    if (token.equals(this.#marker)) {
      const finished = this.#current;
      this.#previousSha = finished?.sha;
      this.#current = undefined;
      this.#readingSha = undefined;
      this.#expecting = { kind: 'header', fields: [] };
      return finished;
    }
    // git puts a newline between the message and the first change.
    const start = token[0] === NEWLINE ? 1 : 0;
    const firstTab = token.indexOf(TAB, start);
    const secondTab = firstTab < 0 ? -1 : token.indexOf(TAB, firstTab + 1);
    if (secondTab < 0) this.#fail('has a change that is not "added<TAB>deleted<TAB>path"');
    const added = token.toString('latin1', start, firstTab);
    const deleted = token.toString('latin1', firstTab + 1, secondTab);
    if (!LINE_COUNT.test(added) || !LINE_COUNT.test(deleted))
      this.#fail(`has invalid line counts "${added}" "${deleted}"`);
    const binary = added === '-' && deleted === '-';
    if (!binary && (added === '-' || deleted === '-')) this.#fail(`has invalid line counts "${added}" "${deleted}"`);
    const counts = { additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary };
    // Nothing after the counts: a rename or copy, whose old and new paths are the next two tokens.
    if (secondTab === token.length - 1) this.#expecting = { kind: 'rename-source', counts };
    else this.#current!.files.push({ path: this.#path(token.subarray(secondTab + 1)), ...counts });
    return undefined;
  }

  #path(bytes: Buffer): string {
    if (bytes.length === 0) this.#fail('has an empty path');
    return decodeGitText(bytes);
  }

  #commitOf(fields: Buffer[]): GitCommitRecord {
    const [sha, parents, authorName, authorEmail, authorDate, committerName, committerEmail, committerDate, message] =
      fields.map((field) => decodeGitText(field)) as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
    if (!isObjectName(sha)) this.#fail(`has an invalid commit name "${sha.slice(0, 80)}"`);
    this.#readingSha = sha;
    const parentList = parents === '' ? [] : parents.split(' ');
    for (const parent of parentList) {
      if (!isObjectName(parent) || parent.length !== sha.length)
        this.#fail(`has an invalid parent list "${parents.slice(0, 200)}"`);
    }
    for (const date of [authorDate, committerDate]) {
      if (!ISO_DATE.test(date)) this.#fail(`has an invalid date "${date.slice(0, 80)}"`);
    }
    return {
      sha,
      parents: parentList,
      author: { name: authorName, email: authorEmail, date: authorDate },
      committer: { name: committerName, email: committerEmail, date: committerDate },
      message: message.replace(/\n+$/, ''),
      files: [],
    };
  }

  #fail(problem: string): never {
    const sha = this.#readingSha;
    const where = sha
      ? `commit ${sha}`
      : this.#previousSha
        ? `the record after commit ${this.#previousSha}`
        : 'the output';
    throw new LakeError('STREAM_FAILED', `cannot read git log: ${where} ${problem}`, {
      source: 'git',
      details: { commit: sha ?? null, after: this.#previousSha ?? null },
    });
  }
}

/**
 * Turns the byte stream of `git log -z [--numstat] --format=logFormat(marker)` into commits,
 * one at a time: memory holds one commit, whatever the size of the history. Each field is
 * decoded on its own, so one non-UTF-8 name does not garble its neighbours.
 */
export async function* parseGitLog(chunks: AsyncIterable<Buffer>, marker: string): AsyncGenerator<GitCommitRecord> {
  const parser = new GitLogParser(marker);
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let index = data.indexOf(0, start); index >= 0; index = data.indexOf(0, start)) {
      const commit = parser.push(data.subarray(start, index));
      if (commit) yield commit;
      start = index + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
  // Every token git writes ends with a NUL: leftover bytes mean the output was cut short.
  const last = parser.end(carry.length > 0);
  if (last) yield last;
}
