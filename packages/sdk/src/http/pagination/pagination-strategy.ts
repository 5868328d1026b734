import type { ApiRequest, ApiResponse } from '../api-request.js';

/** Where a page starts, as JSON: checkpoint it, and pass it back as `resume` to continue there. */
export type PageCursor = string | number | { [key: string]: PageCursor | boolean | null };

export interface NextPage {
  request: ApiRequest;
  cursor: PageCursor;
}

export interface PageContent<T> {
  items: T[];
  next?: NextPage;
  /** Items in all pages, when the API says. */
  total?: number;
}

/**
 * One way an API pages its results. `paginate(request, strategy)` drives it; a connector
 * picks a strategy in one line (`linkHeader()`, `pageNumber({ size: 100 })`, …) or writes one.
 */
export interface PaginationStrategy<T> {
  /** The first request, or the one for the page `resume` points at. */
  start(request: ApiRequest, resume: PageCursor | undefined): ApiRequest;
  /** A page's items, the request for the next page (none on the last), and the total if known. */
  read(response: ApiResponse, request: ApiRequest): PageContent<T>;
  /**
   * Every later page's request, when one response tells how many there are (a Link
   * `rel="last"`, a total count). Lets `paginate` fetch several pages at once.
   */
  remaining?(response: ApiResponse, request: ApiRequest): NextPage[] | undefined;
  /**
   * The same strategy reading its items from where `select` says (a declarative stream's
   * `records` pointer). Strategies whose next page depends on how many items a page had
   * (offset, page number) must count the right ones, so they are rebuilt rather than wrapped.
   */
  withItems?(select: (body: never) => unknown): PaginationStrategy<T>;
}

/** The items of a body: the body itself when it is an array, else what `select` picks. */
export function itemsOf<T>(body: unknown, select?: (body: never) => unknown): T[] {
  const items = select ? select(body as never) : body;
  return Array.isArray(items) ? (items as T[]) : [];
}

/** A copy of a request with some search parameters changed. */
export function withParams(request: ApiRequest, params: Record<string, string | number | undefined>): ApiRequest {
  return { ...request, searchParams: { ...request.searchParams, ...params } };
}
