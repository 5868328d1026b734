import { ApiError, type ConnectionContext, createApiClient, messageOf, type TestConnectionResult } from '@lake/sdk';
import { githubApiHooks } from './client.js';
import type { GithubTypes } from './settings.js';

interface RateLimit {
  resources?: { core?: { limit: number; remaining: number; reset: number } };
}

/**
 * Checks every token on its own: who it authenticates as and how much of its hourly quota
 * is left. One bad token fails the check, naming which one (never its value).
 */
export async function testGithubConnection(context: ConnectionContext<GithubTypes>): Promise<TestConnectionResult> {
  const { connection } = context;
  const lines: string[] = [];
  const tokens: Array<Record<string, unknown>> = [];
  let ok = true;
  for (const [index, token] of connection.tokens.entries()) {
    const label = connection.tokens.length > 1 ? `token #${index + 1}: ` : '';
    const api = createApiClient({
      baseUrl: connection.endpoint,
      auth: { type: 'bearer', token },
      ...(connection.proxy ? { proxy: connection.proxy } : {}),
      headers: { accept: 'application/vnd.github+json' },
      retry: { limit: 1 },
      hooks: githubApiHooks(),
      signal: context.signal,
      source: 'github',
    });
    try {
      const user = await api.get<{ login: string }>('/user');
      const quota = (await api.get<RateLimit>('/rate_limit')).body.resources?.core;
      const left = quota
        ? `, ${quota.remaining.toLocaleString('en-US')} of ${quota.limit.toLocaleString('en-US')} requests left this hour`
        : '';
      lines.push(`${label}authenticated as ${user.body.login}${left}`);
      tokens.push({ login: user.body.login, remaining: quota?.remaining, limit: quota?.limit });
    } catch (error) {
      ok = false;
      const reason =
        error instanceof ApiError && error.code === 'HTTP_AUTH'
          ? 'rejected by GitHub (401 Bad credentials): the token is wrong, expired or revoked'
          : messageOf(error);
      lines.push(`${label}${reason}`);
      tokens.push({ error: error instanceof ApiError ? error.code : 'CONNECTION_FAILED' });
    }
  }
  return { ok, message: lines.join('; '), details: { endpoint: connection.endpoint, tokens } };
}
