import { itemsOf, type NextPage, type PaginationStrategy, withParams } from './pagination-strategy.js';

export interface OffsetOptions {
  /** Default `startAt` (Jira). */
  startParam?: string;
  /** Default `maxResults` (Jira). */
  sizeParam?: string;
  size?: number;
  /** Default: `body.values ?? body.issues ?? body` */
  items?: (body: never) => unknown;
  /** Default: `body.total` */
  total?: (body: never) => number | undefined;
}

/**
 * Offset pagination with a total (`startAt`/`maxResults`/`total`, as Jira and Confluence).
 * The cursor is the offset; the total makes later pages known in advance.
 */
export function offset<T = unknown>(options: OffsetOptions = {}): PaginationStrategy<T> {
  const startParam = options.startParam ?? 'startAt';
  const sizeParam = options.sizeParam ?? 'maxResults';
  const size = options.size ?? 50;
  const select =
    options.items ??
    ((body: { values?: unknown; issues?: unknown }) => (Array.isArray(body) ? body : (body.values ?? body.issues)));
  const totalOf =
    options.total ?? ((body: { total?: unknown }) => (typeof body.total === 'number' ? body.total : undefined));
  const startOf = (request: { searchParams?: Record<string, unknown> }) =>
    Number(request.searchParams?.[startParam] ?? 0);
  return {
    withItems: (items) => offset<T>({ ...options, items }),
    start: (request, resume) =>
      withParams(request, { [startParam]: typeof resume === 'number' ? resume : 0, [sizeParam]: size }),
    read(response, request) {
      const items = itemsOf<T>(response.body, select as (body: never) => unknown);
      const total = totalOf(response.body as never);
      const nextStart = startOf(request) + items.length;
      const more = items.length > 0 && (total === undefined ? items.length >= size : nextStart < total);
      return {
        items,
        ...(total === undefined ? {} : { total }),
        ...(more ? { next: { request: withParams(request, { [startParam]: nextStart }), cursor: nextStart } } : {}),
      };
    },
    remaining(response, request) {
      const total = totalOf(response.body as never);
      const items = itemsOf(response.body, select as (body: never) => unknown);
      if (total === undefined || items.length === 0) return undefined;
      const pages: NextPage[] = [];
      for (let start = startOf(request) + items.length; start < total; start += items.length) {
        pages.push({ request: withParams(request, { [startParam]: start }), cursor: start });
      }
      return pages;
    },
  };
}
