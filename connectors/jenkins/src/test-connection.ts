import { ApiError, type ConnectionContext, createApiClient, messageOf, type TestConnectionResult } from '@lake/sdk';
import { jenkinsClientOptions } from './client.js';
import type { JenkinsTypes } from './settings.js';

interface Me {
  id?: string;
  fullName?: string;
}

/** Who the token authenticates as (`/me/api/json`) and which Jenkins answers (its `X-Jenkins` header). */
export async function testJenkinsConnection(context: ConnectionContext<JenkinsTypes>): Promise<TestConnectionResult> {
  const { connection } = context;
  const api = createApiClient({ ...jenkinsClientOptions(connection), retry: { limit: 1 }, signal: context.signal });
  try {
    const response = await api.get<Me>('/me/api/json', { searchParams: { tree: 'id,fullName' } });
    const user = response.body.id ?? connection.username;
    if (user === 'anonymous') {
      return {
        ok: false,
        message: 'Jenkins took the request as anonymous: the user name or the API token is not accepted',
        details: { endpoint: connection.endpoint, error: 'HTTP_AUTH' },
      };
    }
    const version = headerOf(response.headers['x-jenkins']);
    const versionText = version ? `Jenkins ${version}` : 'no X-Jenkins header (is this a Jenkins?)';
    return {
      ok: true,
      message: `authenticated as ${user}${response.body.fullName ? ` (${response.body.fullName})` : ''}; ${versionText}`,
      details: { endpoint: connection.endpoint, username: user, ...(version ? { version } : {}) },
    };
  } catch (error) {
    const reason =
      error instanceof ApiError && error.code === 'HTTP_AUTH'
        ? `rejected by Jenkins (${error.status ?? 'auth'}): ${error.message}`
        : messageOf(error);
    return {
      ok: false,
      message: reason,
      details: { endpoint: connection.endpoint, error: error instanceof ApiError ? error.code : 'CONNECTION_FAILED' },
    };
  }
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
