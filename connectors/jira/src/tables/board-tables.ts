import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';

/** The agile board (`/rest/agile/1.0/board/{id}`): the scope's `boards` row. */
export const boardsTable = defineToolTable<JiraTypes>()({
  entity: 'boards',
  columns: {
    boardId: { ...key(column.bigint()), source: '/id' },
    name: column.varchar(),
    type: column.varchar(40),
    self: column.varchar(),
    projectKey: { ...column.varchar(), source: '/location/projectKey' },
    projectName: { ...column.varchar(), source: '/location/projectName' },
  },
  produces: ['boards'],
  *convert(row, context) {
    yield domainRecord('boards', {
      id: context.ids.of('JiraBoard', row.board_id!),
      name: row.name,
      url: row.self,
      description: row.project_name ? `${row.project_name} (${row.project_key})` : '',
      type: row.type,
    });
  },
});

/** Sprints of the board (`/rest/agile/1.0/board/{id}/sprint`): `sprints` and `board_sprints`. */
export const sprintsTable = defineToolTable<JiraTypes>()({
  entity: 'sprints',
  columns: {
    sprintId: { ...key(column.bigint()), source: '/id' },
    boardId: column.bigint(),
    name: column.varchar(),
    state: column.varchar(40),
    self: column.varchar(),
    startDate: { ...nullable(column.datetime()), source: '/startDate' },
    endDate: { ...nullable(column.datetime()), source: '/endDate' },
    completeDate: { ...nullable(column.datetime()), source: '/completeDate' },
    originBoardId: { ...column.bigint(), source: '/originBoardId' },
  },
  produces: ['sprints', 'board_sprints'],
  *convert(row, context) {
    const id = context.ids.of('JiraSprint', row.sprint_id!);
    yield domainRecord('sprints', {
      id,
      name: row.name,
      url: row.self,
      // DevLake writes the upper-cased state: ACTIVE, CLOSED, FUTURE.
      status: row.state.toUpperCase(),
      started_date: row.start_date,
      ended_date: row.end_date,
      completed_date: row.complete_date,
      original_board_id: context.ids.of('JiraBoard', row.origin_board_id || row.board_id),
    });
    yield domainRecord('board_sprints', { board_id: context.ids.of('JiraBoard', row.board_id), sprint_id: id });
  },
});
