import { randomUUID } from 'node:crypto';
import { column } from '../domain/columns.js';
import { messageOf } from '../errors/lake-error.js';
import type { Redactor } from '../secrets/redactor.js';
import type { Store } from '../store/store.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'aborted' | 'interrupted';

export interface RunIdentity {
  syncId: string;
  connector: string;
  connectorVersion: string;
  connectionId: number;
  scopeId: string;
}

/** Records each stream's run in `_lake_runs`: what ran, when, how many records, and how it ended. */
export class RunRecorder {
  readonly #store: Store;
  readonly #identity: RunIdentity;
  readonly #redactor: Redactor;

  constructor(store: Store, identity: RunIdentity, redactor: Redactor) {
    this.#store = store;
    this.#identity = identity;
    this.#redactor = redactor;
  }

  async start(stream: string, full: boolean, status: RunStatus = 'running'): Promise<string> {
    const now = new Date();
    return this.#insert(stream, full, status, now, status === 'running' ? null : now, '');
  }

  /**
   * A run that is already over, in one row: what a launcher records when the connector it
   * started ended without recording its own runs (it crashed, or was killed).
   */
  recordEnded(stream: string, full: boolean, status: RunStatus, startedAt: Date, error: unknown): Promise<string> {
    return this.#insert(stream, full, status, startedAt, new Date(), this.#describe(error));
  }

  async #insert(
    stream: string,
    full: boolean,
    status: RunStatus,
    startedAt: Date,
    finishedAt: Date | null,
    error: string,
  ): Promise<string> {
    const id = randomUUID();
    await this.#store.db
      .insertInto('_lake_runs')
      .values({
        id,
        sync_id: this.#identity.syncId,
        connector: this.#identity.connector,
        connector_version: this.#identity.connectorVersion,
        connection_id: this.#identity.connectionId,
        scope_id: this.#identity.scopeId,
        stream,
        full_sync: this.#store.dialect.codec.encode(full, column.bool()),
        started_at: this.#date(startedAt),
        finished_at: finishedAt === null ? null : this.#date(finishedAt),
        records: 0,
        status,
        error,
      })
      .execute();
    return id;
  }

  async finish(runId: string, status: RunStatus, records: number, error?: unknown): Promise<void> {
    await this.#store.db
      .updateTable('_lake_runs')
      .set({
        finished_at: this.#date(new Date()),
        status,
        records,
        error: this.#describe(error),
      })
      .where('id', '=', runId)
      .execute();
  }

  /** Marks runs of this scope left `running` by a process that died as `interrupted`. */
  async markInterrupted(): Promise<void> {
    await this.#store.db
      .updateTable('_lake_runs')
      .set({ status: 'interrupted', finished_at: this.#date(new Date()) })
      .where('connector', '=', this.#identity.connector)
      .where('connection_id', '=', this.#identity.connectionId)
      .where('scope_id', '=', this.#identity.scopeId)
      .where('status', '=', 'running')
      .execute();
  }

  /** The error as `_lake_runs.error` keeps it: `CODE: message` when it carries a stable code, secrets redacted. */
  #describe(error: unknown): string {
    if (error === undefined) return '';
    const message = messageOf(error);
    const code = codeOf(error);
    return this.#redactor.redact(code && !message.startsWith(code) ? `${code}: ${message}` : message);
  }

  #date(date: Date): unknown {
    return this.#store.dialect.codec.encode(date, column.datetime());
  }
}

/** A stable error code (`HTTP_UNAUTHORIZED`) the error carries, if any. */
function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,}$/.test(code) ? code : undefined;
}

export function newSyncId(): string {
  return randomUUID();
}
