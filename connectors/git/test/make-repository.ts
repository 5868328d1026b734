import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordTestedVersion } from '@lake/testkit';

export interface RepositoryShape {
  /** Commits on main (merges add a side-branch commit each). */
  commits: number;
  /** Every n-th commit merges a one-commit side branch (0: never). */
  mergeEvery?: number;
  /** Start of author time, seconds since the epoch. */
  startTime?: number;
}

export interface TestRepository {
  path: string;
  cleanup(): Promise<void>;
  git(...args: string[]): string;
  /** `git rev-list --count --all` */
  countAll(): number;
  /** `git rev-list --count HEAD` */
  countHead(): number;
  /** Appends commits to main (and keeps the checkout in step). */
  addCommits(count: number, message?: string): void;
}

// Every test drives this machine's git: the registry lists the versions a passing run used.
recordTestedVersion('git', /\d+(?:\.\d+)+/.exec(execFileSync('git', ['--version'], { encoding: 'utf8' }))?.[0]);

const AUTHORS: Array<[Buffer, string]> = [
  [Buffer.from('Ada Lovelace'), 'ada@example.org'],
  [Buffer.from('Grace Hopper'), 'GRACE@example.org'],
  [Buffer.from('Linus Torvalds'), 'linus@example.org'],
  // ISO-8859-1 bytes, not UTF-8: "José Müller" as an old commit would store it.
  [Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x20, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), 'jose@example.org'],
];

/**
 * Builds a repository with `git fast-import`: thousands of commits in well under a second,
 * with merges, a rename, a binary file, an empty commit, an annotated and a lightweight tag,
 * a second branch and a non-UTF-8 author name.
 */
export async function makeRepository(shape: RepositoryShape): Promise<TestRepository> {
  const parts: Buffer[] = [];
  const write = (text: string | Buffer) => parts.push(typeof text === 'string' ? Buffer.from(text) : text);
  const data = (content: Buffer | string) => {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    write(`data ${bytes.length}\n`);
    write(bytes);
    write('\n');
  };
  let mark = 0;
  let time = shape.startTime ?? 1_700_000_000;
  const person = (index: number, role: 'author' | 'committer') => {
    const [name, email] = AUTHORS[index % AUTHORS.length]!;
    write(`${role} `);
    write(name);
    write(` <${email}> ${time} +0000\n`);
  };
  let previous = 0;
  const mergeEvery = shape.mergeEvery ?? 10;
  for (let index = 1; index <= shape.commits; index += 1) {
    time += 60;
    const changes: string[] = [];
    const file = `src/module-${index % 23}.txt`;
    const blob = ++mark;
    write(`blob\nmark :${blob}\n`);
    data(Array.from({ length: (index % 5) + 1 }, (_, line) => `line ${line} of commit ${index}`).join('\n') + '\n');
    changes.push(`M 100644 :${blob} ${file}`);
    if (index === 3) {
      const binary = ++mark;
      write(`blob\nmark :${binary}\n`);
      data(Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]));
      changes.push(`M 100644 :${binary} assets/logo.bin`);
    }
    if (index === 4) changes.push('R src/module-3.txt src/renamed-module.txt');
    if (index === 6) changes.length = 0; // an empty commit

    let mergeFrom: number | undefined;
    if (mergeEvery > 0 && index % mergeEvery === 0 && previous > 0) {
      const sideBlob = ++mark;
      write(`blob\nmark :${sideBlob}\n`);
      data(`side work ${index}\n`);
      const side = ++mark;
      write(`commit refs/heads/side-${index}\nmark :${side}\n`);
      person(index + 1, 'author');
      person(index + 1, 'committer');
      data(`side change before ${index}`);
      write(`from :${previous}\nM 100644 :${sideBlob} side/${index}.txt\n\n`);
      mergeFrom = side;
    }
    const commit = ++mark;
    write(`commit refs/heads/main\nmark :${commit}\n`);
    person(index, 'author');
    person(index + 2, 'committer');
    data(mergeFrom ? `Merge side-${index}` : `Commit ${index}\n\nBody of commit ${index}.`);
    if (previous > 0) write(`from :${previous}\n`);
    if (mergeFrom) write(`merge :${mergeFrom}\n`);
    for (const change of changes) write(`${change}\n`);
    write('\n');
    if (index === 2)
      write(`tag v0.1\nfrom :${commit}\ntagger Ada Lovelace <ada@example.org> ${time} +0000\ndata 11\nfirst tag!\n\n`);
    if (index === 5) write(`reset refs/tags/light\nfrom :${commit}\n\n`);
    previous = commit;
  }
  return importRepository(Buffer.concat(parts), time);
}

/**
 * A repository made by `git fast-import` from `stream` (which may write any bytes git accepts
 * into messages, names and paths), with `main` checked out if the stream created it.
 * `time`: where the dates of `addCommits` start.
 */
export async function importRepository(stream: Buffer, time = 1_700_000_000): Promise<TestRepository> {
  const path = await mkdtemp(join(tmpdir(), 'lake-git-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: path,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Lake Test');
  git('config', 'user.email', 'test@example.org');
  const result = spawnSync('git', ['fast-import', '--quiet'], { cwd: path, input: stream });
  if (result.status !== 0) throw new Error(`fast-import failed: ${result.stderr.toString()}`);
  if (git('for-each-ref', 'refs/heads/main') !== '') git('reset', '-q', '--hard', 'main');

  return {
    path,
    git,
    cleanup: () => rm(path, { recursive: true, force: true }),
    countAll: () => Number(git('rev-list', '--count', '--all')),
    countHead: () => Number(git('rev-list', '--count', 'HEAD')),
    addCommits(count, message = 'later') {
      for (let index = 0; index < count; index += 1) {
        execFileSync('git', ['commit', '-q', '--allow-empty', '-m', `${message} ${index}`], {
          cwd: path,
          env: {
            ...process.env,
            GIT_AUTHOR_DATE: `${time + 1000 + index} +0000`,
            GIT_COMMITTER_DATE: `${time + 1000 + index} +0000`,
          },
        });
      }
    },
  };
}
