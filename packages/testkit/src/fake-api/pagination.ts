import type { FakeRequest, FakeResponse } from './fake-api.js';

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
  items: readonly unknown[],
  request: FakeRequest,
  options: LinkPaginationOptions = {},
): FakeResponse {
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
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

/** `startAt`/`maxResults`/`total` pages, as Jira serves them. */
export function paginateByOffset(items: readonly unknown[], request: FakeRequest, field = 'values'): FakeResponse {
  const startAt = Number(request.query.get('startAt') ?? 0);
  const maxResults = Number(request.query.get('maxResults') ?? 50);
  return { body: { startAt, maxResults, total: items.length, [field]: items.slice(startAt, startAt + maxResults) } };
}

/** `X-Next-Page` / `X-Total-Pages` headers, as GitLab serves them. */
export function paginateByNextPageHeader(items: readonly unknown[], request: FakeRequest): FakeResponse {
  const perPage = Number(request.query.get('per_page') ?? 20);
  const page = Number(request.query.get('page') ?? 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  return {
    body: items.slice((page - 1) * perPage, page * perPage),
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
export function paginateByCursor(items: readonly unknown[], request: FakeRequest, pageSize = 25): FakeResponse {
  const start = request.query.get('cursor')
    ? Number(Buffer.from(request.query.get('cursor')!, 'base64url').toString())
    : 0;
  const end = start + pageSize;
  return {
    body: {
      items: items.slice(start, end),
      next_cursor: end < items.length ? Buffer.from(String(end)).toString('base64url') : null,
    },
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
