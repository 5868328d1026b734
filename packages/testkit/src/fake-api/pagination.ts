import { createHash } from 'node:crypto';
import { seededRandom } from '../seeded-random.js';
import type { FakeRequest, FakeResponse } from './fake-api.js';

/** Query parameters that pick a page of a listing rather than the listing itself. */
const PAGING_PARAMETERS = new Set(['page', 'per_page', 'startAt', 'maxResults', 'cursor', 'page_token', 'pageToken']);

/**
 * The listing as a hostile server serves it (`request.hostility.order`): the same order for every
 * page of one query (so paging stays consistent), but not the order that was asked for.
 */
export function hostileOrder<T>(items: readonly T[], request: FakeRequest): readonly T[] {
  const order = request.hostility?.order;
  if (order === undefined || items.length < 2) return items;
  if (order === 'reversed') return [...items].reverse();
  const listing = [...request.query]
    .filter(([name]) => !PAGING_PARAMETERS.has(name))
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const seed = createHash('sha256').update(`${request.path}?${listing}`).digest();
  const random = seededRandom(seed.readUInt32LE(0));
  const shuffled = [...items];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  return shuffled;
}

/** Items `start` to `end` of a page, with the previous page's last item repeated first when the server duplicates. */
function pageSlice<T>(items: readonly T[], start: number, end: number, request: FakeRequest): T[] {
  const from = request.hostility?.duplicateAcrossPages && start > 0 ? start - 1 : start;
  return items.slice(from, end);
}

export interface LinkPaginationOptions {
  /** `per_page` when the request gives none. Default 30 (GitHub's). */
  defaultPerPage?: number;
  /** Largest `per_page` honoured. Default 100 (GitHub's). */
  maxPerPage?: number;
}

/**
 * Serves `items` page by page the way GitHub does: `?page=&per_page=`, and a `Link` header
 * with `next`, `last`, `first` and `prev` as they apply.
 */
export function paginateByLink(
  listing: readonly unknown[],
  request: FakeRequest,
  options: LinkPaginationOptions = {},
): FakeResponse {
  const items = hostileOrder(listing, request);
  const perPage = Math.min(
    options.maxPerPage ?? 100,
    Number(request.query.get('per_page') ?? options.defaultPerPage ?? 30),
  );
  const page = Math.max(1, Number(request.query.get('page') ?? 1));
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number) => {
    const url = new URL(request.path, request.baseUrl);
    for (const [name, value] of request.query) url.searchParams.set(name, value);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return url.toString();
  };
  const links: string[] = [];
  if (page < lastPage) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
  return {
    body: pageSlice(items, (page - 1) * perPage, page * perPage, request),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
    page: { number: page, last: page >= lastPage },
  };
}

/** `startAt`/`maxResults`/`total` pages, as Jira serves them. */
export function paginateByOffset(listing: readonly unknown[], request: FakeRequest, field = 'values'): FakeResponse {
  const items = hostileOrder(listing, request);
  const startAt = Number(request.query.get('startAt') ?? 0);
  const maxResults = Number(request.query.get('maxResults') ?? 50);
  return {
    body: {
      startAt,
      maxResults,
      total: items.length,
      [field]: pageSlice(items, startAt, startAt + maxResults, request),
    },
    page: { number: Math.floor(startAt / Math.max(1, maxResults)) + 1, last: startAt + maxResults >= items.length },
  };
}

/** `X-Next-Page` / `X-Total-Pages` headers, as GitLab serves them. */
export function paginateByNextPageHeader(listing: readonly unknown[], request: FakeRequest): FakeResponse {
  const items = hostileOrder(listing, request);
  const perPage = Number(request.query.get('per_page') ?? 20);
  const page = Number(request.query.get('page') ?? 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  return {
    body: pageSlice(items, (page - 1) * perPage, page * perPage, request),
    page: { number: page, last: page >= totalPages },
    headers: {
      'x-page': page,
      'x-per-page': perPage,
      'x-total': items.length,
      'x-total-pages': totalPages,
      'x-next-page': page < totalPages ? page + 1 : '',
    },
  };
}

/** A cursor in the body (`next_cursor`), an opaque token the client sends back. */
export function paginateByCursor(listing: readonly unknown[], request: FakeRequest, pageSize = 25): FakeResponse {
  const items = hostileOrder(listing, request);
  const start = request.query.get('cursor')
    ? Number(Buffer.from(request.query.get('cursor')!, 'base64url').toString())
    : 0;
  const end = start + pageSize;
  return {
    body: {
      items: pageSlice(items, start, end, request),
      next_cursor: end < items.length ? Buffer.from(String(end)).toString('base64url') : null,
    },
    page: { number: Math.floor(start / pageSize) + 1, last: end >= items.length },
  };
}

/** A Relay connection for a GraphQL resolver: `{ nodes, pageInfo { hasNextPage, endCursor }, totalCount }`. */
export function graphqlConnection(items: readonly unknown[], after: string | null | undefined, first = 50) {
  const start = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
  const end = start + first;
  return {
    nodes: items.slice(start, end),
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      endCursor: Buffer.from(String(Math.min(end, items.length))).toString('base64url'),
    },
  };
}
