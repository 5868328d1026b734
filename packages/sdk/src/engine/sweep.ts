import { column } from '../domain/columns.js';
import type { StoreWriter } from '../store/store-writer.js';
import type { TableShape } from '../store/table-shape.js';
import { domainShape } from './layer-table-shapes.js';
import type { StreamRun } from './stream-run.js';

export interface SweepTarget {
  rawTable: string;
  rawParams: string;
  connectionId: number;
  toolShapes: Iterable<TableShape>;
  domainShapes: Iterable<TableShape>;
  /** Rows written before this instant were not seen again by the full run: they are gone at the source. */
  before: Date;
  /** Which layers the run wrote (a collect-only run sweeps only the raw table). */
  layers: { raw: boolean; tool: boolean; domain: boolean };
}

/**
 * After a full run, removes what the source no longer returns for the scope: rows of the
 * stream's tables, from this scope and this stream's raw table, not rewritten since the run
 * started. Rows another scope or stream wrote last are left alone.
 */
export async function sweepStaleRows(writer: StoreWriter, target: SweepTarget): Promise<number> {
  const before = writer.dialect.codec.encode(target.before, column.datetime());
  let removed = 0;
  const quote = (name: string) => writer.quote(name);
  if (target.layers.tool) {
    for (const shape of target.toolShapes) {
      const result = await writer.execute(
        `DELETE FROM ${quote(shape.name)} WHERE ${quote('connection_id')} = ? AND ${quote('_raw_data_params')} = ? AND ${quote('_raw_data_table')} = ? AND ${quote('updated_at')} < ?`,
        [target.connectionId, target.rawParams, target.rawTable, before],
      );
      removed += result.affected;
    }
  }
  if (target.layers.domain) {
    for (const shape of target.domainShapes) {
      const result = await writer.execute(
        `DELETE FROM ${quote(shape.name)} WHERE ${quote('_raw_data_params')} = ? AND ${quote('_raw_data_table')} = ? AND ${quote('updated_at')} < ?`,
        [target.rawParams, target.rawTable, before],
      );
      removed += result.affected;
    }
  }
  if (target.layers.raw) {
    const result = await writer.execute(
      `DELETE FROM ${quote(target.rawTable)} WHERE ${quote('params')} = ? AND ${quote('created_at')} < ?`,
      [target.rawParams, before],
    );
    removed += result.affected;
  }
  return removed;
}

/** The sweep after a stream's full run: its raw table, tool tables and the domain tables it produces, for this scope. */
export function sweepAfterFullRun(writer: StoreWriter, run: StreamRun, startedAt: string): Promise<number> {
  return sweepStaleRows(writer, {
    rawTable: run.pipeline.rawTable,
    rawParams: run.context.rawParams,
    connectionId: run.context.ids.connectionId,
    toolShapes: run.pipeline.toolShapes.values(),
    domainShapes: [...new Set(run.stream.tables.flatMap((table) => table.produces))].map(domainShape),
    before: new Date(startedAt),
    layers: { raw: true, tool: run.options.phases.extract, domain: run.options.phases.convert },
  });
}
