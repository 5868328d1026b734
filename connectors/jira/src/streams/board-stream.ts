import { defineStream } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';
import { boardsTable } from '../tables/board-tables.js';

/** The agile board: name, type (scrum, kanban) and project. */
export const boardStream = defineStream<JiraTypes>({
  name: 'boards',
  description: 'The agile board (boards)',
  tables: [boardsTable],
  async *collect(context) {
    const response = await context.client.api.get(`/rest/agile/1.0/board/${context.scope.boardId}`);
    yield { data: response.body, url: response.url };
  },
});
