import { itemsOf, type NextPage, type PaginationStrategy, withParams } from './pagination-strategy.js';

export interface PageNumberOptions {
  pageParam?: string;
  sizeParam?: string;
  /** Items per page. Default 100. */
  size?: number;
  /** Number of the first page. Default 1. */
  firstPage?: number;
  items?: (body: never) => unknown;
  /** Total items, from the body (or headers via `response`), when the API gives it. */
  total?: (body: never, headers: Record<string, unknown>) => number | undefined;
}

/**
 * `?page=N&per_page=M` pagination. Without a total, a short page is the last one; with one,
 * later pages are known and can be fetched several at a time. The cursor is the page number.
 */
export function pageNumber<T = unknown>(options: PageNumberOptions = {}): PaginationStrategy<T> {
  const pageParam = options.pageParam ?? 'page';
  const sizeParam = options.sizeParam ?? 'per_page';
  const size = options.size ?? 100;
  const first = options.firstPage ?? 1;
  const pageOf = (request: { searchParams?: Record<string, unknown> }) =>
    Number(request.searchParams?.[pageParam] ?? first);
  return {
    withItems: (items) => pageNumber<T>({ ...options, items }),
    start: (request, resume) =>
      withParams(request, { [pageParam]: typeof resume === 'number' ? resume : first, [sizeParam]: size }),
    read(response, request) {
      const items = itemsOf<T>(response.body, options.items);
      const total = options.total?.(response.body as never, response.headers);
      const page = pageOf(request);
      const seen = (page - first) * size + items.length;
      const more = total === undefined ? items.length >= size : seen < total;
      return {
        items,
        ...(total === undefined ? {} : { total }),
        ...(more ? { next: { request: withParams(request, { [pageParam]: page + 1 }), cursor: page + 1 } } : {}),
      };
    },
    remaining(response, request) {
      const total = options.total?.(response.body as never, response.headers);
      if (total === undefined) return undefined;
      const lastPage = first + Math.ceil(total / size) - 1;
      const pages: NextPage[] = [];
      for (let page = pageOf(request) + 1; page <= lastPage; page += 1) {
        pages.push({ request: withParams(request, { [pageParam]: page }), cursor: page });
      }
      return pages;
    },
  };
}
