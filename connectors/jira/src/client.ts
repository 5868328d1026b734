import { type ApiAuth, type ClientFactoryContext, createApiClient } from '@lake/sdk';
import { jiraErrorMessage } from './jira-error-message.js';
import { type JiraClient, type JiraConnection, type JiraTypes, restVersionOf } from './settings.js';

/** The SDK's auth for a connection: basic (e-mail + API token) on Cloud, bearer (PAT) on Data Center. */
export function jiraAuth(connection: Pick<JiraConnection, 'auth'>): ApiAuth {
  const { auth } = connection;
  return auth.type === 'basic'
    ? { type: 'basic', username: auth.email, password: auth.apiToken }
    : { type: 'bearer', token: auth.token };
}

/**
 * One API client per sync: retries with backoff on network errors, 429 (honouring
 * `Retry-After`) and 5xx, Atlassian's error bodies in messages, and one request budget for
 * every stream of the sync.
 */
export function createJiraClient(context: ClientFactoryContext<JiraTypes>): JiraClient {
  const { connection } = context;
  return {
    restVersion: restVersionOf(connection),
    boardFilters: new Map(),
    api: createApiClient({
      baseUrl: connection.endpoint,
      auth: jiraAuth(connection),
      ...(connection.proxy ? { proxy: connection.proxy } : {}),
      headers: { accept: 'application/json' },
      budget: {
        maxInFlight: connection.maxInFlight,
        ...(connection.maxPerSecond === undefined ? {} : { maxPerSecond: connection.maxPerSecond }),
      },
      hooks: { errorMessage: jiraErrorMessage },
      logger: context.logger,
      redactor: context.redactor,
      signal: context.signal,
      source: 'jira',
    }),
  };
}
