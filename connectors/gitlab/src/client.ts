import { type ClientFactoryContext, createApiClient } from '@lake/sdk';
import type { GitlabClient, GitlabTypes } from './settings.js';

// #region client
/**
 * One API client per sync, on the SDK's HTTP toolkit: bearer auth, retries with backoff on
 * network errors, 429 and 5xx (honouring Retry-After), waits on the IETF RateLimit headers,
 * and at most `maxInFlight` requests at once for all streams. What the API does its own way
 * (rate limits told by a 403, quota headers of its own, error bodies) goes in `hooks`.
 */
export function createGitlabClient(context: ClientFactoryContext<GitlabTypes>): GitlabClient {
  const { connection } = context;
  return {
    api: createApiClient({
      baseUrl: connection.endpoint,
      auth: { type: 'bearer', token: connection.token },
      headers: { accept: 'application/json' },
      budget: { maxInFlight: connection.maxInFlight },
      logger: context.logger,
      redactor: context.redactor,
      signal: context.signal,
      source: 'gitlab',
    }),
  };
}
// #endregion client
