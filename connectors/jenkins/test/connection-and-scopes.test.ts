import { createApiClient, createDomainIds } from '@lake/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { jenkinsApiHooks, jenkinsClientOptions } from '../src/client.js';
import { jenkinsConnector } from '../src/index.js';
import { jenkinsErrorMessage } from '../src/jenkins-error-message.js';
import { buildFullName, jobPath } from '../src/job-path.js';
import { listJenkinsScopes } from '../src/remote-scopes.js';
import { API_TOKEN, JENKINS_VERSION, REVOKED_TOKEN, USER } from './fake-jenkins/fake-jenkins.js';
import { type JenkinsFixture, jenkinsDataset, jenkinsFixture } from './fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function fixture(): Promise<JenkinsFixture> {
  const made = await jenkinsFixture(jenkinsDataset(3));
  closers.push(made.close);
  return made;
}

const testConnection = (endpoint: string, apiToken: string, username = USER) =>
  jenkinsConnector.testConnection({
    connection: jenkinsConnector.connection.parse({ endpoint, username, apiToken }),
    logger: undefined,
    signal: new AbortController().signal,
  } as never);

const clientOf = (url: string, apiToken = API_TOKEN) =>
  createApiClient({
    ...jenkinsClientOptions(jenkinsConnector.connection.parse({ endpoint: url, username: USER, apiToken })),
    retry: { limit: 1 },
  });

describe('test-connection', () => {
  it('names the user and the Jenkins version', async () => {
    const { jenkins } = await fixture();
    const result = await testConnection(jenkins.url, API_TOKEN);
    expect(result).toMatchObject({ ok: true, details: { username: USER, version: JENKINS_VERSION } });
    expect(result.message).toBe(`authenticated as ${USER} (Alice Example); Jenkins ${JENKINS_VERSION}`);
    // Basic auth in a header, never in a URL.
    expect(jenkins.api.log.every((request) => !request.query.includes(API_TOKEN))).toBe(true);
  });

  it('fails on a wrong token with Jenkins’ reason, never naming the token', async () => {
    const { jenkins } = await fixture();
    const result = await testConnection(jenkins.url, REVOKED_TOKEN);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('rejected by Jenkins (401)');
    expect(result.message).toContain(`Invalid password/token for user: ${USER}`);
    expect(JSON.stringify(result)).not.toContain(REVOKED_TOKEN);
  });

  it('says when nothing answers', async () => {
    const result = await testConnection('http://127.0.0.1:9/', API_TOKEN);
    expect(result).toMatchObject({ ok: false, details: { error: expect.any(String) } });
  });
});

describe('configuration', () => {
  it('names every bad field', () => {
    const parsed = jenkinsConnector.connection.safeParse({ endpoint: 'not a url', username: '', maxInFlight: 0 });
    expect(parsed.success).toBe(false);
    const fields = parsed.error!.issues.map((issue) => issue.path.join('.')).sort();
    expect(fields).toEqual(['apiToken', 'endpoint', 'maxInFlight', 'username']);
    const scope = jenkinsConnector.scope.schema.safeParse({ job: '/leading/slash' });
    expect(scope.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['job']);
    const config = jenkinsConnector.scopeConfig.safeParse({ deploymentPattern: '(', timeAfter: 'yesterday' });
    expect(config.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'deploymentPattern',
      'timeAfter',
    ]);
  });

  it('writes job paths and DevLake names as Jenkins does', () => {
    expect(jobPath('folder/sub/job')).toBe('job/folder/job/sub/job/job/');
    expect(jobPath('svc/feature%2Flogin')).toBe('job/svc/job/feature%252Flogin/');
    expect(buildFullName('folder/job', 7)).toBe('folder/job#7');
    expect(createDomainIds('jenkins', 1).of('JenkinsBuild', buildFullName('folder/job', 7))).toBe(
      'jenkins:JenkinsBuild:1:folder/job#7',
    );
  });
});

describe('the API client', () => {
  it('sends the crumb with a POST, fetched once, and Jenkins refuses a POST without it', async () => {
    const { jenkins, dataset } = await fixture();
    const bare = await fetch(`${jenkins.url}job/legacy/build`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${USER}:${API_TOKEN}`).toString('base64')}` },
    });
    expect(bare.status).toBe(403);
    const client = clientOf(jenkins.url);
    for (let round = 0; round < 2; round += 1) {
      const response = await client.request({ method: 'POST', path: '/job/legacy/build', idempotent: true });
      expect(response.status).toBe(201);
    }
    expect(jenkins.api.requestsTo('/crumbIssuer').length).toBe(1);
    expect(dataset.job('legacy').builds.length).toBe(5);
  });

  it('answers anonymous requests 403 and unknown jobs 404, with the reasons of Jenkins’ error pages', async () => {
    const { jenkins } = await fixture();
    const anonymous = await fetch(`${jenkins.url}api/json`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('x-you-are-authenticated-as')).toBe('anonymous');
    await expect(clientOf(jenkins.url).get('/job/nope/api/json')).rejects.toMatchObject({ status: 404 });
    const badTree = await clientOf(jenkins.url).get('/api/json', {
      searchParams: { tree: 'jobs[' },
      allowStatus: [400],
    });
    expect(badTree.status).toBe(400);
    expect(jenkinsErrorMessage('<html><head><title>Oops</title></head></html>')).toBe('Oops');
    expect(jenkinsErrorMessage('{"message":"plugin says no"}')).toBe('plugin says no');
    expect(jenkinsErrorMessage('No valid crumb was included in the request')).toBe(
      'No valid crumb was included in the request',
    );
    expect(jenkinsErrorMessage('plain')).toBeUndefined();
    expect(jenkinsErrorMessage('42')).toBeUndefined();
    expect(jenkinsApiHooks().classifyResponse!({ status: 403, body: 'No valid crumb', headers: {} } as never)).toEqual({
      kind: 'retry',
      renew: true,
    });
  });
});

describe('remote scopes', () => {
  it('walks folders; a multibranch pipeline and every other job is a scope', async () => {
    const { jenkins } = await fixture();
    const api = clientOf(jenkins.url);
    const root = await listJenkinsScopes(api, {});
    expect(root.entries).toEqual([
      { kind: 'group', id: 'app', name: 'app' },
      { kind: 'scope', id: 'legacy', name: 'legacy', scope: { job: 'legacy' } },
      { kind: 'group', id: 'empty', name: 'empty' },
    ]);
    const app = await listJenkinsScopes(api, { groupId: 'app' });
    expect(app.entries).toEqual([
      { kind: 'scope', id: 'app/deploy', name: 'app/deploy', scope: { job: 'app/deploy' } },
      { kind: 'scope', id: 'app/service', name: 'app/service', scope: { job: 'app/service' } },
    ]);
    expect((await listJenkinsScopes(api, { groupId: 'empty' })).entries).toEqual([]);
  });
});
