import { spawn } from 'node:child_process';
import { LakeError } from '@lake/sdk';
import { decodeGitText } from './decode-text.js';
import { withoutUrlCredentials } from './remote-url.js';
import { repositoryPathProblem } from './repository-path.js';

export interface GitCommandOptions {
  cwd: string;
  gitBinary: string;
  /** Written to git's stdin, then closed. */
  input?: string;
  signal?: AbortSignal;
  /** Added to git's environment (credentials travel here, never in the argument list). */
  env?: Readonly<Record<string, string>>;
  /** Applied to git's stderr before it reaches an error: removes the secrets `env` carries. */
  redact?: (text: string) => string;
}

/** Environment that keeps git from asking questions, paging, or reading the user's config quirks that change output. */
function gitEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...extra,
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
  return decodeGitText(await runGitForBytes(args, options));
}

/** Runs git and returns stdout as bytes, for output whose fields are decoded one by one. */
export async function runGitForBytes(args: string[], options: GitCommandOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamGit(args, options)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Runs git and yields stdout as it arrives, with backpressure (git pauses when the
 * consumer is slow). Fails with git's stderr when git exits non-zero.
 */
export async function* streamGit(args: string[], options: GitCommandOptions): AsyncGenerator<Buffer> {
  const child = spawn(options.gitBinary, [...BASE_ARGUMENTS, ...args], {
    cwd: options.cwd,
    env: gitEnvironment(options.env),
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
    throw await spawnFailure(error as NodeJS.ErrnoException, options);
  }
  if (code !== 0) {
    const stderrText = decodeGitText(Buffer.concat(stderr)).trim().split('\n').slice(-3).join(' ');
    const message = withoutUrlCredentials(options.redact ? options.redact(stderrText) : stderrText);
    throw new LakeError('STREAM_FAILED', `git ${args[0]} failed in ${options.cwd}: ${message || `exit code ${code}`}`, {
      source: 'git',
      details: { gitMessage: message, exitCode: code },
    });
  }
}

/**
 * Why git could not be started. Node reports a missing working directory exactly like a
 * missing binary (ENOENT), so the directory is examined first: the binary is "not found"
 * only when the directory is fine.
 */
async function spawnFailure(error: NodeJS.ErrnoException, options: GitCommandOptions): Promise<LakeError> {
  if (error.name === 'AbortError')
    return new LakeError('SYNC_ABORTED', 'git was interrupted', { source: 'git', cause: error });
  const pathProblem = await repositoryPathProblem(options.cwd);
  const reason =
    pathProblem ??
    (error.code === 'ENOENT'
      ? `git binary "${options.gitBinary}" not found`
      : error.code === 'EACCES'
        ? `git binary "${options.gitBinary}" cannot be run (permission denied)`
        : `cannot run git binary "${options.gitBinary}": ${error.message}`);
  return new LakeError('CONNECTION_FAILED', reason, { source: 'git', cause: error });
}
