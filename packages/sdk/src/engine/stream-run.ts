import type { ScopeContext } from '../contract/context.js';
import type { AnyStream } from '../contract/stream.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../secrets/redactor.js';
import type { Store } from '../store/store.js';
import type { PipelinePhases, RecordPipeline } from './record-pipeline.js';
import type { StateKey } from './state-store.js';
import type { SyncEvent } from './sync-events.js';

/** Everything a stream runner needs, assembled once per stream by the sync. */
export interface StreamRun {
  readonly store: Store;
  readonly connector: string;
  readonly stream: AnyStream;
  readonly context: ScopeContext<never>;
  readonly pipeline: RecordPipeline;
  readonly stateKey: StateKey;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly options: StreamRunOptions;
  readonly emit: (event: SyncEvent) => void;
}

export interface StreamRunOptions {
  /** Re-collect everything and remove what the source no longer has. */
  full: boolean;
  /** Raw records per transaction. */
  batchSize: number;
  /** Parents collected at once by substreams, unless the stream says otherwise. */
  concurrency: number;
  phases: PipelinePhases & { collect: true };
}

export interface StreamOutcome {
  /** Raw records collected and committed in this run. */
  records: number;
  toolRows: number;
  domainRows: number;
  /** Rows removed: by the full run's sweep, and rows records no longer yield (`replaceRows`). */
  removed: number;
  full: boolean;
  resumed: boolean;
}

/** The state format of one run in progress; shared by streams and substreams. */
export interface RunMarker {
  /** ISO time the run started; the sweep removes rows older than this. */
  startedAt: string;
  full: boolean;
}

/** An outcome with nothing counted: a stream that did not run, or a phase before its first batch. */
export function emptyOutcome(): StreamOutcome {
  return { records: 0, toolRows: 0, domainRows: 0, removed: 0, full: false, resumed: false };
}
