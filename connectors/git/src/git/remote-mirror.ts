import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isLakeError, LakeError, type Logger } from '@lake/sdk';
import { acquireMirrorLock } from './mirror-lock.js';
import type { RemoteAccess } from './remote-access.js';
import type { Remote } from './remote-url.js';
import { runGit } from './run-git.js';

/** Stable codes of a remote that cannot be fetched, for scripts that branch on them. */
export type GitRemoteErrorCode = 'GIT_AUTH_FAILED' | 'GIT_REMOTE_UNREACHABLE' | 'GIT_FETCH_FAILED';

export interface MirrorRequest {
  remote: Remote;
  access: RemoteAccess;
  cacheDir: string;
  gitBinary: string;
  logger: Logger;
  signal?: AbortSignal;
}

/** Branches and tags, force-updated and pruned: the remote's history as it is now, nothing else (no pull-request refs). */
const REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

/** `$LAKE_CACHE_DIR/git`, else `$XDG_CACHE_HOME/lake/git`, else `~/.cache/lake/git`. */
export function defaultCacheDir(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.LAKE_CACHE_DIR) return join(environment.LAKE_CACHE_DIR, 'git');
  return join(environment.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lake', 'git');
}

/**
 * The mirror's directory: a readable slug of the URL (without credentials) and a hash of it,
 * so that two URLs never share a mirror and one URL always finds its own.
 */
export function mirrorPathOf(cacheDir: string, canonicalUrl: string): string {
  const hash = createHash('sha256').update(canonicalUrl).digest('hex').slice(0, 16);
  const slug = canonicalUrl
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(-60);
  return join(cacheDir, `${slug || 'repository'}-${hash}.git`);
}

/**
 * Brings the remote's mirror up to date, cloning it the first time, and returns its path. One
 * sync at a time per remote (a lock file beside the mirror); a failed fetch leaves the mirror
 * as it was, and a failed first clone leaves nothing behind.
 */
export async function updateMirror(request: MirrorRequest): Promise<string> {
  const path = mirrorPathOf(request.cacheDir, request.remote.canonicalUrl);
  await mkdir(request.cacheDir, { recursive: true });
  const release = await acquireMirrorLock(`${path}.lock`, {
    ...(request.signal ? { signal: request.signal } : {}),
    onWait: (pid) =>
      request.logger.info(`waiting for another sync (pid ${pid}) to finish fetching ${request.remote.canonicalUrl}`),
  });
  try {
    if (await isDirectory(path)) {
      request.logger.info(`fetching ${request.remote.canonicalUrl}`);
      await fetchInto(path, request);
    } else {
      request.logger.info(`cloning ${request.remote.canonicalUrl} into ${path}`);
      await cloneInto(path, request);
    }
  } finally {
    await release();
  }
  return path;
}

/** `git ls-remote` with the connection's credentials: how many refs the remote has. */
export async function listRemoteRefs(request: Omit<MirrorRequest, 'cacheDir' | 'logger'>): Promise<number> {
  const output = await remoteGit(
    ['ls-remote', '--heads', '--tags', request.remote.canonicalUrl],
    process.cwd(),
    request,
  );
  // An annotated tag is listed twice, the second time peeled (`refs/tags/v1^{}`).
  return output.split('\n').filter((line) => line.trim() !== '' && !line.endsWith('^{}')).length;
}

async function cloneInto(path: string, request: MirrorRequest): Promise<void> {
  await removeAbandonedClones(path);
  const partial = `${path}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await localGit(['init', '--bare', '--quiet', partial], request.cacheDir, request);
    await localGit(['config', 'remote.origin.url', request.remote.canonicalUrl], partial, request);
    for (const refspec of REFSPECS)
      await localGit(['config', '--add', 'remote.origin.fetch', refspec], partial, request);
    await fetchInto(partial, request);
    await rename(partial, path);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

async function fetchInto(path: string, request: Omit<MirrorRequest, 'cacheDir' | 'logger'>): Promise<void> {
  await remoteGit(['fetch', '--prune', '--quiet', 'origin'], path, request);
  // HEAD follows the remote's default branch, which says which branch is the default one.
  const symref = await remoteGit(['ls-remote', '--symref', 'origin', 'HEAD'], path, request);
  const head = /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(symref)?.[1];
  if (head) await localGit(['symbolic-ref', 'HEAD', head], path, request);
}

function localGit(args: string[], cwd: string, request: { gitBinary: string; signal?: AbortSignal }) {
  return runGit(args, { cwd, gitBinary: request.gitBinary, ...(request.signal ? { signal: request.signal } : {}) });
}

/** Runs a git command that talks to the remote; its failure becomes a typed error without secrets. */
async function remoteGit(
  args: string[],
  cwd: string,
  request: Omit<MirrorRequest, 'cacheDir' | 'logger'>,
): Promise<string> {
  try {
    return await runGit(args, {
      cwd,
      gitBinary: request.gitBinary,
      env: request.access.env,
      redact: request.access.redact,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (!isLakeError(error, 'STREAM_FAILED')) throw error;
    throw remoteFailure(args[0]!, request.remote.canonicalUrl, String(error.details.gitMessage ?? ''));
  }
}

const AUTH_FAILURE =
  /authentication failed|could not read (username|password)|terminal prompts disabled|\b40[13]\b|permission denied \(publickey|invalid credentials|access denied/i;
const UNREACHABLE =
  /could not resolve host|connection refused|failed to connect|couldn't connect|connection timed out|could not read from remote|does not appear to be a git repository|repository .* not found|\b404\b|no such file or directory|network is unreachable/i;

/** git's words sorted into a stable code; `gitMessage` has been through the redactor already. */
export function remoteFailure(command: string, url: string, gitMessage: string): LakeError<GitRemoteErrorCode> {
  const [code, what] = AUTH_FAILURE.test(gitMessage)
    ? (['GIT_AUTH_FAILED', 'the remote refused the credentials'] as const)
    : UNREACHABLE.test(gitMessage)
      ? (['GIT_REMOTE_UNREACHABLE', 'the remote cannot be reached'] as const)
      : (['GIT_FETCH_FAILED', 'git failed'] as const);
  return new LakeError<GitRemoteErrorCode>(code, `git ${command} ${url}: ${what}: ${gitMessage || 'no message'}`, {
    source: 'git',
    details: { url, gitMessage },
  });
}

/** Clones a killed sync left half done: under the lock, nobody else is cloning this URL. */
async function removeAbandonedClones(path: string): Promise<void> {
  const prefix = `${basename(path)}.partial-`;
  for (const name of await readdir(dirname(path))) {
    if (name.startsWith(prefix)) await rm(join(dirname(path), name), { recursive: true, force: true });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
