import { defineConnector } from '@lake/sdk';
import { createJenkinsClient } from './client.js';
import { migrations } from './migrations/index.js';
import { listJenkinsScopes } from './remote-scopes.js';
import { connectionSchema, scopeConfigSchema, scopeSchema } from './settings.js';
import { buildsStream } from './streams/builds-stream.js';
import { jobStream } from './streams/job-stream.js';
import { testJenkinsConnection } from './test-connection.js';

/**
 * The Jenkins connector: one job per scope (in folders, or a multibranch pipeline with its
 * branch jobs), its builds, Pipeline stages and built revisions as DevLake's CI/CD domain, with
 * DevLake's ids (`jenkins:JenkinsBuild:<connection>:<job full name>#<number>`).
 */
export const jenkinsConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'jenkins',
  description: 'Builds, Pipeline stages and the commits each build built, of Jenkins jobs',
  domainTypes: ['CICD'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: (scope) => scope.job,
    name: (scope) => scope.job,
    // DevLake's Jenkins params: {"ConnectionId":1,"FullName":"folder/job"}.
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, FullName: scope.job }),
  },
  scopeConfig: scopeConfigSchema,
  client: createJenkinsClient,
  testConnection: testJenkinsConnection,
  listRemoteScopes: (context, request) => listJenkinsScopes(context.client.api, request),
  domainScopes: (context) => [{ table: 'cicd_scopes', id: context.ids.of('JenkinsJob', context.scope.job) }],
  streams: [jobStream, buildsStream],
  migrations,
});
