import { lakePackageBuild } from '../../tsup.config.base.ts';

export default lakePackageBuild({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    host: 'src/host.ts',
    protocol: 'src/protocol.ts',
    store: 'src/store.ts',
    testing: 'src/testing.ts',
  },
});
