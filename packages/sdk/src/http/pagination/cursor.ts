import { itemsOf, type PaginationStrategy, withParams } from './pagination-strategy.js';

export interface CursorOptions {
  /** The request parameter that carries the cursor. Default `cursor`. */
  param?: string;
  /** Where the next cursor is in the body (`body.next_cursor`, `body.meta.next`); empty or missing ends. */
  next: (body: never) => unknown;
  items?: (body: never) => unknown;
}

/** A cursor or token in the body (`next_cursor`, `nextPageToken`), sent back as a parameter. */
export function cursor<T = unknown>(options: CursorOptions): PaginationStrategy<T> {
  const param = options.param ?? 'cursor';
  return {
    withItems: (items) => cursor<T>({ ...options, items }),
    start: (request, resume) => (typeof resume === 'string' ? withParams(request, { [param]: resume }) : request),
    read(response, request) {
      const next = options.next(response.body as never);
      return {
        items: itemsOf<T>(response.body, options.items),
        ...(typeof next === 'string' && next !== ''
          ? { next: { request: withParams(request, { [param]: next }), cursor: next } }
          : {}),
      };
    },
  };
}
