import { createHash } from 'node:crypto';
import { defineConnector } from '@lake/sdk';
import { createGitClient } from './client.js';
import { testGitConnection } from './connection-test.js';
import { migrations } from './migrations/index.js';
import { listRepositories } from './remote-scopes.js';
import {
  connectionSchema,
  repoDomainIdOf,
  scopeConfigSchema,
  scopeIdOf,
  scopeNameOf,
  scopeSchema,
} from './settings.js';
import { commitsStream } from './streams/commits-stream.js';
import { refsStream } from './streams/refs-stream.js';
import { repositoryStream } from './streams/repository-stream.js';
import { summarizeRepository } from './summarize.js';

/**
 * The git connector: local repositories (work trees or bare), and remote ones mirrored into a
 * cache directory, read with the git binary.
 *
 *   lake-connector-git sync --context - <<< '{"connection":{"id":1},"scope":{"path":"."}}'
 *   lake-connector-git sync --context - <<< '{"connection":{"id":1},"scope":{"url":"https://github.com/apache/incubator-devlake.git"}}'
 */
export const gitConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'git',
  description: 'Commits, line counts, changed files, parents, refs and authors of local and remote git repositories',
  domainTypes: ['CODE', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: scopeIdOf,
    name: scopeNameOf,
    rawParams: (connectionId, scope) =>
      scope.url === undefined
        ? { ConnectionId: connectionId, RepoPath: scopeIdOf(scope) }
        : { ConnectionId: connectionId, Url: scopeIdOf(scope) },
  },
  scopeConfig: scopeConfigSchema,
  client: createGitClient,
  testConnection: testGitConnection,
  listRemoteScopes: (context, request) => listRepositories(context.connection.root ?? process.cwd(), request),
  domainScopes: (context) => [{ table: 'repos', id: repoDomainIdOf(context) }],
  async changed(context) {
    const fingerprint = await (await context.client.repositoryOf(context.scope, context.scopeId)).fingerprint();
    // A new repoId is a change too: every row goes under the new id.
    const marker = context.scope.repoId
      ? createHash('sha256').update(fingerprint).update(context.scope.repoId).digest('hex')
      : fingerprint;
    return { changed: marker !== context.lastMarker, marker };
  },
  summarize: (context) => summarizeRepository(context.db, repoDomainIdOf(context)),
  streams: [commitsStream, refsStream, repositoryStream],
  migrations,
});
