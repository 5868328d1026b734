/** The HTTP toolkit: the client, its hooks and errors, budgets and pagination strategies. */
export type { ApiAuth, AuthProvider, Credential } from './api-auth.js';
export { ApiClient, type ApiClientOptions, createApiClient } from './api-client.js';
export type { ApiClientHooks, PrepareRequestContext } from './api-client-hooks.js';
export { ApiError, type ApiErrorDetails } from './api-error.js';
export type { ApiRequest, ApiResponse, HttpMethod } from './api-request.js';
export type { CredentialBudget } from './credential-budget.js';
export { type CursorOptions, cursor } from './pagination/cursor.js';
export { type GraphqlConnection, type GraphqlCursorOptions, graphqlCursor } from './pagination/graphql-cursor.js';
export { type LinkHeaderOptions, linkHeader, parseLinkHeader } from './pagination/link-header.js';
export { type NextPageHeaderOptions, nextPageHeader } from './pagination/next-page-header.js';
export { type OffsetOptions, offset } from './pagination/offset.js';
export { type PageNumberOptions, pageNumber } from './pagination/page-number.js';
export { type Page, type PaginateOptions, paginate } from './pagination/paginate.js';
export type { NextPage, PageContent, PageCursor, PaginationStrategy } from './pagination/pagination-strategy.js';
export {
  headerValue,
  type RateLimitState,
  type ResponseHeaders,
  readRateLimit,
  retryAfterMs,
} from './rate-limit-headers.js';
export { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
export {
  type RateLimitScope,
  type ResponseContext,
  type ResponseVerdict,
  standardVerdict,
} from './response-verdict.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
