import { rawTableName } from '../contract/connector-info.js';
import { LakeError, messageOf } from '../errors/lake-error.js';
import { createRawTable } from '../migrations/table-ddl.js';
import { runConvertPhase, runExtractPhase } from './phase-runner.js';
import type { RunRecorder, RunStatus } from './run-recorder.js';
import { emptyOutcome, type StreamRun } from './stream-run.js';
import { runSubstream } from './substream-runner.js';
import type { StreamResult, SyncMode } from './sync.js';
import { runTopLevelStream } from './top-level-stream-runner.js';

export interface OneStream extends StreamRun {
  mode: SyncMode;
  recorder: RunRecorder;
}

/**
 * Runs one stream in the sync's mode and records it in `_lake_runs`. Never throws for the
 * stream's own failure: the result carries it, redacted, as a LakeError.
 */
export async function runOneStream(run: OneStream): Promise<StreamResult & { failure?: LakeError }> {
  const started = Date.now();
  await createRawTable(run.store.db, run.store.dialect, rawTableName(run.connector, run.stream.name));
  const runId = await run.recorder.start(run.stream.name, run.options.full);
  try {
    const outcome =
      run.mode === 'extract'
        ? await runExtractPhase(run)
        : run.mode === 'convert'
          ? await runConvertPhase(run)
          : run.stream.kind === 'substream'
            ? await runSubstream(run)
            : await runTopLevelStream(run);
    const elapsedMs = Date.now() - started;
    await run.recorder.finish(runId, 'succeeded', outcome.records);
    run.emit({ type: 'stream-end', stream: run.stream.name, status: 'succeeded', ...outcome, elapsedMs });
    return { ...outcome, name: run.stream.name, status: 'succeeded', elapsedMs };
  } catch (error) {
    // Whatever fails once the signal fired (a killed child process, a cancelled request) is the abort itself.
    const aborted = run.signal.aborted || (error instanceof LakeError && error.code === 'SYNC_ABORTED');
    const status: RunStatus = aborted ? 'aborted' : 'failed';
    const failure =
      aborted && !(error instanceof LakeError && error.code === 'SYNC_ABORTED')
        ? new LakeError(
            'SYNC_ABORTED',
            `stream "${run.stream.name}" was interrupted; the next sync resumes from its last commit`,
            {
              source: run.connector,
            },
          )
        : asLakeError(error, run);
    await run.recorder.finish(runId, status, 0, failure).catch(() => {});
    const elapsedMs = Date.now() - started;
    run.logger.error(failure.message, { code: failure.code });
    run.emit({
      type: 'stream-end',
      stream: run.stream.name,
      status,
      ...emptyOutcome(),
      elapsedMs,
      error: failure.message,
    });
    return { ...emptyOutcome(), name: run.stream.name, status, elapsedMs, error: failure.message, failure };
  }
}

function asLakeError(error: unknown, run: OneStream): LakeError {
  if (error instanceof LakeError) {
    const redacted = run.redactor.redactError(error) as LakeError;
    return redacted;
  }
  const message = run.redactor.redact(messageOf(error));
  return new LakeError('STREAM_FAILED', `stream "${run.stream.name}" failed: ${message}`, {
    source: run.connector,
    cause: run.redactor.redactError(error),
  });
}
