import { defineConnector } from '@lake/sdk';
import { createGithubClient } from './client.js';
import { migrations } from './migrations/index.js';
import { listGithubScopes } from './remote-scopes.js';
import { repositoryDomainScopes } from './repository-domain-scopes.js';
import { connectionSchema, scopeConfigSchema, scopeSchema } from './settings.js';
import { accountsStream } from './streams/accounts-stream.js';
import { commitsStream } from './streams/commits-stream.js';
import { deploymentsStream } from './streams/deployments-stream.js';
import { issueCommentsStream } from './streams/issue-comments-stream.js';
import { issuesStream } from './streams/issues-stream.js';
import { pullRequestCommitsStream, pullRequestReviewsStream } from './streams/pull-request-substreams.js';
import { pullRequestsStream } from './streams/pull-requests-stream.js';
import { repositoryStream } from './streams/repository-stream.js';
import { reviewCommentsStream } from './streams/review-comments-stream.js';
import { workflowJobsStream, workflowRunsStream } from './streams/workflow-runs-stream.js';
import { testGithubConnection } from './test-connection.js';

/**
 * The GitHub connector: one repository per scope, from github.com or GitHub Enterprise
 * Server, into DevLake's code, code-review, ticket and CI/CD domains.
 */
export const githubConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'github',
  description:
    'Issues, pull requests, reviews, comments, commits, workflow runs and jobs, deployments and accounts of GitHub repositories',
  domainTypes: ['CODE', 'CODEREVIEW', 'TICKET', 'CICD', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: (scope) => scope.fullName,
    name: (scope) => scope.fullName,
    // DevLake's GitHub params: {"ConnectionId":1,"Name":"owner/repo"}.
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, Name: scope.fullName }),
  },
  scopeConfig: scopeConfigSchema,
  client: createGithubClient,
  testConnection: testGithubConnection,
  listRemoteScopes: (context, request) => listGithubScopes(context.client.api, request),
  domainScopes: repositoryDomainScopes,
  streams: [
    repositoryStream,
    issuesStream,
    pullRequestsStream,
    pullRequestCommitsStream,
    pullRequestReviewsStream,
    reviewCommentsStream,
    issueCommentsStream,
    commitsStream,
    workflowRunsStream,
    workflowJobsStream,
    deploymentsStream,
    accountsStream,
  ],
  migrations,
});
