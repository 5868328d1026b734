import { type ApiClientHooks, type ClientFactoryContext, createApiClient } from '@lake/sdk';
import { gitlabErrorMessage } from './gitlab-error-message.js';
import { classifyGitlabResponse } from './gitlab-rate-limits.js';
import type { GitlabClient, GitlabTypes } from './settings.js';

/** The named budget of the pipelines API (pipelines and their jobs), which GitLab limits on its own. */
export const PIPELINES_BUDGET = 'pipelines';

/** What GitLab does its own way, for the SDK's client: per-endpoint 429s and its error bodies. */
export function gitlabApiHooks(): ApiClientHooks {
  return { classifyResponse: classifyGitlabResponse, errorMessage: gitlabErrorMessage };
}

/**
 * One API client per sync: the token as `PRIVATE-TOKEN`, one budget shared by every stream, and
 * the pipelines API's budget within it. GitLab's `RateLimit-Remaining`/`RateLimit-Reset` are read by
 * the SDK (Reset is a Unix time there), 429s honour `Retry-After`.
 */
export function createGitlabClient(context: ClientFactoryContext<GitlabTypes>): GitlabClient {
  const { connection } = context;
  return {
    api: createApiClient({
      baseUrl: connection.endpoint,
      auth: { type: 'header', name: 'PRIVATE-TOKEN', value: connection.token },
      ...(connection.proxy ? { proxy: connection.proxy } : {}),
      headers: { accept: 'application/json' },
      budget: {
        maxInFlight: connection.maxInFlight,
        ...(connection.maxPerSecond === undefined ? {} : { maxPerSecond: connection.maxPerSecond }),
      },
      budgets: {
        [PIPELINES_BUDGET]: { maxInFlight: connection.maxInFlight, maxPerSecond: connection.pipelinesPerHour / 3600 },
      },
      hooks: gitlabApiHooks(),
      logger: context.logger,
      redactor: context.redactor,
      signal: context.signal,
      source: 'gitlab',
    }),
  };
}
