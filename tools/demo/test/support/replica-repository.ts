import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommitRecord, GithubDataset } from '../../../../connectors/github/test/fake-github/dataset.ts';

/** A real git repository with the fake GitHub's commit graph: same parents, messages, people and dates. */
export interface ReplicaRepository {
  directory: string;
  /** The real sha of each of the dataset's (made-up) shas. */
  realSha(datasetSha: string): string;
  /** The dataset's default-branch commits, oldest first, by real sha. */
  mainline: string[];
}

/**
 * Writes every commit the dataset knows (its default branch and its pull requests' branches)
 * into a new bare repository with `git fast-import`, parents before children, each commit
 * changing one file so that it has a tree of its own. The dataset's shas are made up, so git
 * gives each commit another; `realSha` maps them.
 */
export async function replicateRepository(dataset: GithubDataset): Promise<ReplicaRepository> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-replica-'));
  await git(directory, ['init', '--quiet', '--bare', '--initial-branch=main']);
  const commits = new Map<string, CommitRecord>();
  for (const commit of dataset.commits) commits.set(commit.sha, commit);
  for (const issue of dataset.issues) for (const commit of issue.pull?.commits ?? []) commits.set(commit.sha, commit);

  const marks = new Map<string, number>();
  const chunks: string[] = [];
  const emit = (sha: string): number | undefined => {
    const known = marks.get(sha);
    if (known !== undefined) return known;
    const commit = commits.get(sha);
    if (!commit) return undefined;
    const parents = commit.parents.map(emit).filter((mark): mark is number => mark !== undefined);
    const mark = marks.size + 1;
    marks.set(sha, mark);
    const content = `${commit.sha}\n`;
    if (parents.length === 0) chunks.push('reset refs/heads/build\n');
    chunks.push(
      'commit refs/heads/build\n',
      `mark :${mark}\n`,
      `author ${commit.authorName} <${commit.authorEmail}> ${Math.floor(commit.authoredAt / 1000)} +0000\n`,
      `committer ${commit.committerName} <${commit.committerEmail}> ${Math.floor(commit.committedAt / 1000)} +0000\n`,
      data(commit.message),
      ...parents.map((parent, index) => `${index === 0 ? 'from' : 'merge'} :${parent}\n`),
      'M 644 inline history.txt\n',
      data(content),
      '\n',
    );
    return mark;
  };
  // The dataset lists a branch's parents before its children, so the recursion stays shallow.
  for (const commit of commits.values()) emit(commit.sha);
  const tip = dataset.commits.at(-1);
  if (tip) chunks.push(`reset refs/heads/main\nfrom :${marks.get(tip.sha)}\n\n`);
  const marksFile = join(directory, 'lake-marks');
  await git(directory, ['fast-import', '--quiet', `--export-marks=${marksFile}`], chunks.join(''));
  await git(directory, ['update-ref', '-d', 'refs/heads/build']);
  const shaOfMark = new Map<number, string>();
  for (const line of (await readFile(marksFile, 'utf8')).split('\n')) {
    const [mark, sha] = line.split(' ');
    if (mark && sha) shaOfMark.set(Number(mark.slice(1)), sha);
  }
  const realSha = (datasetSha: string) => {
    const sha = shaOfMark.get(marks.get(datasetSha) ?? -1);
    if (!sha) throw new Error(`the dataset has no commit ${datasetSha}`);
    return sha;
  };
  return { directory, realSha, mainline: dataset.commits.map((commit) => realSha(commit.sha)) };
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** Runs git; resolves with its stdout, rejects with its stderr. */
export function git(cwd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`git ${args[0]}: ${stderr}`))));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Whether `ancestor` is reachable from `descendant` (or is it). */
export async function isAncestor(directory: string, ancestor: string, descendant: string): Promise<boolean> {
  return git(directory, ['merge-base', '--is-ancestor', ancestor, descendant]).then(
    () => true,
    () => false,
  );
}
