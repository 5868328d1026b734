import type { ToolTable } from '../contract/tool-table.js';
import { readByKey } from './keyset-reader.js';
import { throwIfAborted } from './stream-abort.js';
import { emptyOutcome, type StreamOutcome, type StreamRun } from './stream-run.js';

/**
 * `extract <stream>` on its own: re-reads the scope's raw rows (oldest first, so the newest
 * version of a record wins) and rewrites the tool rows. Collection state is not touched.
 */
export async function runExtractPhase(run: StreamRun): Promise<StreamOutcome> {
  const outcome = emptyOutcome();
  const started = Date.now();
  run.emit({ type: 'stream-start', stream: run.stream.name, full: false, resumed: false });
  const pages = readByKey(run.store, {
    table: run.pipeline.rawTable,
    where: [['params', '=', run.context.rawParams]],
    keyColumns: ['id'],
    pageSize: run.options.batchSize,
  });
  for await (const rows of pages) {
    throwIfAborted(run.signal, run.stream.name);
    const batch = await run.pipeline.prepareStored(rows as never, { extract: true, convert: false }, new Date());
    const counts = await run.store.transaction((writer) => run.pipeline.write(writer, batch));
    outcome.records += rows.length;
    outcome.toolRows += counts.tool;
    outcome.removed += counts.removed;
    progress(run, outcome, started);
  }
  return outcome;
}

/** `convert <stream>` on its own: re-reads the scope's tool rows and rewrites the domain rows. */
export async function runConvertPhase(run: StreamRun): Promise<StreamOutcome> {
  const outcome = emptyOutcome();
  const started = Date.now();
  run.emit({ type: 'stream-start', stream: run.stream.name, full: false, resumed: false });
  for (const [table, shape] of run.pipeline.toolShapes) {
    if (!table.convert) continue;
    const pages = readByKey(run.store, {
      table: shape.name,
      where: [
        ['connection_id', '=', run.context.ids.connectionId],
        ['_raw_data_params', '=', run.context.rawParams],
        ['_raw_data_table', '=', run.pipeline.rawTable],
      ],
      keyColumns: shape.keys.filter((name) => name !== 'connection_id'),
      pageSize: run.options.batchSize,
    });
    for await (const rows of pages) {
      throwIfAborted(run.signal, run.stream.name);
      const batch = await run.pipeline.prepareConverted(table as ToolTable, rows, new Date());
      const counts = await run.store.transaction((writer) => run.pipeline.write(writer, batch));
      outcome.records += rows.length;
      outcome.domainRows += counts.domain;
      progress(run, outcome, started);
    }
  }
  return outcome;
}

function progress(run: StreamRun, outcome: StreamOutcome, started: number): void {
  run.emit({
    type: 'stream-progress',
    stream: run.stream.name,
    records: outcome.records,
    total: undefined,
    elapsedMs: Date.now() - started,
  });
}
