import { defineRestStream, extractRow, offset } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';
import { sprintsTable } from '../tables/board-tables.js';

/** Sprints of the board (`startAt`/`maxResults`/`isLast` pages): `sprints` and `board_sprints`. */
export const sprintsStream = defineRestStream<JiraTypes>({
  name: 'sprints',
  description: 'Sprints of the board (sprints, board_sprints)',
  tables: [sprintsTable],
  path: (context) => `/rest/agile/1.0/board/${context.scope.boardId}/sprint`,
  paginator: offset({ size: 50 }),
  extract: (sprint, context) => extractRow(sprintsTable, sprint, { boardId: context.scope.boardId }),
});
