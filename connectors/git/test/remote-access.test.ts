import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLakeError, Secret } from '@lake/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireMirrorLock } from '../src/git/mirror-lock.js';
import { remoteAccess } from '../src/git/remote-access.js';
import { defaultCacheDir, mirrorPathOf, remoteFailure } from '../src/git/remote-mirror.js';
import { isRemoteUrl, remoteOf } from '../src/git/remote-url.js';

describe('remote URLs of url scopes', () => {
  it.each([
    ['https://u:p%40ss@host:8443/owner/repo.git?x=1', 'https://host:8443/owner/repo.git', 'http', 'u', 'p@ss'],
    [
      'https://ghp_token@github.com/owner/repo.git',
      'https://github.com/owner/repo.git',
      'http',
      undefined,
      'ghp_token',
    ],
    ['http://127.0.0.1:9/repo.git', 'http://127.0.0.1:9/repo.git', 'http', undefined, undefined],
    ['https://u:50%@host/repo.git', 'https://host/repo.git', 'http', 'u', '50%'],
    ['ssh://git:secret@host/repo.git', 'ssh://git@host/repo.git', 'ssh', undefined, undefined],
    ['git@github.com:owner/repo.git', 'git@github.com:owner/repo.git', 'ssh', undefined, undefined],
    ['file:///srv/git/repo.git', 'file:///srv/git/repo.git', 'file', undefined, undefined],
  ])('%s is stored as %s (%s), its credentials kept apart', (url, canonicalUrl, kind, username, password) => {
    expect(isRemoteUrl(url)).toBe(true);
    expect(remoteOf(url)).toEqual({
      canonicalUrl,
      kind,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    });
  });

  it.each(['/srv/git/repo.git', 'relative/repo', 'ftp://host/repo.git', 'https://', 'file://', 'github.com'])(
    '%s is not a remote URL',
    (url) => expect(isRemoteUrl(url)).toBe(false),
  );
});

describe('credentials travel in the environment only', () => {
  const remote = remoteOf('https://git.example.org:8443/team/repo.git');

  it('scopes a Basic header to the remote’s origin, with the token user by default, and redacts every form', () => {
    const access = remoteAccess(remote, { token: new Secret('tok/en+1') });
    const encoded = Buffer.from('x-access-token:tok/en+1').toString('base64');
    expect(access.env).toEqual({
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GIT_CONFIG_COUNT: '4',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'gc.auto',
      GIT_CONFIG_VALUE_1: '0',
      GIT_CONFIG_KEY_2: 'maintenance.auto',
      GIT_CONFIG_VALUE_2: 'false',
      GIT_CONFIG_KEY_3: 'http.https://git.example.org:8443/.extraHeader',
      GIT_CONFIG_VALUE_3: `Authorization: Basic ${encoded}`,
    });
    expect(access.redact(`header ${encoded}; raw tok/en+1; url tok%2Fen%2B1`)).toBe(
      'header [redacted]; raw [redacted]; url [redacted]',
    );
  });

  it('prefers the connection’s token, then its password, then the URL’s, and its user name over the URL’s', () => {
    const fromUrl = remoteOf('https://url-user:url-pass@git.example.org/repo.git');
    const header = (access: ReturnType<typeof remoteAccess>) =>
      Buffer.from(access.env.GIT_CONFIG_VALUE_3!.replace('Authorization: Basic ', ''), 'base64').toString();
    expect(header(remoteAccess(fromUrl, {}))).toBe('url-user:url-pass');
    expect(header(remoteAccess(fromUrl, { username: 'me', password: new Secret('pw') }))).toBe('me:pw');
    expect(header(remoteAccess(fromUrl, { username: 'me', password: new Secret('pw'), token: new Secret('tk') }))).toBe(
      'me:tk',
    );
  });

  it('sends nothing to SSH or file remotes, nor without a secret', () => {
    for (const url of ['ssh://git@host/repo.git', 'file:///srv/repo.git', 'https://host/repo.git']) {
      const access = remoteAccess(remoteOf(url), url.startsWith('https') ? {} : { password: new Secret('pw') });
      expect(access.env.GIT_CONFIG_COUNT).toBe('3');
      expect(access.redact('pw stays')).toBe('pw stays');
    }
  });
});

describe('mirrors in the cache directory', () => {
  it('names a mirror by a readable slug and a hash of the URL without credentials', () => {
    const path = mirrorPathOf('/cache', 'https://github.com/apache/incubator-devlake.git');
    expect(path).toMatch(/^\/cache\/github\.com-apache-incubator-devlake-[0-9a-f]{16}\.git$/);
    expect(mirrorPathOf('/cache', 'https://github.com/apache/incubator-devlake.git')).toBe(path);
    expect(mirrorPathOf('/cache', 'https://github.com/apache/incubator-devlake')).not.toBe(path);
    expect(mirrorPathOf('/cache', 'file:///')).toMatch(/^\/cache\/repository-[0-9a-f]{16}\.git$/);
  });

  it('defaults to $LAKE_CACHE_DIR/git, else the XDG cache, else ~/.cache', () => {
    expect(defaultCacheDir({ LAKE_CACHE_DIR: '/lake-cache', XDG_CACHE_HOME: '/xdg' })).toBe('/lake-cache/git');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/lake/git');
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/lake\/git$/);
  });

  it.each([
    ["fatal: Authentication failed for 'https://h/r.git/'", 'GIT_AUTH_FAILED'],
    ["fatal: could not read Username for 'https://h': terminal prompts disabled", 'GIT_AUTH_FAILED'],
    ['git@h: Permission denied (publickey).', 'GIT_AUTH_FAILED'],
    ["fatal: unable to access 'https://h/r.git/': Could not resolve host: h", 'GIT_REMOTE_UNREACHABLE'],
    ["fatal: repository 'https://h/r.git/' not found", 'GIT_REMOTE_UNREACHABLE'],
    ['fatal: bad object 0123', 'GIT_FETCH_FAILED'],
    ['', 'GIT_FETCH_FAILED'],
  ])('sorts "%s" into %s', (gitMessage, code) => {
    const error = remoteFailure('fetch', 'https://h/r.git', gitMessage);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\[lake\] \[git\] git fetch https:\/\/h\/r\.git: /);
    expect(error.details).toEqual({ url: 'https://h/r.git', gitMessage });
  });
});

describe('the mirror lock', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-mirror-lock-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('makes a second holder wait until the first releases, and says who it waits for', async () => {
    const path = join(directory, 'a.lock');
    const release = await acquireMirrorLock(path);
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    const waitedFor: number[] = [];
    let released = false;
    const second = acquireMirrorLock(path, { onWait: (pid) => waitedFor.push(pid) }).then((releaseSecond) => {
      expect(released).toBe(true);
      return releaseSecond;
    });
    await expect.poll(() => waitedFor).toEqual([process.pid]);
    released = true;
    await release();
    await (await second)();
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over the lock of a process that no longer runs', async () => {
    const path = join(directory, 'b.lock');
    // Pid numbers stop well below 2^22 on Linux: this one runs nowhere.
    await writeFile(path, String(2 ** 22 + 7));
    const release = await acquireMirrorLock(path);
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    await release();
  });

  it('stops waiting with SYNC_ABORTED when the sync is interrupted', async () => {
    const path = join(directory, 'c.lock');
    const release = await acquireMirrorLock(path);
    const controller = new AbortController();
    const waiting = acquireMirrorLock(path, { signal: controller.signal, onWait: () => controller.abort() });
    const error = await waiting.catch((caught: unknown) => caught);
    expect(isLakeError(error, 'SYNC_ABORTED')).toBe(true);
    await release();
  });
});
