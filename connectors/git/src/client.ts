import type { ClientFactoryContext } from '@lake/sdk';
import { GitRepository } from './git/git-repository.js';
import type { GitTypes } from './settings.js';

/** The git connector's client: the git binary to run, and a repository opened by path. */
export function createGitClient({ connection }: ClientFactoryContext<GitTypes>): GitTypes['client'] {
  return {
    gitBinary: connection.gitBinary,
    open: (path: string) => new GitRepository(path, connection.gitBinary),
  };
}
