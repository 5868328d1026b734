import type { ConnectionContext, TestConnectionResult } from '@lake/sdk';
import { GitRepository } from './git/git-repository.js';
import { remoteAccess } from './git/remote-access.js';
import { listRemoteRefs } from './git/remote-mirror.js';
import { remoteOf } from './git/remote-url.js';
import type { GitTypes } from './settings.js';

/**
 * Runs git; with `pingUrl`, also `git ls-remote` against it with the connection's credentials,
 * which fails with the code a sync of that remote would fail with (GIT_AUTH_FAILED, …).
 */
export async function testGitConnection(context: ConnectionContext<GitTypes>): Promise<TestConnectionResult> {
  const version = await new GitRepository(process.cwd(), context.client.gitBinary).gitVersion();
  const { pingUrl } = context.connection;
  if (pingUrl === undefined) return { ok: true, message: `git ${version}`, details: { gitVersion: version } };
  const remote = remoteOf(pingUrl);
  const refs = await listRemoteRefs({
    remote,
    access: remoteAccess(remote, context.connection),
    gitBinary: context.client.gitBinary,
    signal: context.signal,
  });
  return {
    ok: true,
    message: `git ${version}; ${remote.canonicalUrl} answers with ${refs} ref${refs === 1 ? '' : 's'}`,
    details: { gitVersion: version, url: remote.canonicalUrl, refs },
  };
}
