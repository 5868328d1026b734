import { defineConnector } from '@lake/sdk';
import { createGitlabClient } from './client.js';
import { migrations } from './migrations/index.js';
import { projectDomainScopes } from './project-domain-scopes.js';
import { listGitlabScopes } from './remote-scopes.js';
import { connectionSchema, scopeConfigSchema, scopeSchema } from './settings.js';
import { accountsStream } from './streams/accounts-stream.js';
import { commitsStream } from './streams/commits-stream.js';
import { deploymentsStream, environmentsStream } from './streams/deployments-stream.js';
import { issueNotesStream, issuesStream } from './streams/issues-stream.js';
import {
  mergeRequestApprovalsStream,
  mergeRequestCommitsStream,
  mergeRequestNotesStream,
  mergeRequestsStream,
} from './streams/merge-requests-stream.js';
import { jobsStream, pipelinesStream } from './streams/pipelines-stream.js';
import { projectStream } from './streams/project-stream.js';
import { testGitlabConnection } from './test-connection.js';

/** A numeric id given as a string ("4242") is the number DevLake keeps; a path stays a path. */
const rawProjectId = (project: string | number) =>
  typeof project === 'string' && /^\d+$/.test(project) ? Number(project) : project;

/**
 * The GitLab connector: one project per scope, from GitLab.com or a self-managed instance, into
 * DevLake's code, code-review, ticket and CI/CD domains, with DevLake's ids.
 */
export const gitlabConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'gitlab',
  description:
    'Merge requests, notes, commits, pipelines and jobs, deployments, issues and their notes, and members of GitLab projects',
  domainTypes: ['CODE', 'CODEREVIEW', 'TICKET', 'CICD', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: (scope) => String(scope.project),
    name: (scope) => String(scope.project),
    // DevLake's GitLab params: {"ConnectionId":1,"ProjectId":12345678}, the path when the scope names the project so.
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, ProjectId: rawProjectId(scope.project) }),
  },
  scopeConfig: scopeConfigSchema,
  client: createGitlabClient,
  testConnection: testGitlabConnection,
  listRemoteScopes: (context, request) => listGitlabScopes(context.client.api, request),
  domainScopes: projectDomainScopes,
  streams: [
    projectStream,
    mergeRequestsStream,
    mergeRequestCommitsStream,
    mergeRequestNotesStream,
    mergeRequestApprovalsStream,
    commitsStream,
    pipelinesStream,
    jobsStream,
    environmentsStream,
    deploymentsStream,
    issuesStream,
    issueNotesStream,
    accountsStream,
  ],
  migrations,
});
