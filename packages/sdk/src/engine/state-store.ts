import { column, key } from '../domain/columns.js';
import type { Store } from '../store/store.js';
import type { StoreWriter } from '../store/store-writer.js';
import type { TableShape } from '../store/table-shape.js';

/** Where one scope's state lives: `_lake_state` keyed by connector, connection, scope and stream. */
export interface StateKey {
  connector: string;
  connectionId: number;
  scopeId: string;
  stream: string;
}

/** Reserved stream name for scope-level facts (the `changed()` marker). */
export const SCOPE_STATE_STREAM = '*';

const STATE_SHAPE: TableShape = {
  name: '_lake_state',
  columns: {
    connector: key(column.varchar(100)),
    connection_id: key(column.bigint()),
    scope_id: key(column.varchar(255)),
    stream: key(column.varchar(100)),
    state: column.text(),
    updated_at: column.datetime(),
  },
  keys: ['connector', 'connection_id', 'scope_id', 'stream'],
};

export async function loadState<State>(store: Store, stateKey: StateKey): Promise<State | undefined> {
  const row = await store.db
    .selectFrom('_lake_state')
    .select('state')
    .where('connector', '=', stateKey.connector)
    .where('connection_id', '=', stateKey.connectionId)
    .where('scope_id', '=', stateKey.scopeId)
    .where('stream', '=', stateKey.stream)
    .executeTakeFirst();
  return row ? (JSON.parse(String(row.state)) as State) : undefined;
}

/** Saves state through `writer`, so it commits with whatever else the writer's transaction holds. */
export async function saveState(writer: StoreWriter, stateKey: StateKey, state: unknown): Promise<void> {
  await writer.upsert(STATE_SHAPE, [
    {
      connector: stateKey.connector,
      connection_id: stateKey.connectionId,
      scope_id: stateKey.scopeId,
      stream: stateKey.stream,
      state: JSON.stringify(state),
      updated_at: new Date(),
    },
  ]);
}

export async function clearState(store: Store, scope: Omit<StateKey, 'stream'>, stream?: string): Promise<void> {
  let query = store.db
    .deleteFrom('_lake_state')
    .where('connector', '=', scope.connector)
    .where('connection_id', '=', scope.connectionId)
    .where('scope_id', '=', scope.scopeId);
  if (stream !== undefined) query = query.where('stream', '=', stream);
  await query.execute();
}
