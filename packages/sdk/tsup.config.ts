import { lakePackageBuild } from '../../tsup.config.base.ts';

export default lakePackageBuild({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    host: 'src/host.ts',
    protocol: 'src/protocol.ts',
    store: 'src/store.ts',
    testing: 'src/testing.ts',
    // The SQLite store's worker thread, loaded by file name (store/dialects/sqlite/sqlite-worker-client.ts).
    'sqlite-worker': 'src/store/dialects/sqlite/sqlite-worker.ts',
  },
});
