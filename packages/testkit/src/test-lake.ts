import {
  type Connector,
  openStore,
  runSync,
  type Store,
  type StreamResult,
  type SyncMode,
  type SyncRequest,
  type SyncResult,
} from '@lake/sdk';
import { type LakeSnapshot, snapshotLake } from '@lake/sdk/testing';

/** A context as a test writes it: connection (with id), scope, scope config, options. */
export interface ContextInput {
  connection: Record<string, unknown> & { id: number };
  scope: Record<string, unknown>;
  scopeConfig?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export type SyncOverrides = Omit<Partial<SyncRequest>, 'connector' | 'store' | 'context'>;

/**
 * A lake for one test: a store (in-memory SQLite unless a URL is given) with helpers to
 * sync, count and compare.
 *
 *   const lake = await createTestLake({ connector: gitConnector });
 *   const result = await lake.sync({ connection: { id: 1 }, scope: { path: repo } });
 *   expect(await lake.count('commits')).toBe(42);
 */
export interface TestLake {
  readonly store: Store;
  readonly connector: Connector;
  sync(context: ContextInput, overrides?: SyncOverrides): Promise<SyncResult>;
  /** Like `sync`, but throws with the failure's message when the sync did not succeed. */
  syncOrThrow(context: ContextInput, overrides?: SyncOverrides): Promise<SyncResult>;
  /** Runs one stream, all phases or one (`collect`, `extract`, `convert`); throws unless it succeeds. */
  runStream(context: ContextInput, stream: string, mode?: SyncMode): Promise<StreamResult>;
  count(table: string, where?: Record<string, unknown>): Promise<number>;
  rows(table: string, where?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  snapshot(): Promise<LakeSnapshot>;
  close(): Promise<void>;
}

export interface CreateTestLakeOptions {
  connector: Connector;
  /** Database URL; default an in-memory SQLite database. */
  url?: string;
  connectorVersion?: string;
}

export async function createTestLake(options: CreateTestLakeOptions): Promise<TestLake> {
  const store = await openStore(options.url ?? 'sqlite::memory:');
  const { connector } = options;
  const sync = (context: ContextInput, overrides: SyncOverrides = {}) =>
    runSync({ connector, store, context, connectorVersion: options.connectorVersion ?? '0.0.0-test', ...overrides });
  const syncOrThrow = async (context: ContextInput, overrides?: SyncOverrides) => {
    const result = await sync(context, overrides);
    if (result.status !== 'succeeded' && result.status !== 'skipped') {
      throw new Error(`sync ${result.status}: ${result.error?.message ?? 'unknown error'}`);
    }
    return result;
  };
  const select = (table: string, where: Record<string, unknown> = {}) => {
    let query = store.db.selectFrom(table);
    for (const [column, value] of Object.entries(where)) query = query.where(column, '=', value);
    return query;
  };
  return {
    store,
    connector,
    sync,
    syncOrThrow,
    async runStream(context, stream, mode = 'sync') {
      const result = await syncOrThrow(context, { streams: [stream], mode });
      return result.streams[0]!;
    },
    async count(table, where) {
      const row = await select(table, where)
        .select((builder) => builder.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    rows: (table, where) => select(table, where).selectAll().execute() as Promise<Record<string, unknown>[]>,
    snapshot: () => snapshotLake(store, connector.name),
    close: () => store.close(),
  };
}
