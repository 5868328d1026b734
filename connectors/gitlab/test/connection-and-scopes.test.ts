import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiClient } from '@lake/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { gitlabConnector } from '../src/index.js';
import { listGitlabScopes } from '../src/remote-scopes.js';
import { PROJECT_ID, PROJECT_PATH } from './fake-gitlab/dataset.js';
import { NO_SCOPE_TOKEN, REVOKED_TOKEN, TOKEN } from './fake-gitlab/fake-gitlab.js';
import { type GitlabFixture, gitlabFixture } from './fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function fixture(): Promise<GitlabFixture> {
  const made = await gitlabFixture({ mergeRequests: 1, issues: 1, commits: 1, pipelines: 1, deployments: 1 });
  closers.push(made.close);
  return made;
}

const testConnection = (endpoint: string, token: string) =>
  gitlabConnector.testConnection({
    connection: gitlabConnector.connection.parse({ endpoint, token }),
    logger: undefined,
    signal: new AbortController().signal,
  } as never);

describe('test-connection', () => {
  it('names the user and the token scopes', async () => {
    const { gitlab } = await fixture();
    const result = await testConnection(gitlab.url, TOKEN);
    expect(result).toMatchObject({
      ok: true,
      details: { username: 'lake-bot', scopes: ['read_api', 'read_repository'] },
    });
    expect(result.message).toBe(
      'authenticated as lake-bot; token scopes: read_api, read_repository, expires 2027-01-01',
    );
    // The token went as PRIVATE-TOKEN, never in a URL.
    expect(gitlab.api.log.every((request) => !request.query.includes(TOKEN))).toBe(true);
  });

  it('fails on a revoked token without naming it, and says what a token without read_api may do', async () => {
    const { gitlab } = await fixture();
    const revoked = await testConnection(gitlab.url, REVOKED_TOKEN);
    expect(revoked.ok).toBe(false);
    expect(revoked.message).toContain('rejected by GitLab (401)');
    expect(JSON.stringify(revoked)).not.toContain(REVOKED_TOKEN);
    const limited = await testConnection(gitlab.url, NO_SCOPE_TOKEN);
    expect(limited).toMatchObject({ ok: true, details: { scopes: ['read_user'] } });
  });

  it('leaves the scopes unnamed on an instance older than /personal_access_tokens/self, and says when nothing answers', async () => {
    // GitLab before 15.5: /user answers, the token endpoint is a 404.
    const old = createServer((request, response) => {
      const found = request.url === '/api/v4/user';
      response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(found ? { username: 'old-admin' } : { message: '404 Not Found' }));
    }).listen(0, '127.0.0.1');
    await once(old, 'listening');
    const port = (old.address() as AddressInfo).port;
    closers.push(() => new Promise((resolve) => old.close(() => resolve())));
    const result = await testConnection(`http://127.0.0.1:${port}/api/v4`, TOKEN);
    expect(result).toEqual({
      ok: true,
      message: 'authenticated as old-admin; token scopes unknown (the instance does not say)',
      details: { endpoint: `http://127.0.0.1:${port}/api/v4`, username: 'old-admin' },
    });
    await new Promise<void>((resolve) => old.close(() => resolve()));
    const gone = await testConnection(`http://127.0.0.1:${port}/api/v4`, TOKEN);
    expect(gone.ok).toBe(false);
    expect(gone.message).not.toContain('rejected by GitLab');
    expect(JSON.stringify(gone)).not.toContain(TOKEN);
  });

  it('defaults to gitlab.com and refuses a bad endpoint, naming the field', () => {
    expect(gitlabConnector.connection.parse({ token: TOKEN }).endpoint).toBe('https://gitlab.com/api/v4');
    expect(() => gitlabConnector.connection.parse({ endpoint: 'gitlab', token: TOKEN })).toThrow(/endpoint/);
  });
});

describe('remote scopes', () => {
  it('lists top-level groups by keyset pages, then a group’s subgroups and projects by X-Next-Page', async () => {
    const { gitlab } = await fixture();
    const api = createApiClient({
      baseUrl: gitlab.url,
      auth: { type: 'header', name: 'PRIVATE-TOKEN', value: TOKEN },
    });
    const first = await listGitlabScopes(api, {});
    expect(first.entries).toHaveLength(100);
    expect(first.nextPageToken).toMatch(/^keyset:/);
    const second = await listGitlabScopes(api, { pageToken: first.nextPageToken! });
    expect(second.nextPageToken).toBeUndefined();
    const groups = [...first.entries, ...second.entries];
    expect(groups).toHaveLength(121);
    expect(new Set(groups.map((entry) => entry.id)).size).toBe(121);
    expect(
      gitlab.api.requestsTo('/api/v4/groups').every((request) => request.query.includes('pagination=keyset')),
    ).toBe(true);

    const lake = groups.find((entry) => entry.name === 'lake')!;
    const subgroups = await listGitlabScopes(api, { groupId: lake.id });
    expect(subgroups.entries).toEqual([{ kind: 'group', id: '11', name: 'lake/platform' }]);
    expect(subgroups.nextPageToken).toBe('projects:1');
    const none = await listGitlabScopes(api, { groupId: lake.id, pageToken: subgroups.nextPageToken! });
    expect(none).toEqual({ entries: [] });
    const platform = await listGitlabScopes(api, { groupId: '11', pageToken: 'projects:1' });
    expect(platform.entries).toEqual([
      { kind: 'scope', id: String(PROJECT_ID), name: PROJECT_PATH, scope: { project: PROJECT_PATH } },
    ]);
  });
});
