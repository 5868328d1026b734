import { decodeGitText } from './decode-text.js';

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

const RECORD_START = 0x1e;
const HEADER_FIELDS = 9;

/**
 * The `--format` the parser reads: a record-separator byte, then NUL-separated fields. With
 * `-z`, numstat entries follow as NUL-terminated tokens (`added\tdeleted\tpath`, or
 * `added\tdeleted\t` then old and new path as two more tokens for a rename).
 */
export const LOG_FORMAT = '%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x00';

/**
 * Turns the byte stream of `git log -z --numstat --format=LOG_FORMAT` into commits, one at
 * a time: memory holds one commit, whatever the size of the history. Each field is decoded
 * on its own, so one non-UTF-8 name does not garble its neighbours.
 */
export async function* parseGitLog(chunks: AsyncIterable<Buffer>): AsyncGenerator<GitCommitRecord> {
  let current: GitCommitRecord | undefined;
  let header: string[] | undefined;
  let pendingRename: { additions: number; deletions: number; binary: boolean; oldPath?: string } | undefined;

  const finishHeader = (fields: string[]): GitCommitRecord => {
    const [sha, parents, authorName, authorEmail, authorDate, committerName, committerEmail, committerDate, message] =
      fields;
    return {
      sha: sha!,
      parents: parents ? parents.split(' ').filter(Boolean) : [],
      author: { name: authorName!, email: authorEmail!, date: authorDate! },
      committer: { name: committerName!, email: committerEmail!, date: committerDate! },
      message: message!.replace(/\n+$/, ''),
      files: [],
    };
  };

  const handleToken = function* (bytes: Buffer): Generator<GitCommitRecord> {
    let start = 0;
    while (start < bytes.length && bytes[start] === 0x0a) start += 1;
    if (start < bytes.length && bytes[start] === RECORD_START) {
      if (current) yield current;
      current = undefined;
      pendingRename = undefined;
      header = [decodeGitText(bytes.subarray(start + 1))];
      return;
    }
    if (header) {
      header.push(decodeGitText(bytes));
      if (header.length === HEADER_FIELDS) {
        current = finishHeader(header);
        header = undefined;
      }
      return;
    }
    if (!current || start === bytes.length) return;
    const text = decodeGitText(bytes.subarray(start));
    if (pendingRename) {
      if (pendingRename.oldPath === undefined) {
        pendingRename.oldPath = text;
      } else {
        const { oldPath, ...counts } = pendingRename;
        current.files.push({ path: text, oldPath, ...counts });
        pendingRename = undefined;
      }
      return;
    }
    const firstTab = text.indexOf('\t');
    const secondTab = text.indexOf('\t', firstTab + 1);
    if (firstTab < 0 || secondTab < 0) return;
    const added = text.slice(0, firstTab);
    const deleted = text.slice(firstTab + 1, secondTab);
    const path = text.slice(secondTab + 1);
    const binary = added === '-' && deleted === '-';
    const counts = { additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary };
    if (path === '') pendingRename = counts;
    else current.files.push({ path, ...counts });
  };

  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let index = data.indexOf(0, start); index >= 0; index = data.indexOf(0, start)) {
      yield* handleToken(data.subarray(start, index));
      start = index + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length > 0) yield* handleToken(carry);
  if (current) yield current;
}
