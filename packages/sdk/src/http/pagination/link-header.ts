import type { ApiRequest } from '../api-request.js';
import { itemsOf, type NextPage, type PaginationStrategy } from './pagination-strategy.js';

/** `<https://…?page=2>; rel="next", <…?page=9>; rel="last"` → `{ next: '…', last: '…' }`. */
export function parseLinkHeader(value: string | string[] | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
  for (const match of text.matchAll(/<([^>]+)>\s*;\s*rel\s*=\s*"?([^",;]+)"?/g)) {
    for (const rel of match[2]!.trim().split(/\s+/)) links[rel] = match[1]!;
  }
  return links;
}

export interface LinkHeaderOptions {
  /** Where the items are in the body; default the body itself (an array). */
  items?: (body: never) => unknown;
  /** The page-number parameter in the URLs, used to fetch pages ahead when `rel="last"` is given. Default `page`. */
  pageParam?: string;
}

/**
 * RFC 8288 `Link: <…>; rel="next"` pagination (GitHub, many REST APIs). The cursor is the next
 * page's URL. When the first response also links `rel="last"` with a page number, later
 * pages are known in advance and can be fetched several at a time.
 */
export function linkHeader<T = unknown>(options: LinkHeaderOptions = {}): PaginationStrategy<T> {
  const pageParam = options.pageParam ?? 'page';
  return {
    withItems: (items) => linkHeader<T>({ ...options, items }),
    start: (request, resume) => (typeof resume === 'string' ? { ...request, path: resume, searchParams: {} } : request),
    read(response) {
      const next = parseLinkHeader(response.headers.link).next;
      return {
        items: itemsOf<T>(response.body, options.items),
        ...(next ? { next: { request: { path: next }, cursor: next } } : {}),
      };
    },
    remaining(response) {
      const links = parseLinkHeader(response.headers.link);
      if (!links.next || !links.last) return undefined;
      const next = new URL(links.next);
      const last = new URL(links.last);
      const from = Number(next.searchParams.get(pageParam));
      const to = Number(last.searchParams.get(pageParam));
      if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) return undefined;
      const pages: NextPage[] = [];
      for (let page = from; page <= to; page += 1) {
        next.searchParams.set(pageParam, String(page));
        const url = next.toString();
        pages.push({ request: { path: url } satisfies ApiRequest, cursor: url });
      }
      return pages;
    },
  };
}
