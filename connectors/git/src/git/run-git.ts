import { spawn } from 'node:child_process';
import { LakeError } from '@lake/sdk';
import { decodeGitText } from './decode-text.js';

export interface GitCommandOptions {
  cwd: string;
  gitBinary: string;
  /** Written to git's stdin, then closed. */
  input?: string;
  signal?: AbortSignal;
}

/** Environment that keeps git from asking questions, paging, or reading the user's config quirks that change output. */
function gitEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

const BASE_ARGUMENTS = ['-c', 'core.quotepath=off', '-c', 'log.showSignature=false', '-c', 'color.ui=false'];

/** Runs git and returns stdout as text; a non-zero exit is a LakeError carrying git's stderr. */
export async function runGit(args: string[], options: GitCommandOptions): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamGit(args, options)) chunks.push(chunk);
  return decodeGitText(Buffer.concat(chunks));
}

/**
 * Runs git and yields stdout as it arrives, with backpressure (git pauses when the
 * consumer is slow). Fails with git's stderr when git exits non-zero.
 */
export async function* streamGit(args: string[], options: GitCommandOptions): AsyncGenerator<Buffer> {
  const child = spawn(options.gitBinary, [...BASE_ARGUMENTS, ...args], {
    cwd: options.cwd,
    env: gitEnvironment(),
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  exited.catch(() => {});
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    finished = true;
  } finally {
    if (!finished) child.kill();
  }
  let code: number | null;
  try {
    code = await exited;
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `git binary "${options.gitBinary}" not found`
        : String(error);
    throw new LakeError('CONNECTION_FAILED', reason, { source: 'git', cause: error });
  }
  if (code !== 0) {
    const message = decodeGitText(Buffer.concat(stderr)).trim().split('\n').slice(-3).join(' ');
    throw new LakeError('STREAM_FAILED', `git ${args[0]} failed in ${options.cwd}: ${message || `exit code ${code}`}`, {
      source: 'git',
    });
  }
}
