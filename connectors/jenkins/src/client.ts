import {
  type ApiClientHooks,
  type ApiRequest,
  type ClientFactoryContext,
  createApiClient,
  type PrepareRequestContext,
} from '@lake/sdk';
import { jenkinsErrorMessage } from './jenkins-error-message.js';
import type { JenkinsClient, JenkinsConnection, JenkinsTypes } from './settings.js';

interface Crumb {
  crumbRequestField: string;
  crumb: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * What Jenkins does its own way: HTML error pages, and CSRF crumbs. A request that changes
 * something (POST) carries the crumb of `/crumbIssuer/api/json`, fetched once and again when
 * Jenkins answers 403 "No valid crumb" (a crumb is tied to the session that asked for it).
 */
export function jenkinsApiHooks(): ApiClientHooks {
  let crumb: Promise<Crumb | undefined> | undefined;
  return {
    errorMessage: jenkinsErrorMessage,
    classifyResponse: (response) =>
      response.status === 403 && /No valid crumb/.test(response.body) ? { kind: 'retry', renew: true } : undefined,
    async prepareRequest(request: ApiRequest, context: PrepareRequestContext) {
      if (SAFE_METHODS.has((request.method ?? 'GET').toUpperCase())) return undefined;
      if (!crumb || context.renew) crumb = fetchCrumb(context);
      const current = await crumb;
      return current ? { [current.crumbRequestField]: current.crumb } : undefined;
    },
  };
}

/** The crumb, or undefined when CSRF protection is off (Jenkins answers 404). */
async function fetchCrumb(context: PrepareRequestContext): Promise<Crumb | undefined> {
  const response = await context.client.get<Crumb>('/crumbIssuer/api/json', { allowStatus: [404] });
  return response.status === 404 ? undefined : response.body;
}

/** The client options of a connection: basic auth with the API token, its proxy and budget. */
export function jenkinsClientOptions(connection: JenkinsConnection) {
  return {
    baseUrl: connection.endpoint,
    auth: { type: 'basic' as const, username: connection.username, password: connection.apiToken },
    ...(connection.proxy ? { proxy: connection.proxy } : {}),
    headers: { accept: 'application/json' },
    budget: {
      maxInFlight: connection.maxInFlight,
      ...(connection.maxPerSecond === undefined ? {} : { maxPerSecond: connection.maxPerSecond }),
    },
    hooks: jenkinsApiHooks(),
    source: 'jenkins',
  };
}

/** One API client per sync, every stream sharing its budget. */
export function createJenkinsClient(context: ClientFactoryContext<JenkinsTypes>): JenkinsClient {
  return {
    api: createApiClient({
      ...jenkinsClientOptions(context.connection),
      logger: context.logger,
      redactor: context.redactor,
      signal: context.signal,
    }),
  };
}
