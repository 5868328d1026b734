/** The HTTP toolkit: the client, its errors, budgets and pagination strategies. */
export type { ApiAuth, AuthProvider, Credential } from './api-auth.js';
export {
  ApiClient,
  type ApiClientHooks,
  type ApiClientOptions,
  type ApiRequest,
  type ApiResponse,
  createApiClient,
  type HttpMethod,
  type ResponseHeaders,
} from './api-client.js';
export { ApiError, type ApiErrorDetails } from './api-error.js';
export { type CursorOptions, cursor } from './pagination/cursor.js';
export { type GraphqlConnection, type GraphqlCursorOptions, graphqlCursor } from './pagination/graphql-cursor.js';
export { type LinkHeaderOptions, linkHeader, parseLinkHeader } from './pagination/link-header.js';
export { type NextPageHeaderOptions, nextPageHeader } from './pagination/next-page-header.js';
export { type OffsetOptions, offset } from './pagination/offset.js';
export { type PageNumberOptions, pageNumber } from './pagination/page-number.js';
export { type Page, type PaginateOptions, paginate } from './pagination/paginate.js';
export type { NextPage, PageContent, PageCursor, PaginationStrategy } from './pagination/pagination-strategy.js';
export { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, readRateLimit, retryAfterMs } from './retry-policy.js';
