import { type ApiClient, parseLinkHeader } from '@lake/sdk';

/** One page of a GitHub listing, asked for by number. */
export interface ListingPage<Item> {
  items: Item[];
  /** The URL as answered (secrets redacted), for the raw records. */
  url: string;
  /** Whether GitHub links a next page. */
  hasNext: boolean;
}

export interface ListingPageRequest {
  path: string;
  searchParams: Record<string, string | number | undefined>;
  page: number;
  /** Where the items are in the body; default the body itself (an array). */
  items?: (body: never) => unknown;
}

/**
 * Page `page` of a listing. The listings that keep a bookmark ask for pages by number rather
 * than follow `rel="next"`: each request is decided from what the previous pages showed (a
 * new `since`, the same page again after a restart), and a page number is what a resumed run
 * can ask for again.
 */
export async function fetchListingPage<Item>(api: ApiClient, request: ListingPageRequest): Promise<ListingPage<Item>> {
  const response = await api.get(request.path, {
    searchParams: { ...request.searchParams, page: request.page },
  });
  const selected = request.items ? request.items(response.body as never) : response.body;
  return {
    items: Array.isArray(selected) ? (selected as Item[]) : [],
    url: response.url,
    hasNext: parseLinkHeader(response.headers.link).next !== undefined,
  };
}

/** A page asked for ahead of its use: a failure waits for whoever awaits it, and is never unhandled if nobody does. */
export function ahead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
