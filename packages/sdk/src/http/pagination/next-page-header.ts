import { itemsOf, type NextPage, type PaginationStrategy, withParams } from './pagination-strategy.js';

export interface NextPageHeaderOptions {
  /** Default `x-next-page` (GitLab). */
  header?: string;
  /** Header with the number of pages, for fetching ahead. Default `x-total-pages`. */
  totalPagesHeader?: string;
  pageParam?: string;
  sizeParam?: string;
  size?: number;
  items?: (body: never) => unknown;
}

/** The next page's number in a response header (GitLab's `X-Next-Page`); the cursor is that number. */
export function nextPageHeader<T = unknown>(options: NextPageHeaderOptions = {}): PaginationStrategy<T> {
  const header = (options.header ?? 'x-next-page').toLowerCase();
  const totalHeader = (options.totalPagesHeader ?? 'x-total-pages').toLowerCase();
  const pageParam = options.pageParam ?? 'page';
  const sizeParam = options.sizeParam ?? 'per_page';
  const size = options.size ?? 100;
  return {
    withItems: (items) => nextPageHeader<T>({ ...options, items }),
    start: (request, resume) =>
      withParams(request, { [pageParam]: typeof resume === 'number' ? resume : 1, [sizeParam]: size }),
    read(response, request) {
      const next = Number(response.headers[header]);
      return {
        items: itemsOf<T>(response.body, options.items),
        ...(Number.isInteger(next) && next > 0
          ? { next: { request: withParams(request, { [pageParam]: next }), cursor: next } }
          : {}),
      };
    },
    remaining(response, request) {
      const totalPages = Number(response.headers[totalHeader]);
      const next = Number(response.headers[header]);
      if (!Number.isInteger(totalPages) || !Number.isInteger(next) || next <= 0) return undefined;
      const pages: NextPage[] = [];
      for (let page = next; page <= totalPages; page += 1)
        pages.push({ request: withParams(request, { [pageParam]: page }), cursor: page });
      return pages;
    },
  };
}
