import type { ClientFactoryContext } from '@lake/sdk';
import { GitRepository } from './git/git-repository.js';
import { remoteAccess } from './git/remote-access.js';
import { defaultCacheDir, updateMirror } from './git/remote-mirror.js';
import { remoteOf } from './git/remote-url.js';
import type { GitTypes } from './settings.js';

/**
 * The git connector's client: the git binary to run, and the repository of a scope. A `url`
 * scope's mirror is fetched once per sync, by whichever asks first (the change check or a
 * stream); the others read the same mirror.
 */
export function createGitClient({ connection, logger, signal }: ClientFactoryContext<GitTypes>): GitTypes['client'] {
  const open = (path: string) => new GitRepository(path, connection.gitBinary);
  const mirrors = new Map<string, Promise<GitRepository>>();
  return {
    gitBinary: connection.gitBinary,
    open,
    repositoryOf(scope, scopeId) {
      if (scope.url === undefined) return Promise.resolve(open(scopeId));
      let mirror = mirrors.get(scopeId);
      if (!mirror) {
        const remote = remoteOf(scope.url);
        mirror = updateMirror({
          remote,
          access: remoteAccess(remote, connection),
          cacheDir: connection.cacheDir ?? defaultCacheDir(),
          gitBinary: connection.gitBinary,
          logger,
          signal,
        }).then(open);
        mirrors.set(scopeId, mirror);
      }
      return mirror;
    },
  };
}
