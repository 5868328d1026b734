import { column, key, type TableShape } from '@lake/sdk';

/** The writer's view of a domain table (its declared columns plus the six provenance columns), as the SDK's writer uses it. */
export { domainShape as domainTableShape } from '@lake/sdk/store';

/**
 * refdiff's tool table of (new, old) commit pairs whose `commits_diffs` rows are complete
 * (DevLake's name, so that a database shared with DevLake stays consistent). No other columns.
 */
export const FINISHED_PAIRS_TABLE = '_tool_refdiff_finished_commits_diffs';

export const FINISHED_PAIRS_COLUMNS = {
  new_commit_sha: key(column.varchar(40)),
  old_commit_sha: key(column.varchar(40)),
} as const;

export const FINISHED_PAIRS_SHAPE: TableShape = {
  name: FINISHED_PAIRS_TABLE,
  columns: FINISHED_PAIRS_COLUMNS,
  keys: ['new_commit_sha', 'old_commit_sha'],
};

export const PROVENANCE_NAMES = ['_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'] as const;
