import { type ApiClientHooks, type ClientFactoryContext, createApiClient } from '@lake/sdk';
import { githubErrorMessage } from './github-error-message.js';
import { classifyGithubResponse, type GithubRateLimitOptions, readGithubQuota } from './github-rate-limits.js';
import type { GithubClient, GithubTypes } from './settings.js';

/** The REST API version this connector is written and tested against. */
export const GITHUB_API_VERSION = '2022-11-28';

/** What GitHub does its own way, for the SDK's client: its rate limits, quota headers and error bodies. */
export function githubApiHooks(options: GithubRateLimitOptions = {}): ApiClientHooks {
  return {
    classifyResponse: (response) => classifyGithubResponse(response, options),
    readQuota: readGithubQuota,
    errorMessage: githubErrorMessage,
  };
}

/** One API client per sync: the tokens rotate as a pool, and every stream shares the request budget. */
export function createGithubClient(context: ClientFactoryContext<GithubTypes>): GithubClient {
  const { connection } = context;
  return {
    api: createApiClient({
      baseUrl: connection.endpoint,
      auth: { type: 'pool', tokens: connection.tokens, scheme: 'Bearer' },
      ...(connection.proxy ? { proxy: connection.proxy } : {}),
      headers: { accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION },
      budget: {
        maxInFlight: connection.maxInFlight,
        ...(connection.maxPerSecond === undefined ? {} : { maxPerSecond: connection.maxPerSecond }),
      },
      hooks: githubApiHooks(),
      logger: context.logger,
      redactor: context.redactor,
      signal: context.signal,
      source: 'github',
    }),
  };
}
