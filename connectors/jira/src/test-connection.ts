import { ApiError, type ConnectionContext, createApiClient, messageOf, type TestConnectionResult } from '@lake/sdk';
import { jiraAuth } from './client.js';
import { jiraErrorMessage } from './jira-error-message.js';
import type { JiraTypes } from './settings.js';

interface Myself {
  accountId?: string;
  name?: string;
  displayName?: string;
  emailAddress?: string;
  timeZone?: string;
}

interface ServerInfo {
  deploymentType?: string;
  version?: string;
}

/**
 * Who the credentials authenticate as (`/rest/api/2/myself`) and what the server is
 * (`/rest/api/2/serverInfo`: Cloud, Server or Data Center, and its version).
 */
export async function testJiraConnection(context: ConnectionContext<JiraTypes>): Promise<TestConnectionResult> {
  const { connection } = context;
  const api = createApiClient({
    baseUrl: connection.endpoint,
    auth: jiraAuth(connection),
    ...(connection.proxy ? { proxy: connection.proxy } : {}),
    headers: { accept: 'application/json' },
    retry: { limit: 1 },
    hooks: { errorMessage: jiraErrorMessage },
    signal: context.signal,
    source: 'jira',
  });
  try {
    const user = (await api.get<Myself>('/rest/api/2/myself')).body;
    const server = (await api.get<ServerInfo>('/rest/api/2/serverInfo')).body;
    const who = user.displayName ?? user.name ?? user.accountId ?? 'unknown user';
    const deployment = server.deploymentType ?? 'unknown deployment';
    return {
      ok: true,
      message: `authenticated as ${who} on Jira ${deployment} ${server.version ?? '(version unknown)'}`,
      details: {
        user: who,
        deploymentType: deployment,
        version: server.version ?? null,
        timeZone: user.timeZone ?? null,
      },
    };
  } catch (error) {
    const reason =
      error instanceof ApiError && error.code === 'HTTP_AUTH'
        ? `rejected by Jira (${error.status}): the credentials are wrong, expired or revoked`
        : messageOf(error);
    return { ok: false, message: reason, details: { endpoint: connection.endpoint } };
  }
}
