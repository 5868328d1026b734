import { domainShape } from '@lake/sdk/store';
import { testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allText,
  SHA_A,
  SHA_B,
  SHA_C,
  startWebhookLake,
  TOKEN_ONE,
  TOKEN_TWO,
  type WebhookLake,
} from './support/webhook-lake.js';

const DOMAIN_TABLES = ['cicd_deployments', 'cicd_deployment_commits', 'issues', 'board_issues', 'incidents'];

const deployment = {
  id: 'deploy-42',
  name: 'api release 42',
  result: 'success',
  environment: 'production',
  createdDate: '2026-11-30T09:58:00Z',
  startedDate: '2026-11-30T10:00:00Z',
  finishedDate: '2026-11-30T10:05:30+00:00',
  deploymentCommits: [
    { repoUrl: 'https://git.example.com/shop/api', commitSha: SHA_A.toUpperCase(), refName: 'main' },
    { repoUrl: 'https://git.example.com/shop/web', commitSha: SHA_B, commitMsg: 'checkout: retry payments' },
  ],
};

describe.each(testDialects())('webhook receiver on %s', (dialect) => {
  let lake: WebhookLake;
  beforeAll(async () => {
    lake = await startWebhookLake(dialect);
  });
  afterAll(async () => {
    await lake?.close();
  });

  it('writes a deployment and one commit row per repository, keyed by the caller id', async () => {
    const answer = await lake.post('/connections/1/deployments', deployment);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: 'webhook:WebhookDeployment:1:deploy-42', created: true });
    const row = await lake.store.db
      .selectFrom('cicd_deployments')
      .selectAll()
      .where('id', '=', 'webhook:WebhookDeployment:1:deploy-42')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cicd_scope_id: 'webhook:WebhookConnection:1:webhook',
      name: 'api release 42',
      result: 'SUCCESS',
      status: 'DONE',
      environment: 'PRODUCTION',
      original_environment: 'production',
      subtask_name: 'webhook.receiveDeployment',
      _raw_data_params: '{"ConnectionId":1}',
    });
    expect(Number(row.duration_sec)).toBe(330);
    expect(new Date(row.finished_date as string).toISOString()).toBe('2026-11-30T10:05:30.000Z');
    const commits = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['cicd_deployment_id', 'commit_sha', 'repo_url', 'ref_name', 'commit_msg', 'environment', 'result'])
      .where('cicd_deployment_id', '=', 'webhook:WebhookDeployment:1:deploy-42')
      .orderBy('repo_url')
      .execute();
    expect(commits).toEqual([
      {
        cicd_deployment_id: 'webhook:WebhookDeployment:1:deploy-42',
        commit_sha: SHA_A,
        repo_url: 'https://git.example.com/shop/api',
        ref_name: 'main',
        commit_msg: '',
        environment: 'PRODUCTION',
        result: 'SUCCESS',
      },
      {
        cicd_deployment_id: 'webhook:WebhookDeployment:1:deploy-42',
        commit_sha: SHA_B,
        repo_url: 'https://git.example.com/shop/web',
        ref_name: '',
        commit_msg: 'checkout: retry payments',
        environment: 'PRODUCTION',
        result: 'SUCCESS',
      },
    ]);
  });

  it('answers a retried POST with 200 and never adds a row', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await lake.post('/connections/1/deployments', deployment);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ id: 'webhook:WebhookDeployment:1:deploy-42', created: false });
    }
    expect(await lake.count('cicd_deployments', { cicd_scope_id: 'webhook:WebhookConnection:1:webhook' })).toBe(1);
    expect(await lake.count('cicd_deployment_commits', { cicd_scope_id: 'webhook:WebhookConnection:1:webhook' })).toBe(
      2,
    );
  });

  it('replaces a corrected deployment, dropping the commit of a repository it no longer lists', async () => {
    const corrected = {
      id: 'deploy-42',
      result: 'FAILURE',
      startedDate: '2026-11-30T10:00:00Z',
      finishedDate: '2026-11-30T10:09:00Z',
      repoUrl: 'https://git.example.com/shop/api',
      commitSha: SHA_C,
    };
    expect((await lake.post('/connections/1/deployments', corrected)).status).toBe(200);
    const commits = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['commit_sha', 'result', 'name'])
      .where('cicd_deployment_id', '=', 'webhook:WebhookDeployment:1:deploy-42')
      .execute();
    expect(commits).toEqual([{ commit_sha: SHA_C, result: 'FAILURE', name: 'deployment deploy-42' }]);
  });

  it('keeps connections apart: the same caller id on two connections is two deployments', async () => {
    const answer = await lake.post('/connections/2/deployments', { ...deployment, id: 'deploy-42' }, TOKEN_TWO);
    expect(answer.status).toBe(201);
    expect(answer.body.id).toBe('webhook:WebhookDeployment:2:deploy-42');
    expect(await lake.count('cicd_deployment_commits', { cicd_scope_id: 'webhook:WebhookConnection:2:webhook' })).toBe(
      2,
    );
    expect(await lake.count('cicd_deployment_commits', { cicd_scope_id: 'webhook:WebhookConnection:1:webhook' })).toBe(
      1,
    );
  });

  it('fills repo_id from a repository the lake knows by the same URL', async () => {
    await lake.store
      .writer()
      .upsert(domainShape('repos'), [
        { id: 'github:GithubRepo:1:777', name: 'shop/billing', url: 'https://git.example.com/shop/billing' },
      ]);
    await lake.post('/connections/1/deployments', {
      id: 'deploy-billing-1',
      startedDate: '2026-12-01T08:00:00Z',
      finishedDate: '2026-12-01T08:01:00Z',
      repoUrl: 'https://git.example.com/shop/billing',
      commitSha: SHA_A,
    });
    const row = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['repo_id'])
      .where('cicd_deployment_id', '=', 'webhook:WebhookDeployment:1:deploy-billing-1')
      .executeTakeFirstOrThrow();
    expect(row.repo_id).toBe('github:GithubRepo:1:777');
  });

  it('stores a deployment without a finish as IN_PROGRESS, and its finish when posted again', async () => {
    const started = {
      id: 'deploy-43',
      startedDate: '2026-12-01T09:00:00Z',
      repoUrl: 'https://x.test/r',
      commitSha: SHA_A,
    };
    expect((await lake.post('/connections/1/deployments', started)).status).toBe(201);
    const statusOf = async () =>
      lake.store.db
        .selectFrom('cicd_deployments')
        .select(['status', 'finished_date', 'duration_sec'])
        .where('id', '=', 'webhook:WebhookDeployment:1:deploy-43')
        .executeTakeFirstOrThrow();
    expect(await statusOf()).toMatchObject({ status: 'IN_PROGRESS', finished_date: null, duration_sec: null });
    await lake.post('/connections/1/deployments', { ...started, finishedDate: '2026-12-01T09:02:00Z' });
    const finished = await statusOf();
    expect(finished.status).toBe('DONE');
    expect(Number(finished.duration_sec)).toBe(120);
  });

  it('writes one row per id under concurrent posts, retries among them', async () => {
    const ids = Array.from({ length: 12 }, (_, index) => `burst-${index}`);
    const posts = ids.flatMap((id) =>
      [0, 1, 2].map(() =>
        lake.post('/connections/1/deployments', {
          id,
          startedDate: '2026-12-02T10:00:00Z',
          finishedDate: '2026-12-02T10:01:00Z',
          deploymentCommits: [
            { repoUrl: 'https://x.test/one', commitSha: SHA_A },
            { repoUrl: 'https://x.test/two', commitSha: SHA_B },
          ],
        }),
      ),
    );
    const answers = await Promise.all(posts);
    expect(answers.map((answer) => answer.status).filter((status) => status !== 200 && status !== 201)).toEqual([]);
    const burst = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['cicd_deployment_id'])
      .where('cicd_deployment_id', 'like', 'webhook:WebhookDeployment:1:burst-%')
      .execute();
    expect(burst).toHaveLength(ids.length * 2);
    expect(new Set(burst.map((row) => row.cicd_deployment_id)).size).toBe(ids.length);
  });

  it('refuses requests without the connection’s token, and writes nothing', async () => {
    const before = await lake.count('cicd_deployments');
    const body = { ...deployment, id: 'stranger' };
    const missing = await lake.post('/connections/1/deployments', body, '');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(missing.body).toMatchObject({ error: { code: 'WEBHOOK_UNAUTHORIZED' } });
    expect((await lake.post('/connections/1/deployments', body, `${TOKEN_ONE}x`)).status).toBe(401);
    expect((await lake.post('/connections/1/deployments', body, TOKEN_TWO)).status).toBe(401);
    const unknown = await lake.post('/connections/9/deployments', body, TOKEN_ONE);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual((await lake.post('/connections/1/deployments', body, TOKEN_TWO)).body);
    const basic = await lake.post('/connections/1/deployments', body, '', {
      authorization: `Basic ${Buffer.from(`user:${TOKEN_ONE}`).toString('base64')}`,
    });
    expect(basic.status).toBe(401);
    expect(await lake.count('cicd_deployments')).toBe(before);
  });

  it('names every bad field of a payload and writes nothing of it', async () => {
    const before = await lake.count('cicd_deployment_commits');
    const answer = await lake.post('/connections/1/deployments', {
      name: 'no id',
      result: 'maybe',
      startedDate: 'yesterday',
      deploymentCommits: [
        { repoUrl: 'https://x.test/one', commitSha: 'abc123' },
        { repoUrl: 'https://x.test/one', commitSha: SHA_A },
      ],
      colour: 'blue',
    });
    expect(answer.status).toBe(422);
    const error = answer.body.error as { code: string; fields: Array<{ field: string; message: string }> };
    expect(error.code).toBe('WEBHOOK_PAYLOAD_INVALID');
    expect(error.fields.map((problem) => problem.field).sort()).toEqual([
      '(body)',
      'deploymentCommits.0.commitSha',
      'id',
      'result',
      'startedDate',
    ]);
    expect(error.fields.find((problem) => problem.field === '(body)')!.message).toContain('colour');
    const both = await lake.post('/connections/1/deployments', {
      ...deployment,
      id: 'both-forms',
      repoUrl: 'https://x.test/r',
      commitSha: SHA_A,
    });
    expect(both.status).toBe(422);
    expect((both.body.error as { fields: Array<{ field: string }> }).fields).toEqual([
      { field: 'deploymentCommits', message: 'give either deploymentCommits or repoUrl + commitSha, not both' },
    ]);
    const backwards = await lake.post('/connections/1/deployments', {
      id: 'backwards',
      startedDate: '2026-12-01T10:00:00Z',
      finishedDate: '2026-12-01T09:00:00Z',
      deploymentCommits: [
        { repoUrl: 'https://x.test/one', commitSha: SHA_A },
        { repoUrl: 'https://x.test/one', commitSha: SHA_B },
      ],
    });
    expect(
      (backwards.body.error as { fields: Array<{ field: string }> }).fields.map((problem) => problem.field),
    ).toEqual(['deploymentCommits.1.repoUrl', 'finishedDate']);
    expect(await lake.count('cicd_deployment_commits')).toBe(before);
  });

  it('refuses bodies that are not a JSON object, and bodies over the size limit', async () => {
    const broken = await lake.post('/connections/1/deployments', '{"id": "x",');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { code: 'WEBHOOK_BODY_INVALID' } });
    expect((await lake.post('/connections/1/deployments', '[1, 2]')).status).toBe(400);
    const huge = { ...deployment, id: 'huge', displayTitle: 'x'.repeat(60_000), deploymentCommits: [] as unknown[] };
    for (let index = 0; index < 20; index += 1)
      huge.deploymentCommits.push({
        repoUrl: `https://x.test/${index}`,
        commitSha: SHA_A,
        commitMsg: 'y'.repeat(60_000),
      });
    const tooLarge = await lake.post('/connections/1/deployments', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ error: { code: 'WEBHOOK_BODY_TOO_LARGE' } });
    expect(await lake.count('cicd_deployments', { id: 'webhook:WebhookDeployment:1:huge' })).toBe(0);
  });

  it('writes an incident as an INCIDENT issue on the connection’s board, and closes it', async () => {
    const created = await lake.post('/connections/1/incidents', {
      id: 'INC-7',
      title: 'checkout returns 502',
      createdDate: '2026-12-01T10:30:00Z',
      severity: 'SEV2',
    });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('webhook:WebhookIssue:1:INC-7');
    expect(
      await lake.count('board_issues', {
        board_id: 'webhook:WebhookConnection:1:webhook',
        issue_id: 'webhook:WebhookIssue:1:INC-7',
      }),
    ).toBe(1);
    const open = await lake.store.db
      .selectFrom('issues')
      .selectAll()
      .where('id', '=', 'webhook:WebhookIssue:1:INC-7')
      .executeTakeFirstOrThrow();
    expect(open).toMatchObject({
      type: 'INCIDENT',
      status: 'TODO',
      issue_key: 'INC-7',
      severity: 'SEV2',
      resolution_date: null,
    });

    const closed = await lake.post('/connections/1/incidents/INC-7/close', { resolvedDate: '2026-12-01T12:00:00Z' });
    expect(closed.status).toBe(200);
    for (const table of ['issues', 'incidents']) {
      const row = await lake.store.db
        .selectFrom(table)
        .selectAll()
        .where('id', '=', 'webhook:WebhookIssue:1:INC-7')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('DONE');
      expect(Number(row.lead_time_minutes)).toBe(90);
      expect(new Date(row.resolution_date as string).toISOString()).toBe('2026-12-01T12:00:00.000Z');
    }
    const incident = await lake.store.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', 'webhook:WebhookIssue:1:INC-7')
      .executeTakeFirstOrThrow();
    expect(incident).toMatchObject({
      table: 'boards',
      scope_id: 'webhook:WebhookConnection:1:webhook',
      incident_key: 'INC-7',
    });

    expect((await lake.post('/connections/1/incidents/INC-404/close', {})).status).toBe(404);
    expect((await lake.post('/connections/2/incidents/INC-7/close', {}, TOKEN_TWO)).status).toBe(404);
    const again = await lake.post('/connections/1/incidents', {
      id: 'INC-7',
      title: 'checkout returns 502',
      createdDate: '2026-12-01T10:30:00Z',
      resolvedDate: '2026-12-01T11:00:00Z',
    });
    expect(again.status).toBe(200);
    expect(await lake.count('issues', { issue_key: 'INC-7' })).toBe(1);
    expect(await lake.count('incidents', { incident_key: 'INC-7' })).toBe(1);
    const invalid = await lake.post('/connections/1/incidents', {
      id: 'INC-8',
      title: '',
      createdDate: '2026-12-01T10:30:00Z',
      status: 'DONE',
    });
    expect(
      (invalid.body.error as { fields: Array<{ field: string }> }).fields.map((problem) => problem.field).sort(),
    ).toEqual(['resolvedDate', 'title']);
  });

  it('answers other methods and paths with 405 and 404, health and token checks with 200', async () => {
    const get = await fetch(`${lake.url}/connections/1/deployments`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${lake.url}/nowhere`)).status).toBe(404);
    expect((await lake.post('/connections/1/deployments/x/close', {})).status).toBe(404);
    expect(await (await fetch(`${lake.url}/health`)).json()).toEqual({ status: 'ok' });
    const check = await fetch(`${lake.url}/connections/2`, { headers: { authorization: `Bearer ${TOKEN_TWO}` } });
    expect(check.status).toBe(200);
    expect(
      (await fetch(`${lake.url}/connections/2`, { headers: { authorization: `Bearer ${TOKEN_ONE}` } })).status,
    ).toBe(401);
  });

  it('never writes a token into its log or the lake', async () => {
    expect(lake.log.length).toBeGreaterThan(20);
    const logged = JSON.stringify(lake.log);
    const stored = await allText(lake.store, DOMAIN_TABLES);
    for (const token of [TOKEN_ONE, TOKEN_TWO]) {
      expect(logged).not.toContain(token);
      expect(stored).not.toContain(token);
    }
    expect(lake.log.some((entry) => entry.status === 401 && entry.code === 'WEBHOOK_UNAUTHORIZED')).toBe(true);
  });
});
