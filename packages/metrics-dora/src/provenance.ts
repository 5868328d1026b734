import { textOf } from './values.js';

/** The `_raw_data_*` columns of a source row, copied onto the row derived from it (as DevLake's converters do). */
export function rawOriginOf(source: Record<string, unknown>): Record<string, unknown> {
  return {
    _raw_data_params: textOf(source._raw_data_params),
    _raw_data_table: textOf(source._raw_data_table),
    _raw_data_id: Number(source._raw_data_id ?? 0),
    _raw_data_remark: textOf(source._raw_data_remark),
  };
}
