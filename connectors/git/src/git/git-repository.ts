import { createHash } from 'node:crypto';
import { isLakeError, LakeError } from '@lake/sdk';
import { decodeGitText } from './decode-text.js';
import { type GitCommitRecord, logFormat, newRecordMarker, parseGitLog } from './log-parser.js';
import { isObjectName } from './object-name.js';
import { withoutCredentials } from './remote-url.js';
import { repositoryPathProblem } from './repository-path.js';
import { runGit, runGitForBytes, streamGit } from './run-git.js';

export type RefKind = 'branch' | 'tag' | 'remote';

export interface GitRef {
  /** Full name: `refs/heads/main`, `refs/tags/v1.0`, `refs/remotes/origin/main`. */
  fullName: string;
  kind: RefKind;
  /** The commit the ref points to (tags peeled). */
  commitSha: string;
  /** Tagger date for annotated tags, else the commit's committer date. */
  date: string;
}

const REF_FIELDS = [
  '%(refname)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objecttype)',
  '%(*objectname)',
  '%(creatordate:iso-strict)',
];
/** Every field NUL-terminated; git ends each ref with a newline, which starts the next ref's first field. */
const REF_FORMAT = REF_FIELDS.map((field) => `${field}%00`).join('');

/**
 * A local git repository, read through the git binary (the one tool that reads every
 * repository format correctly: packs, alternates, shallow clones, worktrees).
 */
export class GitRepository {
  readonly path: string;
  readonly #gitBinary: string;

  constructor(path: string, gitBinary = 'git') {
    this.path = path;
    this.#gitBinary = gitBinary;
  }

  #options(input?: string, signal?: AbortSignal) {
    return {
      cwd: this.path,
      gitBinary: this.#gitBinary,
      ...(input === undefined ? {} : { input }),
      ...(signal ? { signal } : {}),
    };
  }

  #run(args: string[], input?: string, signal?: AbortSignal): Promise<string> {
    return runGit(args, this.#options(input, signal));
  }

  /**
   * Fails clearly when the path is missing, not a directory, a symbolic link loop, not
   * readable, or not a git repository — each said as such, with the path.
   */
  async assertRepository(): Promise<void> {
    const problem = await repositoryPathProblem(this.path);
    if (problem) throw new LakeError('CONNECTION_FAILED', problem, { source: 'git' });
    try {
      await this.#run(['rev-parse', '--git-dir']);
    } catch (error) {
      // git could not be started (a missing binary): that is the message.
      if (!isLakeError(error, 'STREAM_FAILED')) throw error;
      const gitMessage = String(error.details.gitMessage ?? '');
      const reason = /not a git repository/i.test(gitMessage)
        ? `${this.path} is not a git repository`
        : `git cannot read ${this.path} as a repository: ${gitMessage}`;
      throw new LakeError('CONNECTION_FAILED', reason, { source: 'git', cause: error });
    }
  }

  /** `main` when HEAD is `refs/heads/main` (even in an empty repository); undefined when HEAD is detached. */
  async defaultBranch(): Promise<string | undefined> {
    const head = await this.#run(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '');
    const name = head.trim();
    if (name.startsWith('refs/heads/')) return name.slice('refs/heads/'.length);
    const remoteHead = await this.#run(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']).catch(() => '');
    const remote = remoteHead.trim();
    return remote.startsWith('refs/remotes/origin/') ? remote.slice('refs/remotes/origin/'.length) : undefined;
  }

  /** The commit `refs/heads/<branch>` points to, if the branch exists. */
  async branchSha(branch: string): Promise<string | undefined> {
    const sha = await this.#run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]).catch(() => '');
    return sha.trim() || undefined;
  }

  async headSha(): Promise<string | undefined> {
    const sha = await this.#run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '');
    return sha.trim() || undefined;
  }

  /** The `origin` remote's URL, without any password or token it carries (see `withoutCredentials`). */
  async remoteUrl(): Promise<string> {
    const url = await this.#run(['config', '--get', 'remote.origin.url']).catch(() => '');
    return withoutCredentials(url.trim());
  }

  /** Branches, tags and remote-tracking branches that point (after peeling) to commits. */
  async refs(): Promise<GitRef[]> {
    const output = await runGitForBytes(
      ['for-each-ref', `--format=${REF_FORMAT}`, 'refs/heads', 'refs/tags', 'refs/remotes'],
      this.#options(),
    );
    const refs: GitRef[] = [];
    for (const fields of recordsOf(output, REF_FIELDS.length)) {
      // Each field on its own: one ref named in Latin-1 must not garble the others' UTF-8.
      const [fullName, type, sha, peeledType, peeledSha, date] = fields.map((field) => decodeGitText(field)) as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const commitSha = type === 'commit' ? sha : peeledType === 'commit' ? peeledSha : undefined;
      if (!commitSha || fullName.endsWith('/HEAD')) continue;
      if (!isObjectName(commitSha)) {
        throw new LakeError('STREAM_FAILED', `git for-each-ref gave an invalid object name for ${fullName}`, {
          source: 'git',
        });
      }
      const kind: RefKind = fullName.startsWith('refs/heads/')
        ? 'branch'
        : fullName.startsWith('refs/tags/')
          ? 'tag'
          : 'remote';
      refs.push({ fullName, kind, commitSha, date });
    }
    return refs;
  }

  /**
   * Every commit tip `git rev-list --all` starts from: all refs (including stash, notes and
   * other namespaces) and HEAD, peeled to commits, sorted and unique.
   */
  async commitTips(): Promise<string[]> {
    const output = await this.#run([
      'for-each-ref',
      '--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)',
    ]);
    const tips = new Set<string>();
    for (const line of output.split('\n')) {
      const [type, sha, peeledType, peeledSha] = line.trim().split(' ');
      if (type === 'commit' && sha) tips.add(sha);
      else if (peeledType === 'commit' && peeledSha) tips.add(peeledSha);
    }
    const head = await this.headSha();
    if (head) tips.add(head);
    return [...tips].sort();
  }

  /** Of `shas`, those present in the object database as commits (old tips may have been garbage-collected). */
  async existingCommits(shas: readonly string[]): Promise<string[]> {
    const names = shas.filter((sha) => isObjectName(sha));
    if (names.length === 0) return [];
    const output = await this.#run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${names.join('\n')}\n`);
    return output
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([, type]) => type === 'commit')
      .map(([sha]) => sha!);
  }

  /**
   * Commits reachable from `tips` but not from `exclude`, parents before children, each
   * with per-file line counts (merges against their first parent, renames detected).
   */
  commits(
    tips: readonly string[],
    exclude: readonly string[],
    options: { withFiles: boolean; signal?: AbortSignal },
  ): AsyncGenerator<GitCommitRecord> {
    const marker = newRecordMarker();
    const args = [
      'log',
      '--stdin',
      '--topo-order',
      '--reverse',
      '-z',
      `--format=${logFormat(marker)}`,
      '--no-ext-diff',
      '--no-textconv',
    ];
    if (options.withFiles) args.push('--numstat', '-M', '--diff-merges=first-parent');
    return parseGitLog(streamGit(args, this.#options(revisionInput(tips, exclude), options.signal)), marker);
  }

  /** How many commits `commits(tips, exclude)` reads: what git itself counts. */
  async countCommits(tips: readonly string[], exclude: readonly string[], signal?: AbortSignal): Promise<number> {
    if (tips.length === 0) return 0;
    const output = await this.#run(['rev-list', '--count', '--stdin'], revisionInput(tips, exclude), signal);
    return Number.parseInt(output.trim(), 10);
  }

  /** A fingerprint of every ref and HEAD: equal fingerprints mean nothing to sync. */
  async fingerprint(): Promise<string> {
    const problem = await repositoryPathProblem(this.path);
    if (problem) throw new LakeError('CONNECTION_FAILED', problem, { source: 'git' });
    const refs = await this.#run(['for-each-ref', '--format=%(refname) %(objectname)']);
    const head = await this.#run(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
    return createHash('sha256').update(refs).update(head).digest('hex');
  }

  async gitVersion(): Promise<string> {
    const output = await this.#run(['--version']);
    return output.trim().replace(/^git version /, '');
  }
}

/** `git rev-list --stdin` input: the tips, then each excluded commit as `^<sha>`. */
function revisionInput(tips: readonly string[], exclude: readonly string[]): string {
  return `${[...tips, ...exclude.map((sha) => `^${sha}`)].join('\n')}\n`;
}

/** Splits NUL-terminated output into records of `size` fields (the newline git puts between records dropped). */
function* recordsOf(output: Buffer, size: number): Generator<Buffer[]> {
  let fields: Buffer[] = [];
  let start = 0;
  for (let end = output.indexOf(0, start); end >= 0; end = output.indexOf(0, start)) {
    let field = output.subarray(start, end);
    if (fields.length === 0 && field[0] === 0x0a) field = field.subarray(1);
    fields.push(field);
    start = end + 1;
    if (fields.length === size) {
      yield fields;
      fields = [];
    }
  }
}
