import { cursor, offset, type PaginationStrategy } from '@lake/sdk';

/** Jira Cloud's token-paged search; Data Center's search pages by `startAt`. */
export const TOKEN_SEARCH_PATH = '/rest/api/3/search/jql';
const OFFSET_SEARCH_PATH = '/rest/api/2/search';

/** The issue search of a server: the token-paged one on Cloud (REST v3), the `startAt` one on Data Center. */
export function searchPath(restVersion: '2' | '3'): string {
  return restVersion === '3' ? TOKEN_SEARCH_PATH : OFFSET_SEARCH_PATH;
}

interface TokenPage {
  nextPageToken?: string | null;
  isLast?: boolean;
}

/**
 * The pages of either search, told by the endpoint asked: `/rest/api/3/search/jql` answers
 * `nextPageToken` until `isLast` (sent back as a parameter; no total, so one page at a time);
 * `/rest/api/2/search` answers `startAt`/`maxResults`/`total` (later pages known in advance).
 * The saved position is the token or the offset, and a declarative stream keeps it only for the
 * query it came from.
 */
export function searchPages(options: { size: number; items?: (body: never) => unknown }): PaginationStrategy<unknown> {
  const byOffset = offset({ size: options.size, ...(options.items ? { items: options.items } : {}) });
  const byToken = cursor({
    param: 'nextPageToken',
    next: (body: TokenPage) => (body.isLast === true ? undefined : (body.nextPageToken ?? undefined)),
    ...(options.items ? { items: options.items } : {}),
  });
  const of = (request: { path: string }) => (request.path.endsWith(TOKEN_SEARCH_PATH) ? byToken : byOffset);
  return {
    withItems: (items) => searchPages({ ...options, items }),
    start: (request, resume) => of(request).start(request, resume),
    read: (response, request) => of(request).read(response, request),
    remaining: (response, request) => of(request).remaining?.(response, request),
  };
}
