import { createHash } from 'node:crypto';
import { LakeError } from '@lake/sdk';
import { type GitCommitRecord, LOG_FORMAT, parseGitLog } from './log-parser.js';
import { runGit, streamGit } from './run-git.js';

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

const REF_FORMAT = [
  '%(refname)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objecttype)',
  '%(*objectname)',
  '%(creatordate:iso-strict)',
]
  .join('%00')
  .concat('%00');

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

  #run(args: string[], input?: string, signal?: AbortSignal): Promise<string> {
    return runGit(args, {
      cwd: this.path,
      gitBinary: this.#gitBinary,
      ...(input === undefined ? {} : { input }),
      ...(signal ? { signal } : {}),
    });
  }

  /** Fails clearly when the path is not a git repository. */
  async assertRepository(): Promise<void> {
    try {
      await this.#run(['rev-parse', '--git-dir']);
    } catch (error) {
      throw new LakeError('CONNECTION_FAILED', `${this.path} is not a git repository`, { source: 'git', cause: error });
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

  async headSha(): Promise<string | undefined> {
    const sha = await this.#run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '');
    return sha.trim() || undefined;
  }

  async remoteUrl(): Promise<string> {
    const url = await this.#run(['config', '--get', 'remote.origin.url']).catch(() => '');
    return url.trim();
  }

  /** Branches, tags and remote-tracking branches that point (after peeling) to commits. */
  async refs(): Promise<GitRef[]> {
    const output = await this.#run([
      'for-each-ref',
      `--format=${REF_FORMAT}`,
      'refs/heads',
      'refs/tags',
      'refs/remotes',
    ]);
    const fields = output.split('\0');
    const refs: GitRef[] = [];
    for (let index = 0; index + 6 <= fields.length; index += 6) {
      const [rawName, type, sha, peeledType, peeledSha, date] = fields
        .slice(index, index + 6)
        .map((field) => field.trim());
      const fullName = rawName!;
      const commitSha = type === 'commit' ? sha : peeledType === 'commit' ? peeledSha : undefined;
      if (!commitSha || fullName.endsWith('/HEAD')) continue;
      const kind: RefKind = fullName.startsWith('refs/heads/')
        ? 'branch'
        : fullName.startsWith('refs/tags/')
          ? 'tag'
          : 'remote';
      refs.push({ fullName, kind, commitSha, date: date ?? '' });
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

  /** Of `shas`, those present in the object database (old tips may have been garbage-collected). */
  async existingCommits(shas: readonly string[]): Promise<string[]> {
    if (shas.length === 0) return [];
    const output = await this.#run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${shas.join('\n')}\n`);
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
    const args = [
      'log',
      '--stdin',
      '--topo-order',
      '--reverse',
      '-z',
      `--format=${LOG_FORMAT}`,
      '--no-ext-diff',
      '--no-textconv',
    ];
    if (options.withFiles) args.push('--numstat', '-M', '--diff-merges=first-parent');
    const input = [...tips, ...exclude.map((sha) => `^${sha}`)].join('\n');
    return parseGitLog(
      streamGit(args, {
        cwd: this.path,
        gitBinary: this.#gitBinary,
        input: `${input}\n`,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }

  /** A fingerprint of every ref and HEAD: equal fingerprints mean nothing to sync. */
  async fingerprint(): Promise<string> {
    const refs = await this.#run(['for-each-ref', '--format=%(refname) %(objectname)']);
    const head = await this.#run(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
    return createHash('sha256').update(refs).update(head).digest('hex');
  }

  async gitVersion(): Promise<string> {
    const output = await this.#run(['--version']);
    return output.trim().replace(/^git version /, '');
  }
}
