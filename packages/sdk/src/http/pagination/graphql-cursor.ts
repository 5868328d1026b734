import { ApiError } from '../api-error.js';
import type { ApiRequest } from '../api-request.js';
import type { PaginationStrategy } from './pagination-strategy.js';

export interface GraphqlConnection<T> {
  nodes?: T[];
  edges?: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

export interface GraphqlCursorOptions<T> {
  /** The query; it declares `$after: String` and selects `pageInfo { hasNextPage endCursor }`. */
  query: string;
  variables?: Record<string, unknown>;
  /** Where the connection is in `data`, e.g. `(data) => data.repository.issues`. */
  connection: (data: never) => GraphqlConnection<T>;
  /** Default `/graphql`. */
  path?: string;
}

/**
 * Relay-style GraphQL pagination: `pageInfo { hasNextPage endCursor }`, the cursor passed
 * back as `$after`. Queries are sent as POST and retried (they are safe).
 */
export function graphqlCursor<T = unknown>(
  options: GraphqlCursorOptions<T>,
): PaginationStrategy<T> & { request: ApiRequest } {
  const request = (after: string | null): ApiRequest => ({
    method: 'POST',
    path: options.path ?? '/graphql',
    json: { query: options.query, variables: { ...options.variables, after } },
    idempotent: true,
  });
  return {
    request: request(null),
    start: (_request, resume) => request(typeof resume === 'string' ? resume : null),
    read(response) {
      const body = response.body as { data?: unknown; errors?: Array<{ message?: string }> };
      if (body.errors?.length || body.data === undefined) {
        throw new ApiError(
          'HTTP_ERROR',
          `GraphQL: ${(body.errors ?? []).map((error) => error.message).join('; ') || 'no data'}`,
          {
            method: 'POST',
            url: response.url,
            status: response.status,
            attempts: 1,
          },
        );
      }
      const connection = options.connection(body.data as never);
      const items = connection.nodes ?? connection.edges?.map((edge) => edge.node) ?? [];
      const after = connection.pageInfo.endCursor;
      return {
        items,
        ...(connection.totalCount === undefined ? {} : { total: connection.totalCount }),
        ...(connection.pageInfo.hasNextPage && after ? { next: { request: request(after), cursor: after } } : {}),
      };
    },
  };
}
