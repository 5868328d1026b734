import { basename } from 'node:path';
import { defineConnector } from '@lake/sdk';
import { createGitClient } from './client.js';
import { GitRepository } from './git/git-repository.js';
import { migrations } from './migrations/index.js';
import { listRepositories } from './remote-scopes.js';
import { connectionSchema, scopeConfigSchema, scopeIdOf, scopeSchema } from './settings.js';
import { commitsStream } from './streams/commits-stream.js';
import { refsStream } from './streams/refs-stream.js';
import { repositoryStream } from './streams/repository-stream.js';
import { summarizeRepository } from './summarize.js';

/**
 * The git connector: local repositories (work trees or bare), read with the git binary.
 *
 *   lake-connector-git sync --context - <<< '{"connection":{"id":1},"scope":{"path":"."}}'
 */
export const gitConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'git',
  description: 'Commits, line counts, changed files, parents, refs and authors of local git repositories',
  domainTypes: ['CODE', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: scopeIdOf,
    name: (scope) => scope.name ?? basename(scopeIdOf(scope)),
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, RepoPath: scopeIdOf(scope) }),
  },
  scopeConfig: scopeConfigSchema,
  client: createGitClient,
  async testConnection(context) {
    const version = await new GitRepository(process.cwd(), context.client.gitBinary).gitVersion();
    return { ok: true, message: `git ${version}`, details: { gitVersion: version } };
  },
  listRemoteScopes: (context, request) => listRepositories(context.connection.root ?? process.cwd(), request),
  domainScopes: (context) => [{ table: 'repos', id: context.ids.of('GitRepo', context.scopeId) }],
  async changed(context) {
    const marker = await context.client.open(context.scopeId).fingerprint();
    return { changed: marker !== context.lastMarker, marker };
  },
  summarize: (context) => summarizeRepository(context.db, context.ids.of('GitRepo', context.scopeId)),
  streams: [commitsStream, refsStream, repositoryStream],
  migrations,
});
