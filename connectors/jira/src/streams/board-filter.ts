import type { ScopeContext } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';

interface BoardConfiguration {
  filter?: { id?: string | number };
}

/**
 * The id of the saved filter that decides which issues are on the board (its configuration's
 * `filter`), asked once per sync: the issue search names it (`filter = 10000 AND …`), so that it
 * lists exactly the board's issues.
 */
export function boardFilterOf(context: ScopeContext<JiraTypes>): Promise<string> {
  const { boardId } = context.scope;
  const { boardFilters, api } = context.client;
  let filter = boardFilters.get(boardId);
  if (!filter) {
    filter = api
      .get<BoardConfiguration>(`/rest/agile/1.0/board/${boardId}/configuration`)
      .then(({ body }) => String(body.filter?.id ?? ''));
    // A failed lookup is not kept: the next reading asks again.
    filter.catch(() => boardFilters.delete(boardId));
    boardFilters.set(boardId, filter);
  }
  return filter;
}
