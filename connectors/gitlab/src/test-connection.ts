import { ApiError, type ConnectionContext, createApiClient, messageOf, type TestConnectionResult } from '@lake/sdk';
import { gitlabApiHooks } from './client.js';
import type { GitlabTypes } from './settings.js';

interface GitlabUser {
  username: string;
}

interface TokenInfo {
  name?: string;
  scopes?: string[];
  expires_at?: string | null;
}

/**
 * Who the token authenticates as (`/user`) and what it may do (`/personal_access_tokens/self`,
 * which answers for personal, project and group access tokens alike; instances older than
 * GitLab 15.5 answer 404 and the scopes go unnamed).
 */
export async function testGitlabConnection(context: ConnectionContext<GitlabTypes>): Promise<TestConnectionResult> {
  const { connection } = context;
  const api = createApiClient({
    baseUrl: connection.endpoint,
    auth: { type: 'header', name: 'PRIVATE-TOKEN', value: connection.token },
    ...(connection.proxy ? { proxy: connection.proxy } : {}),
    headers: { accept: 'application/json' },
    retry: { limit: 1 },
    hooks: gitlabApiHooks(),
    signal: context.signal,
    source: 'gitlab',
  });
  try {
    const user = (await api.get<GitlabUser>('/user')).body;
    const token = await api.get<TokenInfo>('/personal_access_tokens/self', { allowStatus: [403, 404] });
    const scopes = token.status === 200 && Array.isArray(token.body.scopes) ? token.body.scopes : undefined;
    const scopeText = scopes
      ? `token scopes: ${scopes.join(', ') || 'none'}`
      : 'token scopes unknown (the instance does not say)';
    const expiry = token.status === 200 && token.body.expires_at ? `, expires ${token.body.expires_at}` : '';
    return {
      ok: true,
      message: `authenticated as ${user.username}; ${scopeText}${expiry}`,
      details: { endpoint: connection.endpoint, username: user.username, ...(scopes ? { scopes } : {}) },
    };
  } catch (error) {
    const reason =
      error instanceof ApiError && error.code === 'HTTP_AUTH'
        ? `rejected by GitLab (${error.status ?? 'auth'}): the token is wrong, expired or revoked, or lacks the read_api scope`
        : messageOf(error);
    return {
      ok: false,
      message: reason,
      details: { endpoint: connection.endpoint, error: error instanceof ApiError ? error.code : 'CONNECTION_FAILED' },
    };
  }
}
