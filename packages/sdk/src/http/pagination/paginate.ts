import type { ApiClient } from '../api-client.js';
import type { ApiRequest, ApiResponse } from '../api-request.js';
import type { NextPage, PageCursor, PaginationStrategy } from './pagination-strategy.js';

export interface Page<T> {
  items: T[];
  response: ApiResponse;
  /** 1 for the first page this call fetched. */
  number: number;
  /** Where the next page starts (checkpoint it; pass it back as `resume`); undefined after the last page. */
  next: PageCursor | undefined;
  /** Items in all pages, when the API says. */
  total: number | undefined;
}

export interface PaginateOptions {
  /** Continue where a checkpointed `page.next` points. */
  resume?: PageCursor;
  /**
   * Pages fetched at once when later pages are known in advance (default 1). Pages are
   * still yielded in order, so checkpoints stay in order.
   */
  concurrency?: number;
}

/**
 * Walks the pages of a listing as an async iterator, in order.
 *
 *   for await (const page of paginate(client, { path: '/repos/o/r/issues' }, linkHeader(), { resume: state?.next })) {
 *     for (const issue of page.items) yield { data: issue, url: page.response.url };
 *     await context.checkpoint({ next: page.next });
 *   }
 */
export async function* paginate<T>(
  client: ApiClient,
  request: ApiRequest,
  strategy: PaginationStrategy<T>,
  options: PaginateOptions = {},
): AsyncGenerator<Page<T>> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  // A strategy that builds its next request from a URL (`linkHeader`) knows nothing of the named budget: keep it.
  const inBudget = (next: ApiRequest | undefined): ApiRequest | undefined =>
    next && request.budget !== undefined && next.budget === undefined ? { ...next, budget: request.budget } : next;
  let current: ApiRequest | undefined = inBudget(strategy.start(request, options.resume));
  let number = 0;
  while (current) {
    const response: ApiResponse = await client.request(current);
    const content = strategy.read(response, current);
    number += 1;
    const ahead = concurrency > 1 && content.next ? strategy.remaining?.(response, current) : undefined;
    if (!ahead || ahead.length === 0) {
      yield { items: content.items, response, number, next: content.next?.cursor, total: content.total };
      current = inBudget(content.next?.request);
      continue;
    }
    // Later pages are known: keep `concurrency` requests going, yield in order.
    yield { items: content.items, response, number, next: ahead[0]!.cursor, total: content.total };
    const pending: Array<Promise<ApiResponse> | undefined> = [];
    const launch = (index: number) => {
      const promise = client.request(inBudget(ahead[index]!.request)!);
      promise.catch(() => {});
      pending[index] = promise;
    };
    for (let index = 0; index < Math.min(concurrency, ahead.length); index += 1) launch(index);
    current = undefined;
    for (let index = 0; index < ahead.length; index += 1) {
      const page: NextPage = ahead[index]!;
      const pageResponse = await pending[index]!;
      // Let the page go once it is read: a long listing must not stay in memory.
      pending[index] = undefined;
      if (index + concurrency < ahead.length) launch(index + concurrency);
      const pageContent = strategy.read(pageResponse, page.request);
      number += 1;
      const last = index === ahead.length - 1;
      // More pages than the first response announced (items added meanwhile): carry on one by one.
      const next = last ? pageContent.next : { request: ahead[index + 1]!.request, cursor: ahead[index + 1]!.cursor };
      yield {
        items: pageContent.items,
        response: pageResponse,
        number,
        next: next?.cursor,
        total: pageContent.total ?? content.total,
      };
      if (last) current = inBudget(pageContent.next?.request);
    }
  }
}
