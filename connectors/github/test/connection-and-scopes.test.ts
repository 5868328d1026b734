import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runListRemoteScopes, runTestConnection } from '@lake/sdk';
import { createTestLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { type GithubFixture, githubFixture } from './fixture.js';

describe('connection and scopes', () => {
  let fixture: GithubFixture;
  beforeAll(async () => {
    fixture = await githubFixture({ issues: 3, pullRequests: 2 }, { tokens: { ghp_valid: 'alice', ghp_other: 'bob' } });
  });
  afterAll(() => fixture.close());
  const connection = (tokens: string[]) => ({ id: 1, endpoint: fixture.github.url, tokens });

  it('test-connection names the account and the quota left of every token', async () => {
    const result = await runTestConnection({
      connector: githubConnector,
      context: { connection: connection(['ghp_valid', 'ghp_other']) },
    });
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(
      /^token #1: authenticated as alice, [\d,]+ of 5,000 requests left this hour; token #2: authenticated as bob/,
    );
  });

  it('test-connection fails for a bad token, naming which one, never its value', async () => {
    const result = await runTestConnection({
      connector: githubConnector,
      context: { connection: connection(['ghp_valid', 'ghp_wrong_value']) },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('token #2: rejected by GitHub (401 Bad credentials)');
    expect(JSON.stringify(result)).not.toContain('ghp_wrong_value');
  });

  it('test-connection fails when GitHub cannot be reached, with the network error, never the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runTestConnection({
      connector: githubConnector,
      context: { connection: { id: 1, endpoint: `http://127.0.0.1:${port}`, tokens: ['ghp_valid'] } },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('ECONNREFUSED');
    expect(result.message).not.toContain('rejected by GitHub');
    expect(JSON.stringify(result)).not.toContain('ghp_valid');
    expect(result.details).toMatchObject({ tokens: [{ error: 'HTTP_NETWORK' }] });
  });

  it('lists the user and their organisations as groups, then a group’s repositories, page by page', async () => {
    const groups = await runListRemoteScopes({
      connector: githubConnector,
      context: { connection: connection(['ghp_valid']) },
    });
    expect(groups.entries.filter((entry) => entry.kind === 'group').map((entry) => entry.id)).toEqual(
      expect.arrayContaining(['alice', fixture.dataset.owner]),
    );
    const organisation = await runListRemoteScopes({
      connector: githubConnector,
      context: { connection: connection(['ghp_valid']) },
      groupId: fixture.dataset.owner,
    });
    const scopes = organisation.entries.filter((entry) => entry.kind === 'scope');
    expect(scopes.map((entry) => entry.id)).toContain(fixture.dataset.fullName);
    const widgets = scopes.find((entry) => entry.id === fixture.dataset.fullName)!;
    expect(widgets.kind === 'scope' && widgets.scope).toEqual({ fullName: fixture.dataset.fullName });
    const own = await runListRemoteScopes({
      connector: githubConnector,
      context: { connection: connection(['ghp_valid']) },
      groupId: 'alice',
    });
    for (const entry of own.entries) expect(entry.kind).toBe('scope');
  });
});

describe('GitHub Enterprise Server', () => {
  it('works under /api/v3', async () => {
    const fixture = await githubFixture({ issues: 12, pullRequests: 4 }, { pathPrefix: '/api/v3' });
    const lake = await createTestLake({ connector: githubConnector });
    try {
      expect(fixture.github.url).toMatch(/\/api\/v3$/);
      await lake.syncOrThrow(fixture.context);
      expect(await lake.count('issues')).toBe(12);
      expect(fixture.github.api.log.every((record) => record.path.startsWith('/api/v3/'))).toBe(true);
    } finally {
      await lake.close();
      await fixture.close();
    }
  });
});
