import { openStore, Secret } from '@lake/sdk';
import { testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookReceiver } from '../src/receiver/receiver.js';
import { SHA_A, SHA_B, startWebhookLake, TOKEN_ONE, type WebhookLake } from './support/webhook-lake.js';

// Two receivers on one server database (two machines behind a load balancer): the same ids posted
// to both at once collide in the database, where only its locks and the receiver's retries keep
// the rows exact. SQLite is embedded: one receiver process writes it.
const serverDialects = testDialects().filter((dialect) => dialect !== 'sqlite');

describe.each(serverDialects)('two receivers on one %s lake', (dialect) => {
  let lake: WebhookLake;
  let second: WebhookReceiver;
  let secondUrl: string;
  let closeSecond: () => Promise<void>;
  beforeAll(async () => {
    lake = await startWebhookLake(dialect);
  });
  afterAll(async () => {
    await closeSecond?.();
    await lake?.close();
  });

  it('stores every id once when both receive the same posts concurrently', async () => {
    const store = await openStore(lake.databaseUrl);
    second = createWebhookReceiver({ store, connections: [{ id: 1, token: new Secret(TOKEN_ONE) }] });
    secondUrl = (await second.listen(0)).url;
    closeSecond = async () => {
      await second.close();
      await store.close();
    };
    const ids = Array.from({ length: 20 }, (_, index) => `shared-${index}`);
    const post = (base: string, id: string, sha: string) =>
      fetch(`${base}/connections/1/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN_ONE}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          startedDate: '2026-12-02T10:00:00Z',
          finishedDate: '2026-12-02T10:03:00Z',
          deploymentCommits: [
            { repoUrl: 'https://x.test/one', commitSha: sha },
            { repoUrl: 'https://x.test/two', commitSha: SHA_B },
          ],
        }),
      }).then((response) => response.status);
    const statuses = await Promise.all(
      ids.flatMap((id) => [
        post(lake.url, id, SHA_A),
        post(secondUrl, id, SHA_A),
        post(lake.url, id, SHA_A),
        post(secondUrl, id, SHA_A),
      ]),
    );
    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
    const rows = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['id', 'commit_sha'])
      .where('cicd_deployment_id', 'like', 'webhook:WebhookDeployment:1:shared-%')
      .execute();
    expect(rows).toHaveLength(ids.length * 2);
    expect(new Set(rows.map((row) => `${row.id} ${row.commit_sha}`)).size).toBe(ids.length * 2);
    expect(await lake.count('cicd_deployments')).toBe(ids.length);
  });
});
