import { type FakeRequest, type FakeResponse, hostileOrder } from '@lake/testkit/fake-api';

/** Above this many records GitLab leaves out `X-Total`, `X-Total-Pages` and the `last` link (docs.gitlab.com/ee/api/rest/#pagination). */
export const TOTAL_HEADERS_LIMIT = 10_000;

/**
 * Offset pagination as GitLab serves it: `page` and `per_page` (default 20, at most 100), the
 * `X-Page`, `X-Per-Page`, `X-Next-Page`, `X-Prev-Page`, `X-Total` and `X-Total-Pages` headers
 * (the totals left out above 10,000 records) and a `Link` header with `next`, `prev`, `first` and
 * `last`. A hostile server (`request.hostility`) reorders the listing or repeats a page's last
 * record first on the next page.
 */
export function gitlabOffsetPage(listing: readonly unknown[], request: FakeRequest): FakeResponse {
  const items = hostileOrder(listing, request);
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 20)));
  const page = Math.max(1, Number(request.query.get('page') ?? 1));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const start = (page - 1) * perPage;
  const from = request.hostility?.duplicateAcrossPages && start > 0 ? start - 1 : start;
  const link = (target: number) => {
    const url = new URL(request.path, request.baseUrl);
    for (const [name, value] of request.query) url.searchParams.set(name, value);
    url.searchParams.set('page', String(target));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  const counted = items.length <= TOTAL_HEADERS_LIMIT;
  const links = [
    ...(page < totalPages ? [`<${link(page + 1)}>; rel="next"`] : []),
    ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []),
    `<${link(1)}>; rel="first"`,
    ...(counted ? [`<${link(totalPages)}>; rel="last"`] : []),
  ];
  return {
    body: items.slice(from, start + perPage),
    page: { number: page, last: page >= totalPages },
    headers: {
      'x-page': page,
      'x-per-page': perPage,
      'x-next-page': page < totalPages ? page + 1 : '',
      'x-prev-page': page > 1 ? page - 1 : '',
      ...(counted ? { 'x-total': items.length, 'x-total-pages': totalPages } : {}),
      link: links.join(', '),
    },
  };
}

/**
 * Keyset pagination (`pagination=keyset`) as GitLab serves it for `/groups` (by name): the next
 * page only through `Link: <…>; rel="next"`, whose `cursor` is opaque, and no totals.
 */
export function gitlabKeysetPage<T>(
  listing: readonly T[],
  request: FakeRequest,
  keyOf: (item: T) => string,
): FakeResponse {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 20)));
  const cursor = request.query.get('cursor');
  const after = cursor ? Buffer.from(cursor, 'base64url').toString() : undefined;
  const sorted = [...listing].sort((left, right) => keyOf(left).localeCompare(keyOf(right)));
  const rest = after === undefined ? sorted : sorted.filter((item) => keyOf(item).localeCompare(after) > 0);
  const page = rest.slice(0, perPage);
  const more = rest.length > perPage;
  const headers: Record<string, string> = {};
  if (more) {
    const url = new URL(request.path, request.baseUrl);
    for (const [name, value] of request.query) url.searchParams.set(name, value);
    url.searchParams.set('cursor', Buffer.from(keyOf(page.at(-1)!)).toString('base64url'));
    headers.link = `<${url.toString()}>; rel="next"`;
  }
  return { body: page, headers, page: { number: 1, last: !more } };
}
